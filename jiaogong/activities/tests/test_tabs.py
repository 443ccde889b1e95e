"""The 活动 section's home page and tabs (other apps include activities/_tabs.html)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve, reverse

from jiaogong.activities.tests.conftest import at


def test_the_home_page_lists_the_coming_occurrences(login, member_a, school_a, biweekly, clock):
    clock(at(2026, 9, 1, 9))
    html = login(member_a).get(reverse("activities:home", args=[school_a.pk])).content.decode()
    assert html.count(biweekly.title) >= 3  # 9-04, 9-18 upcoming, and the list of all activities
    assert "9月4日 周五 16:20–17:00" in html
    assert 'aria-current="page">活动</a>' in html


@pytest.mark.parametrize("name", ["home", "calendar", "participation"])
def test_each_tab_marks_its_own_page(login, chair_a, school_a, name):
    html = login(chair_a).get(reverse(f"activities:{name}", args=[school_a.pk])).content.decode()
    label = {"home": "活动", "calendar": "行事历", "participation": "参与统计"}[name]
    assert f'aria-current="page">{label}</a>' in html
    assert html.count('aria-current="page"') >= 1


def test_another_apps_page_including_the_tabs_marks_none_of_ours(school_a):
    request = RequestFactory().get("/")
    request.resolver_match = resolve(reverse("welfare:home", args=[school_a.pk]))
    html = render_to_string("activities/_tabs.html", {"org": school_a, "request": request})
    assert "行事历" in html and 'aria-current="page"' not in html


def test_an_outsider_gets_404_on_the_home_page(login, outsider_b, school_a):
    assert login(outsider_b).get(reverse("activities:home", args=[school_a.pk])).status_code == 404


def test_a_department_account_gets_403_on_the_home_page(login, school_a):
    from jiaogong.factories import UserFactory, grant

    office = grant(UserFactory(username="office"), school_a, "department")
    assert login(office).get(reverse("activities:home", args=[school_a.pk])).status_code == 403
