"""Forms of the 体检 pages: they collect text; the services check every rule."""

from django import forms

from jiaogong.checkups.models import Entry, Round
from jiaogong.congress.forms import date_field
from jiaogong.members.forms import text_field


class RoundForm(forms.Form):
    title = text_field("名称", 100, widget=forms.TextInput(attrs={"placeholder": "如 2026年教职工健康体检"}))
    kind = forms.ChoiceField(label="类别", choices=Round.Kind.choices, help_text="妇检和两癌筛查只列女职工。")
    year = forms.CharField(
        label="年度", max_length=4, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    starts_on = date_field("开始日期")
    ends_on = date_field("结束日期")
    provider = text_field(
        "体检机构", 100, widget=forms.TextInput(attrs={"placeholder": "如 县人民医院体检中心"})
    )
    cost_per_person = forms.CharField(
        label="人均费用（元，可不填）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="只显示应付合计，不记入工会账簿；付款由财务委员另行记账。",
    )
    include_retirees = forms.BooleanField(label="含退休会员", required=False)
    note = text_field("说明", 500, widget=forms.Textarea(attrs={"rows": 2}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=Entry.Status.choices)
    on = date_field("日期", required=False)
