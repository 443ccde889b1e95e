"""Parse the values people type or paste (forms, Excel cells, JSON) with Chinese messages."""

import datetime
import re

from jiaogong.core.text import clean

# Dates anyone types (births, hiring, joining, events): 1900–2100. The books start later (below).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# A union ledger kept in this system holds no voucher before 2000 (0001-01-01 once got in).
EARLIEST_BOOKS_DATE = datetime.date(2000, 1, 1)


def date_problem(
    day: datetime.date, *, label: str = "日期", earliest=EARLIEST_DATE, latest=LATEST_DATE
) -> str:
    """ "" or the Chinese reason the date is outside [earliest, latest]: the one range check for
    forms, the API and imports."""
    if day < earliest:
        return f"{label}不能早于 {earliest:%Y-%m-%d}。"
    if day > latest:
        return f"{label}不能晚于 {latest:%Y-%m-%d}。"
    return ""


def books_date_problem(day: datetime.date, *, today: datetime.date, label: str = "日期") -> str:
    """ "" or the reason a voucher cannot carry this date: from 2000 to today (no future vouchers)."""
    if day > today:
        return "不能记录未来日期的凭证。"
    return date_problem(day, label=label, earliest=EARLIEST_BOOKS_DATE, latest=today)


_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value, *, required: bool = False) -> datetime.date | None:
    """2024-09-01, 2024/9/1, 2024.9.1, 2024年9月1日, 20240901, or a date/datetime (Excel)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("必填。")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if problem := date_problem(value):
            raise ValueError(problem)
        return value
    text = str(value).strip()[:40]
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"“{text[:20]}”不是有效日期，请写成 2024-09-01。")
    try:
        day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"“{text[:20]}”不是有效日期。") from None
    if problem := date_problem(day):
        raise ValueError(problem)
    return day


def parse_bool(value, *, default: bool | None = None) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise ValueError("必填，请填写“是”或“否”。")
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"是", "y", "yes", "true", "1", "√"}:
        return True
    if text in {"否", "n", "no", "false", "0", "×"}:
        return False
    raise ValueError(f"“{text[:10]}”无法识别，请填写“是”或“否”。")


def clean_text(
    value,
    *,
    label: str,
    max_length: int | None,
    required: bool,
    errors: dict,
    field: str,
    multiline: bool = True,
) -> str:
    """The text typed in a field, stripped; a Chinese message in `errors[field]` when it is required
    and blank or longer than `max_length` characters (the forms' services collect them all).
    Control characters go (core/text.py: a single-line text's breaks and tabs become spaces)."""
    text = clean(value or "", multiline=multiline).strip()
    if required and not text:
        errors[field] = f"请填写{label}。"
    elif max_length is not None and len(text) > max_length:
        errors[field] = f"{label}不能超过 {max_length} 个字。"
    return text
