"""Forms of the 疗休养 pages. They collect text; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.members.forms import text_field


def count_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PlanForm(forms.Form):
    year = count_field("年度")
    title = text_field("名称（可不填）", 100, help_text="不填则为“某年度职工疗休养”。")
    quota = count_field("名额（人）")
    destination = text_field("疗休养地点（可不填）", 100)
    opens_on = date_field("报名开始")
    closes_on = date_field("报名截止")
    note = text_field("说明", 500, widget=forms.Textarea(attrs={"rows": 2}))


class BatchForm(forms.Form):
    name = text_field("批次名称", 50, widget=forms.TextInput(attrs={"placeholder": "如 第一批"}))
    starts_on = date_field("出发日期")
    ends_on = date_field("返回日期")
    places = count_field("名额（人）")


class ApplyForm(forms.Form):
    note = text_field("申请说明（可不填）", 200)


class RejectForm(forms.Form):
    reason = text_field("未批准的原因", 200)


class TripForm(forms.Form):
    went_on = date_field("出发日期")
    destination = text_field("地点", 100)
    note = text_field("说明", 200)
