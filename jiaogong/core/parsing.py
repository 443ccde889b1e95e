"""Parse the values people type or paste (forms, Excel cells, JSON) with Chinese messages."""

import datetime
import re

from jiaogong.core.text import clean

_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value, *, required: bool = False) -> datetime.date | None:
    """2024-09-01, 2024/9/1, 2024.9.1, 2024年9月1日, 20240901, or a date/datetime (Excel)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("必填。")
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"“{text[:20]}”不是有效日期，请写成 2024-09-01。")
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"“{text[:20]}”不是有效日期。") from None


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
