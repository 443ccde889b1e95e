"""Forms of the member pages.

They only collect text: every rule (required fields, the ID checksum, dates, transitions) is
checked by the services, whose Chinese messages are put back on these fields by
core.views_support.add_domain_errors. So most fields are `required=False` here on purpose.
"""

from django import forms

from jiaogong.members import rules
from jiaogong.members.models import CommitteeSeat, CommitteeTerm, GroupLeader, Member, UnionGroup
from jiaogong.members.selectors import LISTS


def date_field(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def text_field(label: str, max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{label}最多 %(limit_value)d 个字。"},
        **kwargs,
    )


def member_choices(members) -> list:
    return [("", "请选择会员"), *((str(m.pk), m.name) for m in members)]


# ---- the member list filters --------------------------------------------------------------------


class MemberFilterForm(forms.Form):
    """The list's query string. Invalid values are ignored (cleaned_data keeps the valid ones)."""

    q = forms.CharField(label="查找", required=False, max_length=50)
    status = forms.ChoiceField(label="状态", required=False)
    group = forms.ChoiceField(label="工会小组", required=False)
    gender = forms.ChoiceField(label="性别", required=False)
    teacher = forms.ChoiceField(label="教师/非教师", required=False)
    list = forms.ChoiceField(label="名单", required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "姓名、拼音或首字母，如 zs",
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        )
        self.fields["status"].choices = [("", "全部状态"), *Member.Status.choices]
        self.fields["group"].choices = [("", "全部小组"), *((str(g.pk), g.name) for g in groups)]
        self.fields["gender"].choices = [("", "男女不限"), *Member.Gender.choices]
        self.fields["teacher"].choices = [("", "教师与非教师"), ("1", "教师"), ("0", "非教师")]
        self.fields["list"].choices = [("", "全部"), *LISTS.items()]
        self.fields["list"].widget = forms.HiddenInput()

    def values(self) -> dict:
        """The valid filters, with empty strings for the rest."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in self.fields}


# ---- a member's record --------------------------------------------------------------------------


class MemberForm(forms.Form):
    name = text_field("姓名", 50, widget=forms.TextInput(attrs={"autocomplete": "off", "required": True}))
    gender = forms.ChoiceField(label="性别", required=False)
    birth_date = date_field("出生日期")
    id_number = text_field(
        "身份证号",
        30,
        help_text="18位，最后一位可为X；填写后核对校验位、出生日期和性别。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = text_field("手机", 20, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    hire_date = date_field("入职日期", help_text="用于计算教龄。")
    is_teacher = forms.BooleanField(label="是教师", required=False)
    is_cadre = forms.BooleanField(label="中层以上干部", required=False)
    post = text_field("岗位/职务", 50)
    union_group = forms.ChoiceField(label="工会小组", required=False)
    joined_on = date_field("入会日期")
    status = forms.ChoiceField(label="状态", required=False)

    def __init__(
        self, *args, groups, creating: bool, sensitive: bool = True, masked: dict | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", "请选择"), *Member.Gender.choices]
        self.fields["union_group"].choices = [("", "未分组"), *((str(g.pk), g.name) for g in groups)]
        if creating:
            # A new record is a member, an applicant or a non-member employee; other statuses
            # are reached through 变更状态 with a date.
            self.fields["status"].choices = [
                (code, label)
                for code, label in Member.Status.choices
                if code in ("active", "applicant", "non_member")
            ]
        else:
            del self.fields["status"]
        self.sensitive = sensitive
        if not sensitive:
            # This user sees masked values: leave the inputs empty (empty keeps the stored value).
            for name in ("id_number", "phone"):
                field = self.fields[name]
                field.help_text = "现为 " + ((masked or {}).get(name) or "未填") + "；留空则不修改。"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not self.sensitive:
            for name in ("id_number", "phone"):
                if not data.get(name):
                    data.pop(name, None)
        return data


# ---- status and joining -------------------------------------------------------------------------


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label="新状态")
    effective_on = date_field("生效日期")
    destination = text_field("调往单位", 100, help_text="调出时必填。")
    note = text_field("说明", 200)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rules.TRANSITIONS.get(member.status, set())
        if member.status == Member.Status.APPLICANT:
            allowed = allowed - {"active"}  # joining is approved on its own page
        self.fields["to_status"].choices = [
            (code, label) for code, label in Member.Status.choices if code in allowed
        ]
        self.fields["to_status"].error_messages["invalid_choice"] = "不能改为该状态。"
        self.fields["to_status"].error_messages["required"] = "请选择新状态。"


class ApproveForm(forms.Form):
    approved_on = date_field("批准日期")
    meeting = text_field("会议记录", 200, help_text="如：2026年第3次工会委员会会议。")


class RejectForm(forms.Form):
    decided_on = date_field("决定日期")
    reason = text_field("不予批准的理由", 200, widget=forms.Textarea(attrs={"rows": 2}))


# ---- groups -------------------------------------------------------------------------------------


class GroupForm(forms.Form):
    name = text_field("小组名称", 50)
    kind = forms.ChoiceField(label="类型", choices=UnionGroup.Kind.choices, required=False)
    note = text_field("备注", 200)


class LeaderForm(forms.Form):
    member = forms.ChoiceField(label="会员")
    role = forms.ChoiceField(label="职务", choices=GroupLeader.Role.choices)
    elected_on = date_field("选举日期")

    def __init__(self, *args, in_group, others, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.choices = [
            ("", "请选择会员"),
            ("本组会员", [(str(m.pk), m.name) for m in in_group]),
            ("其他会员", [(str(m.pk), m.name) for m in others]),
        ]
        field.error_messages["required"] = "请选择会员。"
        field.error_messages["invalid_choice"] = "请选择本单位的在册会员。"


# ---- committee ----------------------------------------------------------------------------------


class TermForm(forms.Form):
    body = forms.ChoiceField(label="机构", choices=CommitteeTerm.Body.choices)
    number = forms.CharField(
        label="届次", required=False, widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})
    )
    elected_on = date_field("选举日期")
    years = forms.ChoiceField(label="任期")

    def __init__(self, *args, term_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [(str(y), f"{y} 年") for y in term_years]


class SeatForm(forms.Form):
    term = forms.ChoiceField(label="届次")
    member = forms.ChoiceField(label="会员")
    position = forms.ChoiceField(label="职务", choices=CommitteeSeat.Position.choices)
    portfolio = forms.ChoiceField(label="分工", choices=CommitteeSeat.Portfolio.choices, required=False)
    since = date_field("任职日期", help_text="留空为本届选举日期。")

    def __init__(self, *args, terms, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(str(t.pk), str(t)) for t in terms]
        self.fields["member"].choices = member_choices(members)
        self.fields["member"].error_messages["required"] = "请选择会员。"
        self.fields["member"].error_messages["invalid_choice"] = "请选择本单位的会员。"


class SeatEndForm(forms.Form):
    until = date_field("离任日期")


# ---- roster import ------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label="名册文件（.xlsx）",
        error_messages={"required": "请选择要导入的名册文件。", "empty": "文件是空的。"},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
