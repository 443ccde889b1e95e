"""Forms of the congress pages. They collect text; the services check every rule."""

from django import forms

from jiaogong.congress.models import AgendaItem, CongressTerm, Delegate, Poll
from jiaogong.core.parsing import parse_date
from jiaogong.members.forms import text_field


class DateText(forms.CharField):
    """A date typed or picked (2026-12-10, 2026/12/10, 2026年12月10日), with Chinese messages."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, label: str, **kwargs):
        super().__init__(label=label, error_messages={"required": f"请填写{label}。"}, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None


def date_field(label: str, required: bool = True) -> DateText:
    return DateText(label, required=required)


class CongressForm(forms.Form):
    term = forms.IntegerField(
        label="届次（第几届）", min_value=1, max_value=999, error_messages={"required": "请填写届次。"}
    )
    session = forms.IntegerField(
        label="本届第几次会议", min_value=1, max_value=99, error_messages={"required": "请填写次数。"}
    )
    title = text_field("会议名称", 100)
    opens_on = date_field("开会日期")
    mode = forms.ChoiceField(label="形式", choices=CongressTerm.Mode.choices)
    years = forms.TypedChoiceField(label="新一届任期", choices=[(5, "5 年"), (3, "3 年")], coerce=int)


class AgendaForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AgendaItem.Kind.choices)
    title = text_field("议题", 200)


class DelegateForm(forms.Form):
    member = forms.ChoiceField(label="会员")
    kind = forms.ChoiceField(label="类别", choices=Delegate.Kind.choices)
    unit = forms.ChoiceField(label="选举单位", required=False)
    elected_on = date_field("当选日期")

    def __init__(self, *args, members, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "请选择会员"), *((str(m.pk), m.name) for m in members)]
        self.fields["unit"].choices = [("", "本人所在工会小组"), *((str(u.pk), u.name) for u in units)]


class EndSeatForm(forms.Form):
    reason = forms.ChoiceField(label="原因", choices=Delegate.EndReason.choices)
    on = date_field("日期")
    successor = forms.ChoiceField(label="补选代表（可不填）", required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].choices = [("", "不补选"), *((str(m.pk), m.name) for m in members)]


class PollForm(forms.Form):
    title = text_field("表决事项", 200)
    kind = forms.ChoiceField(label="方式", choices=Poll.Kind.choices, initial=Poll.Kind.SECRET)
    candidates = forms.CharField(
        label="选举候选人（每行一名；不填即为表决 赞成/反对/弃权）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seats = forms.IntegerField(label="应选人数（选举时填写）", required=False, min_value=1, max_value=999)
    contested = forms.BooleanField(label="差额选举", required=False, initial=True)


class PaperForm(forms.Form):
    title = text_field("材料名称", 200)
    sent_on = date_field("送达代表日期")
    file = forms.FileField(label="文件（可不上传）", required=False)
