"""The eligibility rule and the progress counts of a round."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.checkups import rules

STATUSES = ["applicant", "active", "retired", "transferred", "deceased", "non_member"]
KINDS = ["checkup", "gynaecology", "two_cancers"]


def test_an_active_man_is_on_a_checkup():
    assert rules.is_eligible(kind="checkup", status="active", gender="M", include_retirees=False)


@pytest.mark.parametrize("kind", ["gynaecology", "two_cancers"])
def test_a_man_is_never_on_a_womens_round(kind):
    assert not rules.is_eligible(kind=kind, status="active", gender="M", include_retirees=True)


@pytest.mark.parametrize("kind", ["gynaecology", "two_cancers"])
def test_an_active_woman_is_on_a_womens_round(kind):
    assert rules.is_eligible(kind=kind, status="active", gender="F", include_retirees=False)


def test_a_retiree_is_on_the_list_only_when_retirees_are_included():
    assert not rules.is_eligible(kind="checkup", status="retired", gender="F", include_retirees=False)
    assert rules.is_eligible(kind="checkup", status="retired", gender="F", include_retirees=True)


@pytest.mark.parametrize("status", ["applicant", "transferred", "deceased", "non_member"])
def test_nobody_off_the_roll_is_ever_listed(status):
    for kind in KINDS:
        for gender in "MF":
            assert not rules.is_eligible(kind=kind, status=status, gender=gender, include_retirees=True)


@given(
    kind=st.sampled_from(KINDS),
    status=st.sampled_from(STATUSES),
    gender=st.sampled_from("MF"),
    retirees=st.booleans(),
)
def test_including_retirees_never_removes_anyone(kind, status, gender, retirees):
    if rules.is_eligible(kind=kind, status=status, gender=gender, include_retirees=False):
        assert rules.is_eligible(kind=kind, status=status, gender=gender, include_retirees=True)


def test_progress_counts_each_status_and_leaves_decliners_out_of_the_rate():
    counts = rules.progress(["done", "done", "pending", "declined"])
    assert counts == {"total": 4, "done": 2, "declined": 1, "pending": 1, "rate": 66}


def test_progress_of_an_empty_list_has_no_rate():
    assert rules.progress([])["rate"] is None


@given(st.lists(st.sampled_from(["done", "pending", "declined"])))
def test_progress_parts_add_up_to_the_total(statuses):
    c = rules.progress(statuses)
    assert c["done"] + c["pending"] + c["declined"] == c["total"] == len(statuses)
