"""core.money.read_amount: the one parser of yuan amounts (forms, API, imports)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.core.money import MAX_AMOUNT, read_amount


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("21.45", "21.45"),
        ("1,200", "1200.00"),
        ("1，200.5", "1200.50"),
        (5, "5.00"),
        (0.1, "0.10"),
        (Decimal("9999999.99"), "9999999.99"),
        (" 0.01 ", "0.01"),
        (".5", "0.50"),
    ],
)
def test_what_people_type_is_read(value, amount):
    assert read_amount(value, label="金额") == (Decimal(amount), "")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "金额应填写数字（元），例如 100 或 50.00。"),
        (False, "金额应填写数字（元），例如 100 或 50.00。"),
        (1e30, "金额过大，不能超过 9,999,999.99 元。"),
        (Decimal("1E+30"), "金额过大，不能超过 9,999,999.99 元。"),
        ("1e30", "金额请直接写数字（元），不要用科学计数法。"),
        ("1E3", "金额请直接写数字（元），不要用科学计数法。"),
        ("10000000", "金额过大，不能超过 9,999,999.99 元。"),
        (float("nan"), "金额应填写数字（元），例如 100 或 50.00。"),
        (float("inf"), "金额应填写数字（元），例如 100 或 50.00。"),
        ("NaN", "金额应填写数字（元），例如 100 或 50.00。"),
        ("Infinity", "金额应填写数字（元），例如 100 或 50.00。"),
        ("1_000", "金额应填写数字（元），例如 100 或 50.00。"),
        ("1.005", "金额最多保留两位小数。"),
        (1e-5, "金额最多保留两位小数。"),
        ("0", "金额应大于零。"),
        ("-3", "金额不能为负数。"),
        ("", "请填写金额。"),
        (None, "请填写金额。"),
        ("9" * 5000, "金额过大，不能超过 9,999,999.99 元。"),
    ],
)
def test_nonsense_is_refused_in_chinese(value, message):
    assert read_amount(value, label="金额") == (None, message)


def test_zero_where_allowed():
    assert read_amount("0", label="金额", allow_zero=True) == (Decimal("0.00"), "")


@given(st.one_of(st.text(max_size=50), st.floats(), st.integers(), st.booleans(), st.decimals()))
def test_any_input_is_an_amount_in_bounds_or_a_reason(value):
    amount, problem = read_amount(value, label="金额", allow_zero=True)
    if problem:
        assert amount is None and problem.endswith("。")
    else:
        assert Decimal("0") <= amount <= MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))
