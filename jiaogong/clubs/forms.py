"""Forms of the 兴趣小组 pages: they collect text; the services check every rule."""

import datetime

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.core.forms import confirm_warnings_field
from jiaogong.members.forms import text_field


class ClubForm(forms.Form):
    name = text_field(
        "小组名称", 50, widget=forms.TextInput(attrs={"placeholder": "如 教师书画社、羽毛球兴趣小组"})
    )
    description = text_field("简介", 2000, widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    year = forms.CharField(label="年度", max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    text = text_field(
        "年度活动计划",
        10000,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "placeholder": "如：每周三下午第三节课后活动一次；三月 春季写生；九月 教师节书画作品展……",
            }
        ),
    )


class SessionForm(forms.Form):
    title = text_field("活动名称", 100, widget=forms.TextInput(attrs={"placeholder": "如 书法临帖练习"}))
    day = date_field("日期")
    start = forms.TimeField(
        label="开始时刻",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "请填写开始时刻。", "invalid": "时刻应写成 16:20。"},
    )
    end = forms.TimeField(
        label="结束时刻",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "请填写结束时刻。", "invalid": "时刻应写成 17:00。"},
    )
    location = text_field("地点", 100)
    weekly = forms.ChoiceField(
        label="重复",
        required=False,
        choices=[("", "不重复"), ("FREQ=WEEKLY", "每周一次"), ("FREQ=WEEKLY;INTERVAL=2", "每两周一次")],
    )
    capacity = forms.IntegerField(
        label="名额（可不填）",
        required=False,
        min_value=1,
        max_value=100000,
        error_messages={
            "invalid": "名额应为整数。",
            "min_value": "名额至少为 1。",
            "max_value": "名额过大。",
        },
    )
    description = text_field("活动内容", 2000, widget=forms.Textarea(attrs={"rows": 3}))


class BudgetForm(forms.Form):
    year = forms.CharField(label="年度", max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    lines = forms.CharField(
        label="预算明细（每行一项：项目 金额）",
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "宣纸、墨汁 800\n外请书法老师讲座 1200\n作品装裱 1000"}
        ),
        error_messages={"required": "请至少填写一项预算明细。"},
    )
    note = text_field("说明", 500, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_lines(self) -> list[dict]:
        """ "宣纸、墨汁 800" → {"item": "宣纸、墨汁", "amount": "800"}: the amount is the last word."""
        out = []
        for number, raw in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            text = raw.strip()
            if not text:
                continue
            parts = text.replace("\u3000", " ").rsplit(None, 1)
            if len(parts) != 2:
                raise forms.ValidationError(
                    f"第 {number} 行“{text[:20]}”：请写成“项目 金额”，例如“宣纸 800”。"
                )
            item, amount = parts
            out.append({"item": item, "amount": amount.removesuffix("元")})
        return out


class ApproveForm(forms.Form):
    amount = forms.CharField(
        label="批准金额（元，不填为全额）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reason = text_field("审批意见", 500)


class RefuseForm(forms.Form):
    reason = text_field("不批准的理由", 500)


class SpendingForm(forms.Form):
    date = date_field("日期")
    amount = forms.CharField(
        label="金额（元）",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": "请填写金额。"},
    )
    memo = text_field("摘要", 150, widget=forms.TextInput(attrs={"placeholder": "如 购买宣纸、墨汁"}))
    payee = text_field("收款人", 100)
    confirm_warnings = confirm_warnings_field()


def initial_session(today: datetime.date) -> dict:
    return {"day": today, "start": datetime.time(16, 20), "end": datetime.time(17, 0)}
