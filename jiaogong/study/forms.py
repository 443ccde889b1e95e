"""Forms of the 学习 pages: they collect text; the services check every rule."""

from django import forms

from jiaogong.congress.forms import date_field
from jiaogong.members.forms import text_field


def time_field(label: str, example: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": f"请填写{label}。", "invalid": f"时刻应写成 {example}。"},
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("political_study", "政治学习"), ("professional_study", "业务学习")]
    )
    topic = text_field(
        "学习主题", 100, widget=forms.TextInput(attrs={"placeholder": "如 学习《中华人民共和国教师法》"})
    )
    day = date_field("日期")
    start = time_field("开始时刻", "16:20")
    end = time_field("结束时刻", "17:00")
    location = text_field("地点", 100, widget=forms.TextInput(attrs={"placeholder": "如 学校会议室"}))
    material_text = text_field("学习材料（文字）", 50000, widget=forms.Textarea(attrs={"rows": 5}))
    material = forms.FileField(
        label="材料文件（PDF 或 Word，可不传）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
    )
    reflection_due = date_field("心得提交截止")


class ReflectionForm(forms.Form):
    text = text_field("我的心得体会", 5000, widget=forms.Textarea(attrs={"rows": 8}))


class BookForm(forms.Form):
    title = text_field("书名", 100, widget=forms.TextInput(attrs={"placeholder": "如 给教师的建议"}))
    author = text_field("作者", 100, widget=forms.TextInput(attrs={"placeholder": "如 苏霍姆林斯基"}))
    finished_on = date_field("读完日期")
    reflection = text_field("读书心得", 5000, widget=forms.Textarea(attrs={"rows": 6}))
