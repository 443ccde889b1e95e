"""RULES.md §4, 困难职工 categories: the pure function at each boundary, and its properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.hardship import rules

D = Decimal
DIBAO = D("800.00")


def assess(income, rigid="0", size=3, costs="0", dibao=DIBAO, **kwargs):
    return rules.assess(
        household_size=size,
        annual_income=D(income),
        rigid_expenses=D(rigid),
        hardship_costs=D(costs),
        dibao_monthly=D(dibao),
        **kwargs,
    )


# A household of 3 at a 低保 of 800: deep below 800 × 12 × 3 = 28,800 a year; relative below 57,600.


def test_one_fen_below_the_dibao_is_deep():
    result = assess("28799.99")
    assert result.category == "deep"
    assert result.per_capita_monthly < DIBAO


def test_exactly_at_the_dibao_is_relative_not_deep():
    result = assess("28800.00")
    assert result.per_capita_monthly == DIBAO
    assert result.category == "relative"


def test_one_fen_below_twice_the_dibao_is_relative():
    assert assess("57599.99").category == "relative"


def test_exactly_at_twice_the_dibao_is_none():
    result = assess("57600.00")
    assert result.category == "none"
    assert result.categories == ()


def test_rigid_expenses_are_taken_off_before_the_comparison():
    # 60,000 − 31,200.01 = 28,799.99 < 28,800
    assert assess("60000", rigid="31200.01").category == "deep"
    assert assess("60000", rigid="31200.00").category == "relative"


def test_the_comparison_is_exact_where_the_per_capita_figure_would_round():
    # 28,799.99 / 36 = 799.9997…: shown as 800.00 but still below the 低保
    result = assess("28799.99")
    assert result.per_capita_display == D("800.00")
    assert result.category == "deep"


def test_costs_above_the_share_of_income_are_an_accident():
    # income 100,000 (none by income); 80 % is 80,000
    result = assess("100000", costs="80000.01")
    assert result.category == "accident"
    assert "accident" in result.categories


def test_costs_exactly_at_the_share_are_not_an_accident():
    assert assess("100000", costs="80000.00").category == "none"


def test_a_major_incident_is_an_accident_whatever_the_income():
    result = assess("200000", major_incident=True)
    assert result.category == "accident"
    assert any("重大事故" in r for r in result.reasons)


def test_deep_comes_before_accident_and_both_are_reported():
    result = assess("20000", costs="30000")
    assert result.category == "deep"
    assert result.categories == ("deep", "accident")
    assert len(result.reasons) == 2


def test_relative_comes_before_accident():
    result = assess("40000", costs="35000")
    assert (result.category, result.categories) == ("relative", ("relative", "accident"))


def test_zero_income_is_deep_and_any_cost_is_an_accident():
    result = assess("0", costs="0.01")
    assert result.category == "deep"
    assert result.categories == ("deep", "accident")
    assert assess("0").categories == ("deep",)


def test_rigid_expenses_above_income_give_a_negative_per_capita_and_deep():
    result = assess("10000", rigid="22000", size=2)
    assert result.per_capita_monthly == D("-500")
    assert result.category == "deep"


def test_a_household_of_one_uses_its_own_dibao():
    assert assess("9599.99", size=1).category == "deep"
    assert assess("9600.00", size=1).category == "relative"


def test_the_relative_multiple_and_the_accident_share_are_parameters():
    assert assess("57600", relative_multiple=D(3)).category == "relative"
    assert assess("86400", relative_multiple=D(3)).category == "none"
    assert assess("100000", costs="50000.01", accident_cost_share=D("0.5")).category == "accident"


def test_the_reasons_name_the_figures():
    result = assess("28799.99")
    assert result.reasons == ("家庭人均月收入 800.00 元，低于当地低保标准 800.00 元。",)
    assert "2 倍 1600.00 元" in assess("50000").reasons[0]


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_a_household_size_below_one_or_not_whole_is_refused(bad):
    with pytest.raises(ValueError):
        assess("1000", size=bad)


def test_floats_are_refused():
    with pytest.raises(ValueError):
        rules.assess(
            household_size=1,
            annual_income=1000.0,
            rigid_expenses=D(0),
            hardship_costs=D(0),
            dibao_monthly=DIBAO,
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写家庭人口数（含职工本人）。"),
        ("0", "家庭人口数至少为 1（职工本人）。"),
        ("-2", "家庭人口数至少为 1（职工本人）。"),
        ("2.5", "家庭人口数应为整数。"),
        ("三", "家庭人口数应为整数。"),
        ("31", "家庭人口数过大，请核实。"),
    ],
)
def test_household_size_messages(value, message):
    assert rules.parse_household_size(value) == (None, message)


def test_check_inputs_names_every_bad_field_in_chinese():
    values, errors = rules.check_inputs(
        household_size="0",
        annual_income="-1",
        rigid_expenses="abc",
        hardship_costs="1.234",
        dibao_monthly="0",
    )
    assert errors == {
        "household_size": "家庭人口数至少为 1（职工本人）。",
        "annual_income": "家庭年收入不能为负数；没有请填 0。",
        "rigid_expenses": "刚性支出应填写数字（元），例如 36000 或 1200.50。",
        "hardship_costs": "当年致困支出最多保留两位小数。",
        "dibao_monthly": "当地低保标准应大于零。",
    }


def test_check_inputs_parses_good_values_exactly():
    values, errors = rules.check_inputs(
        household_size=3, annual_income="36,000", rigid_expenses=0.1, hardship_costs="0", dibao_monthly="800"
    )
    assert errors == {}
    assert values == {
        "household_size": 3,
        "annual_income": D("36000.00"),
        "rigid_expenses": D("0.10"),
        "hardship_costs": D("0.00"),
        "dibao_monthly": D("800.00"),
    }


def test_review_is_due_when_not_checked_this_year():
    assert rules.review_due(last_checked_year=2025, year=2026)
    assert rules.review_due(last_checked_year=None, year=2026)
    assert not rules.review_due(last_checked_year=2026, year=2026)


# ---- properties ---------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
sizes = st.integers(min_value=1, max_value=12)
dibaos = st.decimals(min_value=D("0.01"), max_value=5000, places=2, allow_nan=False, allow_infinity=False)
SEVERITY = {"deep": 0, "relative": 1, "none": 2}


def income_category(result):
    """The income test's outcome alone (accident set aside)."""
    return next((c for c in result.categories if c in ("deep", "relative")), "none")


