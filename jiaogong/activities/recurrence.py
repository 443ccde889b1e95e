"""Recurrence of a series (RFC 5545 RRULE), pure: no database, no clock.

The union writes a series the way RFC 5545 does — "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR" is every other
Friday — so the same text goes into the .ics feed unchanged and the phone's calendar app expands it
the same way we do. Dates the series skips (a statutory holiday, an exam week) are EXDATEs.
"""

import datetime

from dateutil.rrule import rrulestr

# A series with no end still needs a bound for the pages and the summaries.
MAX_OCCURRENCES = 1000
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


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
    try:
        rrulestr(text, dtstart=first_start)
    except (ValueError, TypeError) as e:
        raise BadRule(f"重复规则无法识别：{text[:60]}") from e
    return text


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
        naive = rrulestr(rule, dtstart=naive_first)
        lo = window_start.astimezone(tz).replace(tzinfo=None)
        hi = window_end.astimezone(tz).replace(tzinfo=None)
        starts = []
        for value in naive.xafter(max(lo, naive_first) - datetime.timedelta(microseconds=1), inc=True):
            if value >= hi or len(starts) >= MAX_OCCURRENCES:
                break
            starts.append(value.replace(tzinfo=tz))
    return [(s, s + duration) for s in starts if s.date() not in skip_dates]
