"""The server errors the schemathesis run (test_schemathesis.py) found, each kept as a plain test:
numbers beyond what the database or the calendar holds are refused or find nothing, never a 500."""

import pytest

from jiaogong.factories import congress_with_delegates

HUGE = 10**20  # past SQLite's signed 64-bit integers


@pytest.fixture
def chair(api, chair_a):
    return api(chair_a)


def test_a_year_past_the_database_integers_is_a_400_for_the_ledger_summary(chair, school_a):
    response = chair.get(f"/orgs/{school_a.pk}/ledger/summary", {"year": HUGE})
    assert response.status_code == 400
    assert "year" in response.json()["error"]["fields"]


def test_a_year_outside_the_calendar_finds_no_activity(chair, school_a):
    response = chair.get(f"/orgs/{school_a.pk}/activities", {"year": -702200})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_year_outside_the_calendar_lists_this_years_study(chair, school_a):
    assert chair.get(f"/orgs/{school_a.pk}/study-sessions", {"year": 200000}).status_code == 200


def test_an_id_past_the_database_integers_in_a_body_is_a_400(chair, school_a):
    congress, _ = congress_with_delegates(school_a, 3, scrutineers=0)
    response = chair.post(f"/congresses/{congress.pk}/proposal-committee", {"members": [HUGE]})
    assert response.status_code == 400
    response = chair.post(f"/orgs/{school_a.pk}/departments", {"name": "总务处", "users": [HUGE]})
    assert response.status_code == 400


def test_an_amount_too_long_to_round_is_refused_not_a_500(chair, school_a, member_a):
    body = {
        "member": member_a.member_id,
        "household_size": 3,
        "annual_income": "9" * 40,
        "rigid_expenses": "0",
        "hardship_costs": "0",
        "dibao_monthly": "800",
    }
    response = chair.post(f"/orgs/{school_a.pk}/hardship-files", body)
    assert response.status_code in (400, 422)
    assert "annual_income" in response.json()["error"]["fields"]


def test_a_term_number_past_the_column_is_a_400(chair, school_a):
    """Found on PostgreSQL: 届次 is a small integer there; a larger one was a DataError (500)."""
    body = {"term": 10**9, "session": 1, "title": "第十亿届", "opens_on": "2026-12-10", "mode": "all_staff"}
    response = chair.post(f"/orgs/{school_a.pk}/congresses", body)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"term"}
