"""Forms of the hardship pages. They collect text; the services check every rule (and give the
Chinese messages). The household members and the income / expense items are fixed rows of the
page (blank rows are ignored), parsed by `rows_from`."""

from django import forms
from django.db.models import Exists, OuterRef

from jiaogong.congress.forms import date_field
from jiaogong.core.forms import confirm_warnings_field
from jiaogong.hardship.models import (
    CAUSES,
    EXPENSE_KINDS,
    HOUSING,
    INCOME_KINDS,
    HardshipFile,
    HelpRecord,
    Review,
)
from jiaogong.members.forms import text_field
from jiaogong.members.models import Member

HOUSEHOLD_ROWS = 6
ITEM_ROWS = 4
HOUSEHOLD_FIELDS = ("name", "relation", "birth_year", "occupation", "health", "annual_income")


def money_field(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class FileForm(forms.Form):
    member = forms.ChoiceField(label="职工", required=False)
    household_size = forms.CharField(
        label="家庭人口（含本人）",
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="不填则按下面登记的家庭成员加本人计算。",
    )
    annual_income = money_field("家庭年收入（元）", help_text="全家全年可支配收入；不填则按收入明细合计。")
    rigid_expenses = money_field("刚性支出（元/年）", help_text="医疗、教育、住房等；不填则按支出明细合计。")
    hardship_costs = money_field(
        "当年致困支出（元）", help_text="当年因病、因灾、意外等造成的支出，没有填 0。"
    )
    dibao_monthly = money_field("当地低保标准（元/人·月）")
    locality = text_field("所在地（低保标准所属）", 100)
    major_incident = forms.BooleanField(label="家庭成员在重大事故中伤亡", required=False)
    causes = forms.MultipleChoiceField(
        label="致困原因（可多选）",
        required=False,
        choices=list(CAUSES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    health = text_field("本人健康状况", 200, help_text="如：患病、残疾及程度；健康的填“健康”。")
    housing = forms.ChoiceField(
        label="住房情况", required=False, choices=[("", "— 请选择 —"), *HOUSING.items()]
    )
    housing_note = text_field("住房说明", 200)
    opened_on = date_field("建档日期")
    note = text_field("备注", 500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, org, file=None, **kwargs):
        super().__init__(*args, **kwargs)
        if file is not None:
            del self.fields["member"]
            return
        members = (
            Member.objects.filter(org=org, status__in=(Member.Status.ACTIVE, Member.Status.RETIRED))
            .exclude(Exists(HardshipFile.objects.filter(member=OuterRef("pk"), closed_on__isnull=True)))
            .select_related("union_group")
            .order_by("name_pinyin", "pk")
        )
        self.fields["member"].choices = [
            ("", "— 请选择 —"),
            *(
                (str(m.pk), f"{m.name}（{m.union_group.name if m.union_group_id else '未分组'}）")
                for m in members
            ),
        ]


def rows_from(data, prefix: str, fields: tuple[str, ...], count: int) -> list[dict]:
    """The fixed rows named `<prefix>-<i>-<field>` (i from 1)."""
    return [{f: data.get(f"{prefix}-{i}-{f}", "").strip() for f in fields} for i in range(1, count + 1)]


def household_rows(data=None, file=None) -> list[dict]:
    """The household table's rows for the page: posted, or the file's, padded with blanks."""
    if data is not None:
        rows = rows_from(data, "h", HOUSEHOLD_FIELDS, HOUSEHOLD_ROWS)
    elif file is not None:
        rows = [
            {
                "name": h.name,
                "relation": h.relation,
                "birth_year": h.birth_year or "",
                "occupation": h.occupation,
                "health": h.health,
                "annual_income": h.annual_income if h.annual_income is not None else "",
            }
            for h in file.household.all()
        ]
    else:
        rows = []
    rows += [dict.fromkeys(HOUSEHOLD_FIELDS, "") for _ in range(HOUSEHOLD_ROWS - len(rows))]
    return rows[: max(HOUSEHOLD_ROWS, len(rows))]


def item_rows(data, prefix: str, items=None) -> list[dict]:
    if data is not None:
        rows = rows_from(data, prefix, ("kind", "amount"), ITEM_ROWS)
    else:
        rows = [dict(i) for i in items or []]
    rows += [{"kind": "", "amount": ""} for _ in range(ITEM_ROWS - len(rows))]
    return rows


ITEM_KINDS = {"inc": INCOME_KINDS, "exp": EXPENSE_KINDS}


class ReviewForm(forms.Form):
    reviewed_on = date_field("复核日期")
    conclusion = forms.ChoiceField(label="复核结论", choices=Review.Conclusion.choices)
    household_size = forms.CharField(label="家庭人口（有变化时填）", required=False, max_length=3)
    annual_income = money_field("家庭年收入（有变化时填）")
    rigid_expenses = money_field("刚性支出（有变化时填）")
    hardship_costs = money_field("当年致困支出（有变化时填）")
    dibao_monthly = money_field("当地低保标准（有变化时填）")
    note = text_field("复核说明", 500, widget=forms.Textarea(attrs={"rows": 2}), help_text="销档时写明原因。")


class HelpForm(forms.Form):
    kind = forms.ChoiceField(label="帮扶类型", choices=HelpRecord.Kind.choices)
    given_on = date_field("帮扶日期")
    form = forms.ChoiceField(label="形式", choices=HelpRecord.Form.choices)
    amount = money_field(
        "金额（元）", help_text="现金、转账必填；就业服务等非现金帮扶可不填。有金额的自动记账。"
    )
    note = text_field("说明", 200)
    confirm_warnings = confirm_warnings_field()


class CloseForm(forms.Form):
    closed_on = date_field("销档日期")
    close_reason = text_field("销档原因", 200)
