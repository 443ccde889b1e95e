"""Forms of the 互助保障 pages: they collect text; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.members.forms import text_field
from jiaogong.mutual_aid.models import Claim


def money_field(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class PlanForm(forms.Form):
    name = text_field(
        "保障项目", 100, widget=forms.TextInput(attrs={"placeholder": "如 职工住院医疗互助保障"})
    )
    year = forms.CharField(
        label="年度", max_length=4, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    premium = money_field("每人保费（元）")
    covers_from = date_field("保障期开始")
    covers_to = date_field("保障期结束")
    note = text_field("说明", 500, widget=forms.Textarea(attrs={"rows": 2}))


class ClaimForm(forms.Form):
    member = forms.CharField(label="会员（已参保）", required=False, widget=forms.Select)
    event_on = date_field("事故/住院日期")
    kind = forms.ChoiceField(label="类别", choices=Claim.Kind.choices)
    amount_claimed = money_field("申请金额（元）")
    note = text_field("说明", 200, help_text="如：县人民医院住院 8 天。不写病情细节。")

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].widget.choices = [
            ("", "— 请选择 —"),
            *((str(e.member_id), e.member.name) for e in enrolments),
        ]


class PayForm(forms.Form):
    amount_paid = money_field("赔付金额（元）")
    paid_on = date_field("赔付日期")


class RefuseForm(forms.Form):
    reason = text_field("不予赔付原因", 200)
