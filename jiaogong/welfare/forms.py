"""Forms of the 送温暖 pages. They collect what is typed; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.core.forms import confirm_warnings_field
from jiaogong.donations.forms import amount_field
from jiaogong.funds import caps as caps_rules
from jiaogong.members.forms import text_field
from jiaogong.welfare import selectors

VISIT_FORM_CHOICES = [
    ("", "— 不发放钱物 —"),
    ("cash", "慰问金（现金）"),
    ("goods", "慰问品（实物）"),
    ("souvenir", "纪念品"),
    ("cake_voucher", "蛋糕券"),
]


def _member_label(m) -> str:
    return f"{m.name}（{m.union_group.name if m.union_group_id else '未分组'}）"


class ReportForm(forms.Form):
    member = forms.ChoiceField(label="慰问谁", error_messages={"required": "请选择会员。"})
    kind = forms.ChoiceField(
        label="什么事", widget=forms.RadioSelect, error_messages={"required": "请选择事由。"}
    )
    occurred_on = date_field("发生日期")
    note = text_field(
        "简要说明（可不填）",
        200,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：在县医院住院，已告知家属。不必写病情。"}),
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(str(m.pk), _member_label(m)) for m in selectors.colleagues(org)]
        self.fields["kind"].choices = [(t.key, t.label) for t in selectors.triggers(org).values()]


class AssignForm(forms.Form):
    visitor = forms.ChoiceField(label="走访人", error_messages={"required": "请选择走访人。"})
    due_on = date_field("走访期限")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].choices = [("", "— 请选择 —")] + [
            (str(m.pk), f"{m.name}（{why}）") for m, why in selectors.visitor_candidates(org)
        ]


class VisitForm(forms.Form):
    visited_on = date_field("走访日期")
    visitors = forms.MultipleChoiceField(
        label="走访人（可多选）",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一位走访人。"},
    )
    form = forms.ChoiceField(label="慰问形式", choices=VISIT_FORM_CHOICES, required=False)
    amount = amount_field("金额（元，不发钱物可不填）")
    caps_kind = forms.ChoiceField(label="慰问标准", required=False)
    photo = forms.FileField(
        label="走访照片（JPG 或 PNG，可不传）",
        required=False,
        help_text="可用手机直接拍照；如提示有误未登记，请重新选择照片。",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    note = text_field("走访情况", 500, widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = text_field(
        "超标准发放理由（仅工会主席填写）",
        200,
        help_text="超过慰问标准时，主席填写理由后可以发放，留痕备查。",
    )
    confirm_warnings = confirm_warnings_field()

    def __init__(self, *args, org, event, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        people = {m.pk: m for m, _why in selectors.visitor_candidates(org)}
        if event.visitor_id and event.visitor_id not in people:
            people[event.visitor_id] = event.visitor
        self.fields["visitors"].choices = [
            (str(m.pk), m.name) for m in sorted(people.values(), key=lambda m: (m.name_pinyin, m.pk))
        ]
        trigger = selectors.triggers(org).get(event.kind)
        kinds = trigger.caps_kinds if trigger else ()
        self.fields["caps_kind"].choices = [(k, caps_rules.KIND_LABELS[k]) for k in kinds]
        if len(kinds) <= 1:
            self.fields["caps_kind"].widget = forms.HiddenInput()
        if not can_override:
            del self.fields["override_reason"]


class FestivalBatchForm(forms.Form):
    festival = forms.ChoiceField(label="节日")
    given_on = date_field("发放日期")
    item = text_field("慰问品", 100, widget=forms.TextInput(attrs={"placeholder": "如 大米一袋、食用油一桶"}))
    amount_active = amount_field("在职会员每人（元）", help_text="不含此类人员请留空。")
    amount_retired = amount_field("退休会员每人（元）", help_text="重阳节只慰问退休教职工时，在职一栏留空。")
    hardship_extra = amount_field(
        "困难职工家庭每户另加（元）", help_text="按困难职工档案（深度困难、相对困难、意外致困）在档的会员。"
    )
    handler = text_field("经办人", 50)

    def __init__(self, *args, festivals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["festival"].choices = [(f, f) for f in festivals]


class BirthdayBatchForm(forms.Form):
    month = forms.TypedChoiceField(label="月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])
    given_on = date_field("发放日期")
    form = forms.ChoiceField(
        label="形式", choices=[("cake_voucher", "蛋糕券"), ("goods", "生日蛋糕（实物）")]
    )
    item = text_field("慰问品", 100, widget=forms.TextInput(attrs={"placeholder": "如 生日蛋糕券一张"}))
    amount_birthday = amount_field("每人（元）")
    handler = text_field("经办人", 50)


class MeetingForm(forms.Form):
    title = text_field(
        "座谈会名称", 100, widget=forms.TextInput(attrs={"placeholder": "如 重阳节退休教职工座谈会"})
    )
    held_on = date_field("召开日期")
    place = text_field("地点", 100, widget=forms.TextInput(attrs={"placeholder": "如 学校会议室"}))
    topic = text_field(
        "议题",
        1000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "如 通报学校一年来的工作；听取退休教师的意见和建议"}
        ),
    )
    attendees = forms.MultipleChoiceField(
        label="参会的退休教职工（可多选）",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一位参会的退休教职工。",
            "invalid_choice": "所选的人不是本工会的退休会员，请从名单中选择。",
        },
    )
    guests = text_field(
        "出席的校领导和来宾",
        300,
        widget=forms.TextInput(attrs={"placeholder": "如 李校长、工会主席王某"}),
    )
    summary = text_field("会议纪要", 5000, widget=forms.Textarea(attrs={"rows": 6}))
    cost = amount_field(
        "费用（元，可不填）", help_text="茶点、慰问品等；填写后记入账簿（职工活动支出 · 集体福利）。"
    )
    confirm_warnings = confirm_warnings_field()

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [
            (str(m.pk), m.name) for m in selectors.retirees(org).order_by("name_pinyin", "id")
        ]
