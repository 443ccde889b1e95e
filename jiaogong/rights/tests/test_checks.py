"""The pure 维权 rules: the case state machine, the mediation deadline (调解仲裁法第十四条), the
committee's make-up, the contract's term (集体合同规定第三十八条) and the yearly checks."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.rights import checks

D = datetime.date
STATES = list(checks.LABELS)
ALLOWED = {
    ("applied", "accepted"),
    ("applied", "rejected"),
    ("applied", "withdrawn"),
    ("accepted", "mediating"),
    ("accepted", "withdrawn"),
    ("mediating", "agreed"),
    ("mediating", "failed"),
    ("mediating", "withdrawn"),
    ("rejected", "closed"),
    ("agreed", "closed"),
    ("failed", "closed"),
    ("withdrawn", "closed"),
}


@pytest.mark.parametrize("current", STATES)
@pytest.mark.parametrize("target", STATES)
def test_only_the_listed_transitions_are_allowed(current, target):
    problem = checks.refusal(current, target)
    if (current, target) in ALLOWED:
        assert problem is None
    else:
        assert problem and any("\u4e00" <= ch <= "\u9fff" for ch in problem)


def test_a_closed_case_says_it_is_closed():
    assert checks.refusal("closed", "mediating") == "案件已结案，不能再变更状态。"


def test_a_skipped_step_names_what_is_allowed():
    assert (
        checks.refusal("applied", "agreed")
        == "“申请”的案件不能直接改为“达成协议”（可改为：受理、不予受理、撤回）。"
    )


def test_an_unknown_state_is_refused():
    assert checks.refusal("applied", "archived") == "未知的案件状态。"


def test_the_deadline_is_fifteen_days_after_acceptance():
    assert checks.mediation_deadline(D(2026, 11, 20), 15) == D(2026, 12, 5)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(min_value=1, max_value=60))
def test_the_deadline_is_always_the_given_days_later(day, days):
    assert (checks.mediation_deadline(day, days) - day).days == days


def test_a_case_is_overdue_only_after_its_deadline_and_while_open():
    deadline = D(2026, 12, 5)
    assert not checks.is_overdue("mediating", deadline, D(2026, 12, 5))
    assert checks.is_overdue("mediating", deadline, D(2026, 12, 6))
    assert checks.is_overdue("accepted", deadline, D(2026, 12, 6))
    assert not checks.is_overdue("agreed", deadline, D(2026, 12, 6))
    assert not checks.is_overdue("applied", None, D(2026, 12, 6))


def test_a_well_made_committee_has_no_warnings():
    assert (
        checks.committee_warnings(
            [("union", True), ("union", False), ("school", False), ("staff", False), ("staff", False)]
        )
        == []
    )


def test_an_empty_committee_is_flagged():
    assert checks.committee_warnings([]) == ["还没有登记调解委员会委员。"]


def test_a_missing_side_is_named():
    warnings = checks.committee_warnings([("union", True), ("union", False), ("staff", False)])
    assert warnings == ["调解委员会应由工会、学校和职工三方组成，缺少学校（行政）代表。"]


def test_a_chair_from_the_school_side_is_flagged():
    warnings = checks.committee_warnings([("union", False), ("school", True), ("staff", False)])
    assert warnings == ["调解委员会主任通常由工会代表担任（调解仲裁法第十条）。"]


def test_no_chair_and_two_chairs_are_flagged():
    assert "还没有确定调解委员会主任（通常由工会代表担任）。" in checks.committee_warnings(
        [("union", False), ("school", False), ("staff", False)]
    )
    assert "调解委员会主任只能有一位，现有 2 位。" in checks.committee_warnings(
        [("union", True), ("school", False), ("staff", True)]
    )


def test_an_even_number_of_members_is_flagged():
    warnings = checks.committee_warnings(
        [("union", True), ("school", False), ("staff", False), ("staff", False)]
    )
    assert warnings == ["委员现有 4 人；委员人数通常为单数，便于议决。"]


def test_a_school_side_of_half_or_more_is_flagged():
    warnings = checks.committee_warnings([("union", True), ("school", False), ("school", False)])
    assert "学校（行政）代表不宜超过委员总数的一半。" in warnings
    assert "学校（行政）代表不宜超过委员总数的一半。" not in checks.committee_warnings(
        [("union", True), ("school", False), ("staff", False)]
    )


def test_a_contract_of_exactly_three_years_is_allowed_and_a_day_more_is_not():
    assert checks.contract_term_problem(D(2026, 4, 1), D(2029, 4, 1), 3) is None
    assert checks.contract_term_problem(D(2026, 4, 1), D(2029, 4, 2), 3) == (
        "集体合同期限一般为 1 至 3 年（集体合同规定第三十八条），期满日期不能晚于 2029-04-01。"
    )


def test_a_contract_ending_before_it_starts_is_refused():
    assert checks.contract_term_problem(D(2026, 4, 1), D(2026, 4, 1), 3) == "期满日期应晚于生效日期。"


def test_a_contract_from_29_february_ends_on_28_february():
    assert checks.contract_term_problem(D(2028, 2, 29), D(2031, 2, 28), 3) is None
    assert checks.contract_term_problem(D(2028, 2, 29), D(2031, 3, 1), 3) is not None


def test_a_clause_never_checked_last_year_or_this_year():
    today = D(2026, 12, 1)
    assert checks.check_state(None, today) == "never"
    assert checks.check_state(D(2025, 12, 31), today) == "stale"
    assert checks.check_state(D(2026, 1, 1), today) == "current"


def test_the_next_review_is_a_year_after_the_last_or_the_start():
    assert checks.review_due(D(2026, 4, 1), None) == D(2027, 4, 1)
    assert checks.review_due(D(2026, 4, 1), D(2027, 3, 20)) == D(2028, 3, 20)
    assert checks.review_due(D(2024, 2, 29), None) == D(2025, 2, 28)
