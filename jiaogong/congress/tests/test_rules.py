"""The congress rules of RULES.md §1, tested as pure functions: the worked examples word for word,
and the arithmetic against brute force with hypothesis."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.congress import rules

# ---- quorum and majorities -------------------------------------------------------------------


def test_worked_example_120_delegates_85_present():
    # RULES.md: 120 delegates, 85 present → quorum met (85 ≥ 80); 61 yes needed; 60 yes fails.
    assert rules.quorum_needed(120) == 80
    assert rules.quorum_met(85, 120)
    assert rules.quorum_met(80, 120)
    assert not rules.quorum_met(79, 120)
    base = rules.majority_base_count("total", 120, 85)
    assert base == 120
    assert rules.yes_needed(base) == 61
    assert rules.passes(61, base)
    assert not rules.passes(60, base)


def test_the_present_base_is_allowed_but_does_not_conform():
    assert rules.majority_base_count("present", 120, 85) == 85
    assert rules.yes_needed(85) == 43
    assert rules.base_conforms("total")
    assert not rules.base_conforms("present")
    with pytest.raises(ValueError):
        rules.majority_base_count("voted", 120, 85)


def test_no_delegates_means_no_quorum():
    assert rules.quorum_needed(0) == 0
    assert not rules.quorum_met(0, 0)


@given(st.integers(0, 2000), st.integers(1, 2000))
def test_quorum_is_present_times_three_at_least_total_times_two(present, total):
    assert rules.quorum_met(present, total) == (present * 3 >= total * 2)


@given(st.integers(1, 2000))
def test_quorum_needed_is_the_fewest_that_meet_it(total):
    n = rules.quorum_needed(total)
    assert rules.quorum_met(n, total)
    assert not rules.quorum_met(n - 1, total)


@given(st.integers(1, 2000), st.integers(1, 9), st.integers(1, 9))
def test_quorum_fraction_is_a_parameter(total, num, den):
    quorum = Fraction(min(num, den), den)
    n = rules.quorum_needed(total, quorum)
    assert rules.quorum_met(n, total, quorum)
    assert n == 0 or not rules.quorum_met(n - 1, total, quorum)


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_passes_is_more_than_half_and_yes_needed_is_its_threshold(yes, base):
    assert rules.passes(yes, base) == (yes * 2 > base)
    assert rules.passes(yes, base) == (yes >= rules.yes_needed(base))


# ---- elections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "extra"),
    [(1, 1), (5, 1), (7, 1), (20, 1), (21, 2), (40, 2), (41, 3), (100, 5), (101, 6)],
)
def test_extra_candidates_are_five_percent_and_at_least_one(seats, extra):
    assert rules.extra_candidates_needed(seats) == extra
    assert rules.competitive_enough(seats + extra, seats)
    assert not rules.competitive_enough(seats + extra - 1, seats)


@given(st.integers(1, 500), st.integers(0, 600))
def test_competitive_enough_against_brute_force(seats, candidates):
    # candidates − seats ≥ 5 % of seats, and ≥ 1, in exact arithmetic.
    diff = candidates - seats
    assert rules.competitive_enough(candidates, seats) == (diff >= 1 and diff * 100 >= seats * 5)


def test_election_elects_by_votes_within_seats_among_those_passing():
    out = rules.election_outcome({"甲": 90, "乙": 80, "丙": 70, "丁": 50}, seats=2, due=120)
    assert out.elected == ["甲", "乙"]
    assert out.passed == ["甲", "乙", "丙"]
    assert out.runoff == [] and out.vacant == 0


def test_too_few_passing_leaves_seats_vacant():
    out = rules.election_outcome({"甲": 61, "乙": 60, "丙": 10}, seats=2, due=120)
    assert out.elected == ["甲"]
    assert out.vacant == 1 and out.runoff == []


def test_a_tie_across_the_last_seat_needs_a_runoff():
    out = rules.election_outcome({"甲": 90, "乙": 70, "丙": 70, "丁": 40}, seats=2, due=120)
    assert out.elected == ["甲"]
    assert sorted(out.runoff) == sorted(["乙", "丙"])
    assert out.vacant == 1


def test_a_tie_that_fits_the_seats_elects_all_tied():
    out = rules.election_outcome({"甲": 70, "乙": 70, "丙": 30}, seats=2, due=120)
    assert sorted(out.elected) == sorted(["甲", "乙"])
    assert out.runoff == [] and out.vacant == 0


@given(
    st.dictionaries(st.sampled_from("甲乙丙丁戊己庚辛壬癸"), st.integers(0, 150), min_size=1),
    st.integers(1, 6),
    st.integers(1, 150),
)
def test_election_outcome_invariants(votes, seats, due):
    out = rules.election_outcome(votes, seats, due)
    # Everyone elected passed the bar; no more than the seats are filled.
    assert all(votes[c] * 2 > due for c in out.elected)
    assert len(out.elected) <= seats
    assert len(out.elected) + out.vacant == seats
    # Nobody who passed with more votes than an elected one is left out.
    for c in out.passed:
        if c not in out.elected:
            assert all(votes[c] <= votes[e] for e in out.elected)
    # A run-off is needed only between equal votes, none of whom was elected.
    assert len({votes[c] for c in out.runoff}) <= 1
    assert not set(out.runoff) & set(out.elected)
    if out.runoff:
        assert len(out.runoff) > out.vacant


def test_election_marks():
    cands = ["甲", "乙", "丙"]
    assert rules.valid_election_marks([], cands, 2)  # a blank ballot is valid
    assert rules.valid_election_marks(["甲", "乙"], cands, 2)
    assert not rules.valid_election_marks(["甲", "乙", "丙"], cands, 2)
    assert not rules.valid_election_marks(["甲", "甲"], cands, 2)
    assert not rules.valid_election_marks(["戊"], cands, 2)


# ---- 民主评议 -----------------------------------------------------------------------------------

SCALE = ["优秀", "称职", "基本称职", "不称职"]


def test_appraisal_counts_percentages_and_good_rate():
    levels = ["优秀"] * 30 + ["称职"] * 50 + ["基本称职"] * 15 + ["不称职"] * 5
    res = rules.appraise_subject(levels, SCALE)
    assert res.counts == {"优秀": 30, "称职": 50, "基本称职": 15, "不称职": 5}
    assert res.percentages == {"优秀": "30.0", "称职": "50.0", "基本称职": "15.0", "不称职": "5.0"}
    assert res.good_rate == Fraction(80, 100)
    assert res.flags == []


def test_appraisal_flags_are_strict_at_the_bounds():
    # Exactly 2/3 good: no flag (the rule is "< 2/3"). Exactly 1/3 unfit: no flag ("> 1/3").
    res = rules.appraise_subject(["优秀"] * 2 + ["不称职"], SCALE)
    assert res.good_rate == Fraction(2, 3)
    assert res.flags == []
    res = rules.appraise_subject(["优秀"] * 2 + ["基本称职"] * 1 + ["不称职"] * 2, SCALE)
    assert res.flags == ["诫勉谈话", "可能不称职"]


def test_appraisal_ignores_levels_off_the_scale_and_handles_no_ratings():
    res = rules.appraise_subject(["优秀", "弃权", ""], SCALE)
    assert sum(res.counts.values()) == 1
    empty = rules.appraise_subject([], SCALE)
    assert empty.good_rate is None and empty.flags == []
    assert empty.percentages["优秀"] == "0.0"


def test_three_level_scale_has_no_unfit_flag():
    scale = ["满意", "基本满意", "不满意"]
    res = rules.appraise_subject(["不满意"] * 9 + ["满意"], scale)
    assert res.flags == ["诫勉谈话"]


@given(st.lists(st.sampled_from(SCALE), min_size=1, max_size=300))
def test_appraisal_flags_against_brute_force(levels):
    res = rules.appraise_subject(levels, SCALE)
    n = len(levels)
    good = levels.count("优秀") + levels.count("称职")
    unfit = levels.count("不称职")
    assert ("诫勉谈话" in res.flags) == (good * 3 < n * 2)
    assert ("可能不称职" in res.flags) == (unfit * 3 > n)
    assert sum(res.counts.values()) == n


@given(st.integers(0, 500), st.integers(1, 500))
def test_participation_is_two_thirds_inclusive(valid, eligible):
    assert rules.appraisal_participation_ok(valid, eligible) == (valid * 3 >= eligible * 2)


def test_participation_with_nobody_eligible_is_not_ok():
    assert not rules.appraisal_participation_ok(0, 0)


def test_percent_rounds_to_one_place():
    assert rules.percent(1, 3) == "33.3"
    assert rules.percent(2, 3) == "66.7"
    assert rules.percent(0, 0) == "0.0"


# ---- composition -----------------------------------------------------------------------------


def person(teacher=True, woman=False, young=False, cadre=False):
    return rules.Person(is_teacher=teacher, is_woman=woman, is_young=young, is_cadre=cadre)


def test_composition_within_the_rules_has_no_warnings():
    delegates = [person(woman=i % 2 == 0, young=i % 3 == 0) for i in range(10)]
    staff = [person(woman=i % 2 == 0, young=i % 3 == 0) for i in range(60)]
    comp = rules.composition(delegates, staff)
    assert comp.total == 10
    assert comp.teachers_pct == "100.0"
    assert comp.warnings == []


def test_composition_warns_about_teachers_cadres_women_and_youth():
    delegates = [person(teacher=i < 5, cadre=i >= 7) for i in range(10)]
    staff = [person(woman=True, young=True)] * 10
    comp = rules.composition(delegates, staff)
    text = " ".join(comp.warnings)
    assert "教师代表 5 人，占 50.0%，低于 60%" in text
    assert "中层以上干部代表 3 人，占 30.0%，超过 25%" in text
    assert "女代表占 0.0%" in text
    assert "青年代表占 0.0%" in text


def test_composition_thresholds_are_inclusive_at_the_bounds():
    # 6 of 10 teachers is exactly 60 %: fine. 1 of 4 cadres is exactly 25 %: fine.
    assert rules.composition([person(teacher=i < 6) for i in range(10)], []).warnings == []
    assert rules.composition([person(cadre=i == 0) for i in range(4)], []).warnings == []


def test_composition_parameters_override():
    delegates = [person(teacher=i < 7) for i in range(10)]
    comp = rules.composition(delegates, [], teachers_min=Decimal("0.75"))
    assert comp.warnings == ["教师代表 7 人，占 70.0%，低于 75%。"]


def test_percent_of_prints_plain_numbers():
    assert rules.percent_of(Decimal("0.60")) == "60"
    assert rules.percent_of(Decimal("0.25")) == "25"
    assert rules.percent_of(Decimal("0.125")) == "12.5"


def test_mode_and_presidium():
    assert rules.suggested_mode(100) == "all_staff"
    assert rules.suggested_mode(101) == "delegates"
    assert rules.suggested_mode(150, all_staff_max=200) == "all_staff"
    assert rules.presidium_size(60) == (3, 5)
    assert rules.presidium_size(101) == (7, None)


# ---- dates -----------------------------------------------------------------------------------


def test_proposal_deadline_and_late_papers():
    opens = datetime.date(2026, 3, 20)
    assert rules.proposal_deadline(opens) == datetime.date(2026, 3, 5)
    assert rules.proposal_deadline(opens, 10) == datetime.date(2026, 3, 10)
    assert not rules.papers_late(datetime.date(2026, 3, 13), opens)  # exactly 7 days before
    assert rules.papers_late(datetime.date(2026, 3, 14), opens)


def test_school_years_run_september_to_august():
    assert rules.school_year_of(datetime.date(2026, 9, 1)) == 2026
    assert rules.school_year_of(datetime.date(2026, 8, 31)) == 2025
    assert rules.school_year_of(datetime.date(2027, 1, 15)) == 2026


def test_years_without_session_lists_completed_years_only():
    since = datetime.date(2023, 9, 1)
    sessions = [datetime.date(2024, 3, 20), datetime.date(2026, 3, 18)]
    today = datetime.date(2026, 11, 23)
    # 2023-24 held (March 2024), 2024-25 none, 2025-26 held (March 2026), 2026-27 is not over.
    assert rules.years_without_session(sessions, today, since) == [2024]
    assert rules.years_without_session([], datetime.date(2024, 5, 1), since) == []


@given(
    st.lists(st.dates(datetime.date(2015, 1, 1), datetime.date(2030, 12, 31)), max_size=10),
    st.dates(datetime.date(2015, 1, 1), datetime.date(2030, 12, 31)),
)
def test_years_without_session_are_exactly_the_empty_completed_years(days, today):
    since = datetime.date(2015, 9, 1)
    missing = rules.years_without_session(days, today, since)
    for y in range(2015, rules.school_year_of(today)):
        held = any(datetime.date(y, 9, 1) <= d <= datetime.date(y + 1, 8, 31) for d in days)
        assert (y in missing) == (not held)
    assert all(y < rules.school_year_of(today) for y in missing)


# ---- the proposal state machine --------------------------------------------------------------


def test_the_whole_life_of_a_proposal():
    path = ["submit", "accept", "assign", "progress", "reply", "rate", "reopen", "progress", "reply", "rate"]
    state = "awaiting_seconds"
    reopened = False
    for action in path:
        nxt = rules.next_state(state, action, reopened_once=reopened)
        assert nxt is not None, (state, action)
        reopened = reopened or action == "reopen"
        state = nxt
    assert state == "rated"
    # The second 不满意 cannot reopen again: it closes.
    assert rules.next_state("rated", "reopen", reopened_once=True) is None
    assert rules.after_rating("unsatisfied", reopened_once=True) == "close"
    assert rules.next_state("rated", "close") == "closed"


@pytest.mark.parametrize(
    ("rating", "reopened", "action"),
    [
        ("unsatisfied", False, "reopen"),
        ("unsatisfied", True, "close"),
        ("satisfied", False, "close"),
        ("basically_satisfied", False, "close"),
    ],
)
def test_after_rating(rating, reopened, action):
    assert rules.after_rating(rating, reopened) == action


@given(st.sampled_from(rules.STATES), st.sampled_from(rules.ACTIONS), st.booleans())
def test_state_machine_refuses_everything_not_listed(state, action, reopened):
    nxt = rules.next_state(state, action, reopened_once=reopened)
    if (state, action) not in rules.TRANSITIONS or (action == "reopen" and reopened):
        assert nxt is None
    else:
        assert nxt == rules.TRANSITIONS[(state, action)]
        assert nxt in rules.STATES


def test_terminal_states_accept_nothing():
    for state in ("rejected", "merged", "closed"):
        assert all(rules.next_state(state, a) is None for a in rules.ACTIONS)


def test_reply_overdue_only_while_being_handled():
    due = datetime.date(2026, 6, 20)
    assert rules.reply_overdue(due, "assigned", datetime.date(2026, 6, 21))
    assert not rules.reply_overdue(due, "assigned", due)
    assert rules.reply_overdue(due, "reopened", datetime.date(2026, 7, 1))
    assert not rules.reply_overdue(due, "replied", datetime.date(2026, 7, 1))
    assert not rules.reply_overdue(None, "assigned", datetime.date(2026, 7, 1))
