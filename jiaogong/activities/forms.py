"""Forms of the 活动 pages. They collect what is typed; the services check every rule.

The repeat picker (不重复 / 每周 / 每两周 / 每月, the weekday, until) writes the RRULE, so nobody
types RFC 5545; a rule the picker cannot show stays editable as text (自定义规则).
"""

import datetime
import re

from django import forms
from django.utils import timezone

from jiaogong.activities import recurrence
from jiaogong.activities.models import Activity
from jiaogong.activities.services import COST_SUBCATEGORIES
from jiaogong.core.forms import DATE, TIME, capacity_field, confirm_warnings_field, deadline_field, text_field


class ActivityForm(forms.Form):
    title = text_field("活动名称", 100, required=True)
    kind = forms.ChoiceField(label="类型", choices=[("", "— 请选择 —"), *Activity.Kind.choices])
    location = text_field("地点", 100)
    date = forms.DateField(
        label="日期（重复活动填第一次的日期）",
        widget=DATE,
        error_messages={"required": "请填写活动日期。", "invalid": "日期格式不对，请写成 2026-09-04。"},
    )
    start_time = forms.TimeField(
        label="开始时刻",
        widget=TIME,
        error_messages={"required": "请填写开始时刻。", "invalid": "时刻格式不对，例如 16:20。"},
    )
    end_time = forms.TimeField(
        label="结束时刻",
        widget=TIME,
        error_messages={"required": "请填写结束时刻。", "invalid": "时刻格式不对，例如 17:00。"},
    )
    end_date = forms.DateField(
        label="结束日期（跨天的活动才填）",
        widget=DATE,
        required=False,
        error_messages={"invalid": "日期格式不对，请写成 2026-09-05。"},
    )
    repeat = forms.ChoiceField(label="重复", choices=list(recurrence.REPEATS.items()), required=False)
    weekday = forms.ChoiceField(
        label="每周的哪一天",
        choices=[("", "（按开始日期）"), *recurrence.WEEKDAY_LABELS.items()],
        required=False,
    )
    until = forms.DateField(
        label="重复到（含这一天）", widget=DATE, required=False, error_messages={"invalid": "日期格式不对。"}
    )
    rrule = text_field("自定义规则（RRULE，一般不用填）", 200)
    skip_dates = forms.CharField(
        label="不举行的日期（节假日、考试周等，每行一个）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2026-10-02"}),
    )
    registration = forms.BooleanField(label="需要报名", required=False)
    capacity = capacity_field("名额（不限请留空）")
    registration_deadline = deadline_field("报名截止", "2026-09-03 18:00")
    description = forms.CharField(label="活动内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
        picked = recurrence.picker_of(activity.rrule, start.tzinfo)
        initial = {
            "title": activity.title,
            "kind": activity.kind,
            "location": activity.location,
            "date": start.date(),
            "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0),
            "end_date": end.date() if end.date() != start.date() else None,
            "skip_dates": "\n".join(activity.skip_dates or []),
            "registration": activity.registration,
            "capacity": activity.capacity,
            "registration_deadline": timezone.localtime(activity.registration_deadline)
            if activity.registration_deadline
            else None,
            "description": activity.description,
        }
        if picked is None:
            initial["rrule"] = activity.rrule
        else:
            initial.update(repeat=picked["repeat"], weekday=picked["weekday"], until=picked["until"])
        return initial

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.datetime.combine(data["date"], data["start_time"]), tz)
        end = timezone.make_aware(
            datetime.datetime.combine(data.get("end_date") or data["date"], data["end_time"]), tz
        )
        rule = (data.get("rrule") or "").strip()
        if not rule:
            weekday = data.get("weekday") or recurrence.WEEKDAYS[data["date"].weekday()]
            try:
                rule = recurrence.rule_for(data.get("repeat") or "", weekday, data.get("until"), tz)
            except recurrence.BadRule as e:
                self.add_error("repeat", str(e))
                return data
        skip = [t for t in re.split(r"[\s,，、;；]+", data.get("skip_dates") or "") if t]
        deadline = data.get("registration_deadline")
        self.service_kwargs = {
            "title": data["title"],
            "kind": data["kind"],
            "location": data.get("location", ""),
            "description": data.get("description", ""),
            "starts_at": start,
            "ends_at": end,
            "rrule": rule,
            "skip_dates": skip,
            "registration": bool(data.get("registration") or data.get("capacity") or deadline),
            "capacity": data.get("capacity"),
            "registration_deadline": timezone.make_aware(deadline, tz)
            if deadline and timezone.is_naive(deadline)
            else deadline,
        }
        return data


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="活动小结",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "时间、地点、参加人数、主要内容和效果。"}),
        error_messages={"max_length": "活动小结最多 %(limit_value)d 个字。"},
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label="照片（JPG 或 PNG）",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": "请选择照片（JPG 或 PNG）。"},
    )
    caption = text_field("说明", 100)


class CostForm(forms.Form):
    cost = forms.CharField(
        label="活动费用（元）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class PostCostForm(forms.Form):
    subcategory = forms.ChoiceField(
        label="支出明细（职工活动支出）", choices=[(s, s) for s in COST_SUBCATEGORIES]
    )
    date = forms.DateField(
        label="记账日期",
        widget=DATE,
        error_messages={"required": "请填写记账日期。", "invalid": "日期格式不对。"},
    )
    payee = text_field("收款单位/人", 100)
    confirm_warnings = confirm_warnings_field()


class CancelForm(forms.Form):
    reason = text_field("取消原因", 200)
