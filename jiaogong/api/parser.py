"""The API's JSON parser: refuses NaN/Infinity (not JSON), any string holding a control character
XML refuses (core/text.py) and any whole number past a database integer column (a count, a year,
an id of 10**40 was a database error), naming the field, before a schema sees the data."""

import re

from ninja.parser import Parser

from jiaogong.core.errors import InvalidInput
from jiaogong.core.limits import loads
from jiaogong.core.parsing import EARLIEST_DATE, LATEST_DATE
from jiaogong.core.text import illegal_characters, illegal_message

MAX_INT = 2**31 - 1  # the smallest integer column (PositiveIntegerField on PostgreSQL)
# A date or datetime as the API takes them (YYYY-MM-DD, ISO 8601): outside 1900–2100 it is a
# typing slip or an attack (0001-01-01 once reached the append-only ledger), whatever the field.
_DATE = re.compile(r"(\d{4})-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def _bad_strings(value, path: str, found: dict, *, dates: bool = True) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        if not -MAX_INT <= value <= MAX_INT:
            found.setdefault(path or "body", "数值过大。")
    elif isinstance(value, str):
        if illegal_characters(value):
            found.setdefault(path or "body", illegal_message(value))
        elif (
            dates
            and (m := _DATE.fullmatch(value))
            and not EARLIEST_DATE.year <= int(m[1]) <= LATEST_DATE.year
        ):
            found.setdefault(path or "body", f"日期应在 {EARLIEST_DATE} 至 {LATEST_DATE} 之间。")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and illegal_characters(key):
                found.setdefault(path or "body", illegal_message(key))
            _bad_strings(item, f"{path}.{key}" if path else str(key), found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _bad_strings(item, f"{path}.{i}" if path else str(i), found)


class JsonParser(Parser):
    def parse_body(self, request):
        data = loads(request.body)
        found: dict[str, str] = {}
        _bad_strings(data, "", found)
        if found:
            raise InvalidInput(found, "提交的内容有误，未保存。")
        return data

    def parse_querydict(self, data, list_fields, request):
        found: dict[str, str] = {}
        for key in data:
            for value in data.getlist(key):
                if isinstance(value, str):
                    _bad_strings(value, key, found, dates=False)  # reads answer their own range
        if found:
            raise InvalidInput(found, "提交的内容有误，未处理。")
        return super().parse_querydict(data, list_fields, request)
