"""Forms of the 维权 pages. They collect text; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.members.forms import text_field
from jiaogong.members.models import Member
from jiaogong.rights.models import ClauseCheck, ContractClause, MediationCase, MediatorSeat

STAFF = (Member.Status.ACTIVE, Member.Status.NON_MEMBER, Member.Status.RETIRED)


def people_of(org):
    return (
        Member.objects.filter(org=org, status__in=STAFF)
        .select_related("union_group")
        .order_by("name_pinyin", "pk")
    )


def _person(m: Member) -> str:
    return f"{m.name}（{m.union_group.name if m.union_group_id else '未分组'}）"


def _textarea(label: str, max_length: int, rows: int = 3, **kwargs):
    return text_field(label, max_length, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class CommitteeForm(forms.Form):
    formed_on = date_field("成立（换届）日期")
    ends_on = date_field("任期届满日期")
    note = text_field("说明", 200, help_text="如：经教代会通过，学校发文成立。")


class SeatForm(forms.Form):
    member = forms.ChoiceField(label="委员", error_messages={"required": "请选择委员。"})
    side = forms.ChoiceField(label="代表方", choices=MediatorSeat.Side.choices)
    is_chair = forms.BooleanField(label="担任主任", required=False)
    since = date_field("任职日期")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            ("", "— 请选择 —"),
            *((str(m.pk), _person(m)) for m in people_of(org)),
        ]


class CaseForm(forms.Form):
    applicants = forms.MultipleChoiceField(
        label="申请人（可多选）", required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    applicant_text = text_field("或：名册外申请人", 100, help_text="临聘人员等不在名册中的，填写姓名。")
    respondent_member = forms.ChoiceField(label="被申请人（人员）", required=False)
    respondent_text = text_field(
        "或：被申请人（单位、部门）", 100, widget=forms.TextInput(attrs={"placeholder": "如 学校、教务处"})
    )
    subject = forms.ChoiceField(label="争议事项", choices=MediationCase.Subject.choices)
    applied_on = date_field("申请日期")
    claim = _textarea("申请事项", 5000)
    facts = _textarea("事实和理由", 10000, rows=4)
    mediators = forms.MultipleChoiceField(
        label="本案调解员", required=False, widget=forms.CheckboxSelectMultiple, help_text="当事人应当回避。"
    )

    def __init__(self, *args, org, seats, **kwargs):
        super().__init__(*args, **kwargs)
        people = [(str(m.pk), _person(m)) for m in people_of(org)]
        self.fields["applicants"].choices = people
        self.fields["respondent_member"].choices = [("", "— 不选（填写下面的单位或部门）—"), *people]
        self.fields["mediators"].choices = [(str(s.pk), str(s)) for s in seats]


class MediatorsForm(forms.Form):
    mediators = forms.MultipleChoiceField(
        label="本案调解员", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].choices = [(str(s.pk), str(s)) for s in seats]


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=MediationCase.Status.choices, widget=forms.HiddenInput)
    on = date_field("日期")
    reason = _textarea("说明", 2000, rows=2)
    agreement = _textarea("调解协议内容", 10000, rows=5)
    outcome = _textarea("处理结果", 2000, rows=2)


class HearingForm(forms.Form):
    held_on = date_field("调解日期")
    place = text_field("地点", 100)
    present = text_field("到场人员", 300)
    minutes = _textarea("调解记录", 20000, rows=5)


class ContractForm(forms.Form):
    title = text_field(
        "合同名称", 100, widget=forms.TextInput(attrs={"placeholder": "如 2026—2028年集体合同"})
    )
    signed_on = date_field("签订日期")
    starts_on = date_field("生效日期")
    ends_on = date_field("期满日期")
    congress = forms.ChoiceField(label="审议通过的教代会", required=False)
    adopted_on = date_field("教代会通过日期", required=False)
    note = text_field("说明", 300)

    def __init__(self, *args, org, **kwargs):
        from jiaogong.congress.models import Congress

        super().__init__(*args, **kwargs)
        self.fields["congress"].choices = [
            ("", "— 不选 —"),
            *((str(c.pk), c.title) for c in Congress.objects.filter(org=org).order_by("-opens_on")),
        ]


class ClauseForm(forms.Form):
    chapter = forms.ChoiceField(label="章", choices=ContractClause.Chapter.choices)
    number = forms.CharField(
        label="条号", max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    topic = forms.ChoiceField(
        label="女职工保护事项", required=False, choices=[("", "—"), *ContractClause.Topic.choices]
    )
    text = _textarea("条款内容", 5000, rows=3)


class CheckForm(forms.Form):
    clause = forms.ChoiceField(
        label="条款", error_messages={"required": "请选择条款。", "invalid_choice": "请选择本合同的条款。"}
    )
    checked_on = date_field("检查日期")
    checked_by = text_field("检查人", 100)
    finding = forms.ChoiceField(label="结论", choices=ClauseCheck.Finding.choices)
    note = text_field("情况说明", 500, help_text="部分履行或未履行的，写明哪里没做到。")
    follow_up = text_field("整改跟进", 500)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [
            ("", "— 请选择 —"),
            *(
                (
                    str(c.pk),
                    f"第{c.number}条 {c.get_chapter_display()}：{c.text[:18]}{'…' if len(c.text) > 18 else ''}",
                )
                for c in contract.clauses.all()
            ),
        ]


class ReviewForm(forms.Form):
    reviewed_on = date_field("审议日期")
    note = _textarea("审议情况", 500, rows=2)
