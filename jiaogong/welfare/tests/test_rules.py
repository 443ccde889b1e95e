"""The pure rules of 送温暖: the trigger table, when a visit is due, greeting amounts, amounts typed."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.core.rules import RULES
from jiaogong.welfare import rules

DEFAULT = RULES["welfare.triggers"].default


def test_the_default_triggers_are_the_five_must_visits_of_the_api():
    triggers = rules.triggers_from(DEFAULT)
    assert tuple(triggers) == rules.API_KINDS
    assert triggers["hospitalized"].caps_kinds == ("hospital", "hospital_surgery")
    assert (triggers["hardship"].category, triggers["hardship"].subcategory) == ("维权支出", "困难帮扶")
    assert (triggers["death_relative"].category, triggers["death_relative"].subcategory) == (
        "维权支出",
        "送温暖",
    )
    assert (triggers["marriage"].category, triggers["marriage"].subcategory) == ("职工活动支出", "集体福利")


def test_the_default_ledger_lines_match_the_benefits_module():
    from jiaogong.funds.benefits import LEDGER_LINE

    for trigger in rules.triggers_from(DEFAULT).values():
        for kind in trigger.caps_kinds:
            assert LEDGER_LINE[kind] == (trigger.category, trigger.subcategory), kind


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"label": "", "caps_kinds": ["hospital"], "category": "维权支出"}, "缺少名称"),
        ({"label": "住院", "caps_kinds": [], "category": "维权支出"}, "缺少慰问标准类别"),
        ({"label": "住院", "caps_kinds": ["festival"], "category": "维权支出"}, "不是五必访的类别"),
        ({"label": "住院", "caps_kinds": ["spa"], "category": "维权支出"}, "不是五必访的类别"),
        ({"label": "住院", "caps_kinds": ["hospital"], "category": "吃喝"}, "记账科目应为"),
        (
            {"label": "住院", "caps_kinds": ["hospital"], "category": "维权支出", "subcategory": "集体福利"},
            "明细科目",
        ),
    ],
)
def test_a_bad_trigger_table_is_refused_in_chinese(entry, message):
    with pytest.raises(ValueError, match=message):
        rules.triggers_from({"x": entry})


def test_an_empty_trigger_table_is_refused():
    with pytest.raises(ValueError, match="至少要有一项"):
        rules.triggers_from({})


def test_visit_is_due_seven_days_after_the_report():
    assert rules.visit_due_on(datetime.date(2026, 11, 28), 7) == datetime.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (datetime.date(2026, 11, 21), "overdue"),
        (datetime.date(2026, 11, 22), "due"),
        (datetime.date(2026, 11, 24), "due"),
        (datetime.date(2026, 11, 25), "later"),
    ],
)
def test_due_state_at_each_boundary(due, state):
    assert rules.due_state(due, datetime.date(2026, 11, 22), visited=False) == state


def test_a_visited_event_is_never_overdue():
    assert rules.due_state(datetime.date(2020, 1, 1), datetime.date(2026, 1, 1), visited=True) == "visited"


def test_greeting_amount_adds_the_hardship_extra_to_the_class_amount():
    amounts = {"active": Decimal("300"), "retired": Decimal("200")}
    assert rules.greeting_amount("active", False, amounts, Decimal("500")) == Decimal("300.00")
    assert rules.greeting_amount("retired", True, amounts, Decimal("500")) == Decimal("700.00")
    assert rules.greeting_amount("active", True, {}, Decimal("500")) == Decimal("500.00")
    assert rules.greeting_amount("active", False, {}, Decimal("500")) == Decimal("0.00")


@given(
    st.decimals(min_value=0, max_value=5000, places=2),
    st.decimals(min_value=0, max_value=5000, places=2),
    st.booleans(),
)
def test_greeting_amount_is_the_exact_sum(base, extra, hardship):
    got = rules.greeting_amount("active", hardship, {"active": base}, extra)
    assert got == base + (extra if hardship else 0)


@pytest.mark.parametrize(
    ("text", "value"), [("300", "300.00"), ("1,000.5", "1000.50"), (" 0.01 ", "0.01"), ("0", "0.00")]
)
def test_parse_yuan_accepts_what_people_type(text, value):
    assert rules.parse_yuan(text, allow_zero=True) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.005", "NaN"])
def test_parse_yuan_refuses_nonsense(text):
    with pytest.raises(ValueError):
        rules.parse_yuan(text)
