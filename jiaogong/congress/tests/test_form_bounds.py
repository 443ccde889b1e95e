"""A term, session or seat count of 10**20 typed in a congress form was an integer overflow in the
database (a 500 on PostgreSQL): the forms bound them."""

from jiaogong.clubs.forms import SessionForm
from jiaogong.congress.forms import CongressForm, PollForm


def test_the_congress_form_bounds_term_and_session():
    form = CongressForm(
        {"term": "1" + "0" * 20, "session": "100", "title": "第一届第一次", "opens_on": "2026-12-10"}
    )
    assert not form.is_valid()
    assert set(form.errors) >= {"term", "session"}


def test_the_poll_form_bounds_the_seats():
    form = PollForm({"title": "选举", "kind": "named", "seats": str(10**12)})
    assert not form.is_valid() and "seats" in form.errors


def test_the_club_form_bounds_the_capacity():
    form = SessionForm({"capacity": str(10**12)})
    assert form.errors["capacity"] == ["名额过大。"]
