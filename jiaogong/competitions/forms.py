"""Forms of the competition pages. They collect what is typed; the services check every rule."""

import datetime

from django import forms
from django.utils import timezone

from jiaogong.competitions.models import Competition, Round
from jiaogong.competitions.services import PRIZE_NAMES
from jiaogong.core.forms import DATE, TIME, capacity_field, deadline_field, text_field


def _int(label, **kwargs):
    return forms.IntegerField(
        label=label,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}应为整数。",
            "min_value": f"{label}不能小于 %(limit_value)s。",
            "max_value": f"{label}不能大于 %(limit_value)s。",
        },
        **kwargs,
    )


def member_label(m) -> str:
    return f"{m.name}（{m.union_group.name if m.union_group_id else '未分组'}）"


class CompetitionForm(forms.Form):
    title = text_field(
        "比赛名称",
        100,
        required=True,
        widget=forms.TextInput(attrs={"placeholder": "2026年教职工羽毛球比赛"}),
    )
    sport = text_field(
        "比赛项目", 30, required=True, widget=forms.TextInput(attrs={"placeholder": "羽毛球、拔河、气排球"})
    )
    entry_kind = forms.ChoiceField(
        label="参赛方式",
        choices=Competition.EntryKind.choices,
        widget=forms.RadioSelect,
        initial="individual",
        error_messages={"required": "请选择个人赛或团体赛。"},
    )
    date = forms.DateField(
        label="比赛日期",
        widget=DATE,
        error_messages={"required": "请填写比赛日期。", "invalid": "日期格式不对，请写成 2026-10-16。"},
    )
    start_time = forms.TimeField(
        label="开始时刻",
        widget=TIME,
        error_messages={"required": "请填写开始时刻。", "invalid": "时刻格式不对，例如 16:20。"},
    )
    end_time = forms.TimeField(
        label="结束时刻",
        widget=TIME,
        error_messages={"required": "请填写结束时刻。", "invalid": "时刻格式不对，例如 17:30。"},
    )
    end_date = forms.DateField(
        label="结束日期（比赛跨几天才填）",
        widget=DATE,
        required=False,
        error_messages={"invalid": "日期格式不对，请写成 2026-10-18。"},
    )
    location = text_field("地点", 100, widget=forms.TextInput(attrs={"placeholder": "学校体育馆"}))
    higher_is_better = forms.ChoiceField(
        label="计成绩时",
        choices=[("1", "成绩越高越好（得分、个数、距离）"), ("0", "成绩越低越好（用时）")],
        initial="1",
        widget=forms.RadioSelect,
    )
    unit = text_field(
        "成绩单位（可不填）", 10, widget=forms.TextInput(attrs={"placeholder": "分、秒、个、米"})
    )
    points_win = _int("胜一场积分", min_value=0, max_value=100, initial=2)
    points_draw = _int("平一场积分", min_value=0, max_value=100, initial=1)
    points_loss = _int("负一场积分", min_value=0, max_value=100, initial=0)
    registration = forms.BooleanField(label="会员可在活动页报名", required=False, initial=True)
    capacity = capacity_field("报名名额（不限请留空）")
    registration_deadline = deadline_field("报名截止（可不填）", "2026-10-12 18:00")
    description = forms.CharField(
        label="比赛说明（规程、分组办法）",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "全校教职工分四组进行，小组单循环，各组第一名进入半决赛。"}
        ),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.datetime.combine(data["date"], data["start_time"]), tz)
        end = timezone.make_aware(
            datetime.datetime.combine(data.get("end_date") or data["date"], data["end_time"]), tz
        )
        deadline = data.get("registration_deadline")
        if deadline is not None and timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline, tz)
        return {
            "title": data["title"],
            "sport": data["sport"],
            "entry_kind": data["entry_kind"],
            "starts_at": start,
            "ends_at": end,
            "location": data["location"],
            "description": data["description"],
            "higher_is_better": data["higher_is_better"] == "1",
            "unit": data["unit"],
            "points_win": data["points_win"],
            "points_draw": data["points_draw"],
            "points_loss": data["points_loss"],
            "registration": data["registration"],
            "capacity": data.get("capacity"),
            "registration_deadline": deadline,
        }

    def add_service_error(self, field, message):
        mapping = {"starts_at": "start_time", "ends_at": "end_time", "kind": None, "rrule": None}
        target = mapping.get(field, field)
        self.add_error(target if target in self.fields else None, message)


