from django import forms

from jiaogong.core.rules import Rule
from jiaogong.core.text import clean

# The phone's own pickers for dates and times.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TextField(forms.CharField):
    """A CharField that drops control characters (core/text.py): a Textarea keeps its line breaks
    and tabs, a one-line input has them turned into spaces. Every request's text is already
    cleaned by core.limits.CleanFormText; this also decides the single-line case per field."""

    def to_python(self, value):
        if isinstance(value, str):
            value = clean(value, multiline=isinstance(self.widget, forms.Textarea))
        return super().to_python(value)


def text_field(label, max_length, required=False, **kwargs) -> forms.CharField:
    """A text field whose messages name it in Chinese."""
    return TextField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"required": f"请填写{label}。", "max_length": f"{label}最多 %(limit_value)d 个字。"},
        **kwargs,
    )


def capacity_field(label="名额（不限请留空）") -> forms.IntegerField:
    """The places of an activity that takes sign-ups; empty is unlimited."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=100000,
        error_messages={
            "invalid": "名额应为整数。",
            "min_value": "名额至少为 1。",
            "max_value": "名额过大。",
        },
    )


def deadline_field(label="报名截止", example="2026-09-03 18:00") -> forms.DateTimeField:
    """When sign-ups close (a date alone means its midnight)."""
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=WHEN,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"invalid": f"报名截止的格式不对，例如 {example}。"},
    )


# What to type for each kind of rule parameter (shown under the value field).
KIND_HINTS = {
    "int": "填写整数。",
    "decimal": "填写数字，如 0.6 或 1500。",
    "fraction": "填写分数，如 2/3。",
    "bool": "填写“是”或“否”。",
    "list": "多项用顿号或逗号分隔，如 3、5。",
    "table": "按当前值的 JSON 格式填写。",
}


class RuleOverrideForm(forms.Form):
    """The chair's override of one rule for the org. Validation of the value is the rule's own
    (core.rules.parse_value, via set_org_value), so both fields are checked there."""

    value = forms.CharField(label="本单位取值", required=False, max_length=2000)
    source = forms.CharField(
        label="依据",
        required=False,
        max_length=300,
        error_messages={"max_length": "依据最多 %(limit_value)d 个字。"},
        help_text="文件名称或会议决定，如“2026年第3次工会委员会会议决定”。",
    )

    def __init__(self, *args, rule: Rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        value = self.fields["value"]
        value.error_messages["max_length"] = "取值太长。"
        if rule.kind == "choice":
            value.help_text = "可选：" + "、".join(label for _, label in rule.choices)
        else:
            value.help_text = KIND_HINTS.get(rule.kind, "")
        if rule.unit:
            value.help_text += f"单位：{rule.unit}。"
        if rule.kind == "table":
            value.widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})
        else:
            value.widget.attrs["inputmode"] = "decimal" if rule.kind in {"int", "decimal"} else "text"


class AuditFilterForm(forms.Form):
    """Filters of the audit page: an action prefix and an actor (both optional)."""

    action = forms.ChoiceField(label="操作类别", required=False)
    actor = forms.ChoiceField(label="操作人", required=False)

    def __init__(self, *args, action_choices, actor_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部操作"), *action_choices]
        self.fields["actor"].choices = [("", "全部人员"), *actor_choices]


def confirm_warnings_field():
    """The box the person acting ticks to confirm a warning (NeedsConfirmation, e.g. 八不准):
    hidden until the service raised one; add_domain_errors then shows it under the warnings."""
    return forms.BooleanField(label="已核实，仍要记账", required=False, widget=forms.HiddenInput)
