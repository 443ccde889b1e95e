"""Recurrence of a series (RFC 5545 RRULE), pure: no database, no clock.

The union writes a series the way RFC 5545 does — "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR" is every other
Friday — so the same text goes into the .ics feed unchanged and the phone's calendar app expands it
the same way we do. Dates the series skips (a statutory holiday, an exam week) are EXDATEs.
"""

import datetime
import re

from dateutil.rrule import rrulestr

# A series with no end still needs a bound for the pages and the summaries.
MAX_OCCURRENCES = 1000
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_LABELS = dict(zip(WEEKDAYS, ["周一", "周二", "周三", "周四", "周五", "周六", "周日"], strict=True))
# The form's friendly choices and the rule each writes.
REPEATS = {"": "不重复", "weekly": "每周", "biweekly": "每两周", "monthly": "每月"}
_UNTIL = re.compile(r"UNTIL=(\d{8})(T(\d{6})(Z?))?")


class BadRule(ValueError):
    """The text is not a recurrence rule we accept; the message is Chinese, for the form."""


def validate(rule: str, first_start: datetime.datetime) -> str:
    """The rule normalised (upper case, no "RRULE:" prefix), or BadRule with a Chinese message."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    text = text.upper()
    if not text:
        return ""
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    if parts.get("FREQ") not in FREQUENCIES:
        raise BadRule(
            "重复规则应以 FREQ=DAILY / WEEKLY / MONTHLY / YEARLY 开头，例如每两周周五：FREQ=WEEKLY;INTERVAL=2;BYDAY=FR。"
        )
    text = _until_in_utc(text, first_start.tzinfo)
    try:
        rrulestr(text, dtstart=first_start)
    except (ValueError, TypeError) as e:
        raise BadRule(f"重复规则无法识别：{text[:60]}") from e
    return text


def _until_in_utc(text: str, tz) -> str:
    """RFC 5545 §3.3.10: with a zoned DTSTART, UNTIL is a UTC date-time. A date ("UNTIL=20270115")
    means to the end of that local day; a local time is read in the series' zone."""
    m = _UNTIL.search(text)
    if not m or m.group(4):
        return text
    day = datetime.datetime.strptime(m.group(1), "%Y%m%d")
    if m.group(3):
        local = day.replace(hour=int(m.group(3)[:2]), minute=int(m.group(3)[2:4]), second=int(m.group(3)[4:]))
    else:
        local = day.replace(hour=23, minute=59, second=59)
    utc = local.replace(tzinfo=tz).astimezone(datetime.UTC)
    return text[: m.start()] + f"UNTIL={utc:%Y%m%dT%H%M%S}Z" + text[m.end() :]


def _until_local(text: str, tz) -> str:
    """The rule with a UTC UNTIL turned into the series' wall-clock time (dateutil wants a naive
    UNTIL with a naive DTSTART)."""
    m = _UNTIL.search(text)
    if not m or not m.group(4):
        return text
    utc = datetime.datetime.strptime(m.group(1) + m.group(3), "%Y%m%d%H%M%S").replace(tzinfo=datetime.UTC)
    return text[: m.start()] + f"UNTIL={utc.astimezone(tz):%Y%m%dT%H%M%S}" + text[m.end() :]


def rule_for(repeat: str, weekday: str, until: datetime.date | None, tz) -> str:
    """The RRULE the form's picker stands for: 每周 / 每两周 on a weekday, 每月 on the start's day of
    the month; `until` is the last date (included)."""
    if repeat not in REPEATS:
        raise BadRule("请选择重复方式：不重复、每周、每两周或每月。")
    if not repeat:
        return ""
    if repeat in ("weekly", "biweekly"):
        if weekday not in WEEKDAYS:
            raise BadRule("请选择每周的哪一天。")
        parts = ["FREQ=WEEKLY"] + (["INTERVAL=2"] if repeat == "biweekly" else []) + [f"BYDAY={weekday}"]
    else:
        parts = ["FREQ=MONTHLY"]
    if until is not None:
        parts.append(_until_in_utc(f"UNTIL={until:%Y%m%d}", tz))
    return ";".join(parts)


def picker_of(rule: str, tz) -> dict | None:
    """The picker's values for a rule it can write (the edit form starts from them), else None."""
    if not rule:
        return {"repeat": "", "weekday": "", "until": None}
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    until = None
    if "UNTIL" in parts:
        local = _until_local(f"UNTIL={parts.pop('UNTIL')}", tz)
        until = datetime.datetime.strptime(local[6:14], "%Y%m%d").date()
    freq, interval, byday = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1"), parts.pop("BYDAY", "")
    if parts:
        return None
    if freq == "WEEKLY" and interval in ("1", "2") and byday in WEEKDAYS:
        return {"repeat": "weekly" if interval == "1" else "biweekly", "weekday": byday, "until": until}
    if freq == "MONTHLY" and interval == "1" and not byday:
        return {"repeat": "monthly", "weekday": "", "until": until}
    return None


def describe(rule: str, tz) -> str:
    """The rule in words, for the pages: "每两周周五（至 2027-01-15）"."""
    if not rule:
        return "不重复"
    picked = picker_of(rule, tz)
    if picked is None:
        return f"自定义规则 {rule}"
    words = REPEATS[picked["repeat"]] + WEEKDAY_LABELS.get(picked["weekday"], "")
    if picked["until"]:
        words += f"（至 {picked['until']:%Y-%m-%d}）"
    return words


def expand(
    rule: str,
    first_start: datetime.datetime,
    duration: datetime.timedelta,
    window_start: datetime.datetime,
    window_end: datetime.datetime,
    *,
    skip_dates: frozenset[datetime.date] | set[datetime.date] = frozenset(),
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) of each occurrence that starts in [window_start, window_end).

    `first_start` is timezone-aware; occurrences keep its wall-clock time in its zone (16:20 stays
    16:20 across a change of month or year). A single activity (no rule) is one occurrence.
    Occurrences on `skip_dates` (local dates) are left out.
    """
    if not rule:
        starts = [first_start] if window_start <= first_start < window_end else []
    else:
        tz = first_start.tzinfo
        naive_first = first_start.replace(tzinfo=None)
        naive = rrulestr(_until_local(rule, tz), dtstart=naive_first)
        lo = window_start.astimezone(tz).replace(tzinfo=None)
        hi = window_end.astimezone(tz).replace(tzinfo=None)
        starts = []
        for value in naive.xafter(max(lo, naive_first) - datetime.timedelta(microseconds=1), inc=True):
            if value >= hi or len(starts) >= MAX_OCCURRENCES:
                break
            starts.append(value.replace(tzinfo=tz))
    return [(s, s + duration) for s in starts if s.date() not in skip_dates]