@given(low=money, high=money, rigid=money, size=sizes, dibao=dibaos)
def test_more_income_never_makes_the_income_category_more_severe(low, high, rigid, size, dibao):
    low, high = sorted((low, high))
    a = assess(low, rigid=rigid, size=size, dibao=dibao)
    b = assess(high, rigid=rigid, size=size, dibao=dibao)
    assert SEVERITY[income_category(a)] <= SEVERITY[income_category(b)]


@given(income=money, rigid_a=money, rigid_b=money, size=sizes, dibao=dibaos)
def test_more_rigid_expenses_never_make_it_less_severe(income, rigid_a, rigid_b, size, dibao):
    less, more = sorted((rigid_a, rigid_b))
    a = assess(income, rigid=less, size=size, dibao=dibao)
    b = assess(income, rigid=more, size=size, dibao=dibao)
    assert SEVERITY[income_category(b)] <= SEVERITY[income_category(a)]


@given(income=money, rigid=money, size=sizes, dibao=dibaos, costs=money)
def test_the_category_agrees_with_the_exact_per_capita_figure(income, rigid, size, dibao, costs):
    result = assess(income, rigid=rigid, size=size, dibao=dibao, costs=costs)
    per_capita = (income - rigid) / 12 / size
    if per_capita < dibao:
        assert income_category(result) == "deep"
    elif per_capita < 2 * dibao:
        assert income_category(result) == "relative"
    else:
        assert income_category(result) == "none"
    assert ("accident" in result.categories) == (costs > D("0.80") * income)
    assert result.category == (result.categories[0] if result.categories else "none")


@given(income=money, rigid=money, size=sizes, dibao=dibaos)
def test_a_major_incident_always_adds_accident_and_keeps_the_income_category(income, rigid, size, dibao):
    plain = assess(income, rigid=rigid, size=size, dibao=dibao)
    flagged = assess(income, rigid=rigid, size=size, dibao=dibao, major_incident=True)
    assert "accident" in flagged.categories
    assert income_category(plain) == income_category(flagged)
