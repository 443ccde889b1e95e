"""Forms of the donation pages. They collect text; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.donations.models import Contribution
from jiaogong.members.forms import text_field
from jiaogong.members.models import Member

GIVER_STATUSES = (Member.Status.ACTIVE, Member.Status.RETIRED, Member.Status.NON_MEMBER)


def amount_field(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


def givers_of(org):
    """Who may give: staff on the roll (members, retirees, non-member staff), by pinyin."""
    return (
        Member.objects.filter(org=org, status__in=GIVER_STATUSES)
        .select_related("union_group")
        .order_by("name_pinyin", "pk")
    )


class CampaignForm(forms.Form):
    title = text_field("活动名称", 100, widget=forms.TextInput(attrs={"placeholder": "如 2026年慈善一日捐"}))
    beneficiary = text_field(
        "接收单位", 100, widget=forms.TextInput(attrs={"placeholder": "如 区慈善总会、县红十字会"})
    )
    purpose = text_field("用途", 200, help_text="如：帮扶困难群众、助学、救灾。")
    starts_on = date_field("开始日期")
    ends_on = date_field("截止日期")
    suggested_amount = amount_field("倡议金额（元，可不填）", help_text="“一日捐”倡议捐一天工资的，可不填。")
    note = text_field("说明", 500, widget=forms.Textarea(attrs={"rows": 2}))


class ContributionForm(forms.Form):
    member = forms.ChoiceField(label="捐款人（会员或职工）", required=False)
    name = text_field("或：名册外捐款人姓名", 50, help_text="临聘人员等不在名册中的，填写姓名，上面不选。")
    amount = amount_field("金额（元）")
    paid_on = date_field("捐款日期")
    method = forms.ChoiceField(label="方式", choices=Contribution.Method.choices)
    memo = text_field("备注", 200)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            ("", "— 请选择 —"),
            *(
                (str(m.pk), f"{m.name}（{m.union_group.name if m.union_group_id else '未分组'}）")
                for m in givers_of(org)
            ),
        ]


class BatchForm(forms.Form):
    """The common part of a group's envelope: when and how; the amounts are one input a person."""

    paid_on = date_field("捐款日期")
    method = forms.ChoiceField(label="方式", choices=Contribution.Method.choices)


class HandOverForm(forms.Form):
    handed_on = date_field("移交日期")
    recipient = text_field("接收单位", 100)
    amount = amount_field("移交金额（元）", help_text="应等于已收捐款合计。")
    receipt_number = text_field("收据编号", 50, help_text="接收单位开具的捐赠收据或票据号码。")
    note = text_field("说明", 200, help_text="如：转账至区慈善总会账户。")
