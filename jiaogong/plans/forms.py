"""Forms of the 工作计划 pages. They collect what is typed; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.members.forms import text_field
from jiaogong.plans import links
from jiaogong.plans.models import Item, Plan

KIND_CHOICES = Plan.Kind.choices
SEASON_CHOICES = [("", "—（年度、学年计划不选）"), *Plan.Season.choices]
PERIOD_CHOICES = [("month", "月份"), ("quarter", "季度"), ("week", "周次"), ("", "时间待定")]


def _int_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )


class PlanForm(forms.Form):
    title = text_field("标题", 200, widget=forms.TextInput(attrs={"placeholder": "如：2025年工会工作计划"}))
    kind = forms.ChoiceField(label="计划类型", choices=KIND_CHOICES)
    year = _int_field("年度", "学年计划填开始的年份（2025 即 2025—2026学年）；学期计划填学期开始的年份。")
    season = forms.ChoiceField(label="学期", choices=SEASON_CHOICES, required=False)
    starts_on = date_field("开学（起始）日期，可不填", required=False)
    starts_on.help_text = (
        "按周安排时，第一周从这一天所在的周一算起。不填：年度计划 1月1日，秋季 9月1日，春季 3月1日。"
    )
    guidance = text_field("指导思想", 20000, widget=forms.Textarea(attrs={"rows": 5}))


class PlanEditForm(PlanForm):
    remainder = text_field(
        "待归类的文字",
        200000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="导入时未能识别的文字。可在“归类”页逐行放入计划，也可在这里直接修改。",
    )


class SectionForm(forms.Form):
    title = text_field("标题", 300)
    text = text_field("内容", 20000, widget=forms.Textarea(attrs={"rows": 8}))


class ItemForm(forms.Form):
    period_kind = forms.ChoiceField(label="时间单位", choices=PERIOD_CHOICES, required=False)
    period_start = _int_field("第几（月/季度/周）", "如 9 即九月、第三季度填 3、第 5 周填 5。")
    period_end = _int_field("至（可不填）", "跨几个月或几周时填最后一个，如“八、九月份”填 8 至 9。")
    text = text_field("工作内容", 2000, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    text = forms.CharField(
        label="计划文字",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "placeholder": "把去年的计划（Word 或网页）全选复制，粘贴到这里。"}
        ),
    )
    title = text_field("标题（不填则用识别出的标题）", 200)
    kind = forms.ChoiceField(label="计划类型", choices=[("", "按识别结果"), *KIND_CHOICES], required=False)
    year = _int_field("年度（不填则用识别出的年份）")
    season = forms.ChoiceField(label="学期", choices=SEASON_CHOICES, required=False)
    starts_on = date_field("开学（起始）日期，可不填", required=False)


class PlaceForm(forms.Form):
    TARGETS = [
        ("item", "放入工作安排"),
        ("section", "加到某一部分的末尾"),
        ("new_section", "作为新的部分标题"),
        ("guidance", "加到指导思想"),
        ("discard", "删除这一行"),
    ]
    line = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.ChoiceField(label="放到", choices=TARGETS)
    section_id = forms.ChoiceField(label="哪一部分", required=False)
    period_kind = forms.ChoiceField(label="时间单位", choices=PERIOD_CHOICES, required=False)
    period_start = _int_field("第几")
    period_end = _int_field("至")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_id"].choices = [("", "—")] + [
            (str(s.pk), s.title[:30]) for s in plan.sections.all()
        ]


def link_kind_choices():
    return [(k.key, k.label) for k in links.REGISTRY.values()]


STATUS_CHOICES = [
    (Item.Status.PLANNED, "计划中"),
    (Item.Status.DONE, "已完成"),
    (Item.Status.CANCELLED, "已取消"),
]