class EntryForm(forms.Form):
    """个人赛: one member; 团体赛: a team name and its members."""

    name = text_field("队名", 50)
    members = forms.MultipleChoiceField(label="队员", error_messages={"required": "请选择会员。"})
    seed = forms.IntegerField(
        label="种子号（可不填，1 为头号种子）",
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": "种子号应为正整数。",
            "min_value": "种子号应为正整数。",
            "max_value": "种子号过大。",
        },
    )

    def __init__(self, *args, competition, members, registered=(), **kwargs):
        kwargs.setdefault("auto_id", "entry_%s")  # several forms share the competition page
        super().__init__(*args, **kwargs)
        signed = set(registered)
        ordered = sorted(members, key=lambda m: (m.pk not in signed, m.name_pinyin))
        choices = [(str(m.pk), member_label(m) + ("·已报名" if m.pk in signed else "")) for m in ordered]
        if competition.is_team:
            self.fields["name"].required = True
            self.fields["members"].widget = forms.SelectMultiple(attrs={"size": 8})
            self.fields["members"].choices = choices  # after the widget, which holds them
            self.fields["members"].help_text = "按住 Ctrl（手机上直接点选）可选多人。已报名的会员排在前面。"
        else:
            del self.fields["name"]
            self.fields["members"] = forms.ChoiceField(
                label="会员",
                choices=[("", "— 请选择 —"), *choices],
                error_messages={"required": "请选择会员。"},
            )

    def member_ids(self) -> list[int]:
        raw = self.cleaned_data["members"]
        return [int(x) for x in ([raw] if isinstance(raw, str) else raw)]


class DrawForm(forms.Form):
    groups = _int("分几组", min_value=2, max_value=10, initial=4)
    seed = forms.IntegerField(
        label="抽签种子（可不填，由系统随机生成并公布）",
        required=False,
        min_value=0,
        max_value=10**15,
        error_messages={
            "invalid": "抽签种子应为非负整数。",
            "min_value": "抽签种子应为非负整数。",
            "max_value": "抽签种子过大。",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "draw_%s")
        super().__init__(*args, **kwargs)


class RoundForm(forms.Form):
    name = text_field(
        "轮次名称", 30, required=True, widget=forms.TextInput(attrs={"placeholder": "小组赛、半决赛、决赛"})
    )
    kind = forms.ChoiceField(
        label="赛制", choices=Round.Kind.choices, error_messages={"required": "请选择赛制。"}
    )
    by_division = forms.BooleanField(label="按分组排名（小组赛）", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "round_%s")
        super().__init__(*args, **kwargs)


class MatchForm(forms.Form):
    home = forms.ChoiceField(label="甲方", error_messages={"required": "请选择甲方。"})
    away = forms.ChoiceField(label="乙方", error_messages={"required": "请选择乙方。"})

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— 请选择 —")] + [
            (str(e.pk), e.name + (f"（{e.division.name}）" if e.division_id else "")) for e in entries
        ]
        self.fields["home"].choices = choices
        self.fields["away"].choices = choices


class PrizeForm(forms.Form):
    """The four usual tiers with their counts (0: not given)."""

    def __init__(self, *args, tiers=(), **kwargs):
        kwargs.setdefault("auto_id", "prize_%s")
        super().__init__(*args, **kwargs)
        current = {t.name: t.count for t in tiers}
        names = list(PRIZE_NAMES) + [n for n in current if n not in PRIZE_NAMES]
        for i, name in enumerate(names):
            self.fields[f"name_{i}"] = forms.CharField(initial=name, widget=forms.HiddenInput, max_length=20)
            self.fields[f"count_{i}"] = _int(
                f"{name}名额", min_value=0, max_value=999, initial=current.get(name, 0)
            )
        self.size = len(names)

    def tiers(self) -> list[tuple[str, int]]:
        return [(self.cleaned_data[f"name_{i}"], self.cleaned_data[f"count_{i}"]) for i in range(self.size)]

    def pairs(self):
        return [(self[f"name_{i}"], self[f"count_{i}"]) for i in range(self.size)]
