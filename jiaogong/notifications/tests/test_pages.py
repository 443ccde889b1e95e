"""The inbox, the preferences, the top bar's count and the dashboard's 今日待办."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, grant
from jiaogong.notifications import services
from jiaogong.notifications.models import Notification, NotificationPreference
from jiaogong.notifications.sources import KINDS

from .conftest import item

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def reminders(school_a, chair_a, welfare_a, fake_source, only_sources):
    """Two reminders for the chair and the welfare member (one overdue), one for the welfare member only."""
    fake_source.items += [
        item(school_a, "welfare.visit.due:1", [chair_a, welfare_a], title="请走访张三", url="/o/1/welfare/"),
        item(school_a, "welfare.visit.overdue:2", [chair_a, welfare_a], title="走访李四已逾期", overdue=True),
        item(
            school_a,
            "members.birthday:3:2026-11-24",
            [welfare_a],
            kind="birthdays",
            title="王五11月24日过生日",
        ),
    ]
    only_sources(fake_source)
    services.run_daily(TODAY)
    return fake_source


def url(name, org, *args):
    return reverse(f"notifications:{name}", args=[org.pk, *args])


# ---- the inbox -------------------------------------------------------------------------------------


def test_the_inbox_lists_the_users_own_reminders_unread_first(login, school_a, chair_a, reminders):
    n = Notification.objects.get(user=chair_a, key="welfare.visit.due:1")
    services.mark_read(actor=chair_a, notification=n)
    page = login(chair_a).get(url("inbox", school_a))
    assert page.status_code == 200
    rows = list(page.context["page"].object_list)
    assert [r.key for r in rows] == ["welfare.visit.overdue:2", "welfare.visit.due:1"]
    assert page.context["unread"] == 1
    assert "王五" not in page.content.decode()


def test_marking_read_with_htmx_returns_the_updated_row(login, school_a, welfare_a, reminders):
    n = Notification.objects.get(user=welfare_a, key="welfare.visit.due:1")
    response = login(welfare_a).post(url("read", school_a, n.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="n{n.pk}"') and "已读" in html and "标为已读" not in html
    n.refresh_from_db()
    assert n.read_at is not None


def test_marking_read_without_htmx_goes_back_to_the_inbox(login, school_a, welfare_a, reminders):
    n = Notification.objects.get(user=welfare_a, key="welfare.visit.due:1")
    response = login(welfare_a).post(url("read", school_a, n.pk))
    assert response.status_code == 302 and response.url == url("inbox", school_a)


def test_marking_read_needs_a_post(login, school_a, welfare_a, reminders):
    n = Notification.objects.get(user=welfare_a, key="welfare.visit.due:1")
    assert login(welfare_a).get(url("read", school_a, n.pk)).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_marks_only_the_users_own(login, school_a, chair_a, welfare_a, reminders):
    response = login(welfare_a).post(url("read_all", school_a))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=welfare_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=chair_a, read_at__isnull=True).count() == 2


def test_opening_a_reminder_marks_it_read_and_goes_to_the_item(login, school_a, welfare_a, reminders):
    n = Notification.objects.get(user=welfare_a, key="welfare.visit.due:1")
    response = login(welfare_a).get(url("open", school_a, n.pk))
    assert response.status_code == 302 and response.url == "/o/1/welfare/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_reminder_link_to_another_site_is_not_followed(login, school_a, welfare_a):
    n = Notification.objects.create(
        org=school_a, user=welfare_a, key="x:1", kind="visits", title="t", url="//evil.example/"
    )
    response = login(welfare_a).get(url("open", school_a, n.pk))
    assert response.url == url("inbox", school_a)


def test_another_users_reminder_is_404(login, school_a, chair_a, welfare_a, reminders):
    theirs = Notification.objects.get(user=welfare_a, key="members.birthday:3:2026-11-24")
    client = login(chair_a)
    assert client.get(url("open", school_a, theirs.pk)).status_code == 404
    assert client.post(url("read", school_a, theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_reminder_is_404_under_another_school(login, school_a, school_b, welfare_a, reminders):
    grant(welfare_a, school_b, "member")
    n = Notification.objects.get(user=welfare_a, key="welfare.visit.due:1")
    assert login(welfare_a).post(url("read", school_b, n.pk)).status_code == 404


def test_a_reminder_hidden_from_the_inbox_cannot_be_opened(login, school_a, welfare_a, reminders):
    n = Notification.objects.get(user=welfare_a, key="welfare.visit.due:1")
    Notification.objects.filter(pk=n.pk).update(in_app=False)
    assert login(welfare_a).get(url("open", school_a, n.pk)).status_code == 404


@pytest.mark.parametrize("name", ["inbox", "preferences"])
def test_an_outsider_gets_404(login, school_a, outsider_b, name):
    assert login(outsider_b).get(url(name, school_a)).status_code == 404


def test_an_outsider_cannot_mark_all_read(login, school_a, outsider_b, reminders):
    assert login(outsider_b).post(url("read_all", school_a)).status_code == 404
    assert Notification.objects.filter(read_at__isnull=True).count() == 5


@pytest.mark.parametrize("name", ["inbox", "preferences"])
def test_a_federation_officer_reading_the_school_is_refused(login, school_a, officer, name):
    assert login(officer).get(url(name, school_a)).status_code == 403


def test_a_federation_has_no_inbox(login, federation, officer):
    assert login(officer).get(url("inbox", federation)).status_code == 404


@pytest.mark.parametrize("name", ["inbox", "preferences"])
def test_anonymous_visitors_are_sent_to_log_in(client, school_a, name):
    response = client.get(url(name, school_a))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_plain_member_has_an_empty_inbox(login, school_a, member_a, reminders):
    page = login(member_a).get(url("inbox", school_a))
    assert page.status_code == 200 and list(page.context["page"].object_list) == []
    assert "还没有提醒" in page.content.decode()


# ---- the top bar -----------------------------------------------------------------------------------


def test_the_top_bar_shows_the_unread_count_in_one_query(
    login, school_a, welfare_a, reminders, django_assert_num_queries
):
    from django.test import RequestFactory

    from jiaogong.notifications.context_processors import unread

    request = RequestFactory().get("/")
    request.user = welfare_a
    request.org = school_a
    welfare_a.__dict__["_roles_cache"] = {school_a.pk: {"welfare"}}
    with django_assert_num_queries(1):
        assert unread(request)["unread_count"] == 3
    html = login(welfare_a).get(url("preferences", school_a)).content.decode()
    assert f'href="/o/{school_a.pk}/notifications/"' in html and '<span class="tag tag-warn">3</span>' in html


def test_the_top_bar_count_leaves_out_read_and_hidden_reminders(login, school_a, welfare_a, reminders):
    Notification.objects.filter(key="welfare.visit.due:1").update(in_app=False)
    services.mark_all_read(actor=welfare_a, org=school_a)
    Notification.objects.filter(user=welfare_a, key="welfare.visit.overdue:2").update(read_at=None)
    page = login(welfare_a).get(reverse("core:dashboard", args=[school_a.pk]))
    assert page.context["unread_count"] == 1


# ---- preferences -----------------------------------------------------------------------------------


def post_prefs(client, org, **on):
    return client.post(url("preferences", org), {name: "on" for name, v in on.items() if v})


def test_preferences_default_to_everything_on_and_show_the_address(login, school_a, welfare_a):
    page = login(welfare_a).get(url("preferences", school_a))
    html = page.content.decode()
    assert page.status_code == 200
    assert "shenghuo@example.cn" in html
    assert html.count(" checked") == 2 * len(KINDS)


def test_without_an_address_the_email_boxes_are_off_and_disabled(login, school_a, chair_a):
    html = login(chair_a).get(url("preferences", school_a)).content.decode()
    assert "没有填写电子邮箱" in html
    assert html.count(" checked") == len(KINDS) and html.count(" disabled") == len(KINDS)


def test_saving_preferences_stores_each_kind(login, school_a, welfare_a):
    response = post_prefs(
        login(welfare_a),
        school_a,
        visits__in_app=True,
        visits__email=True,
        birthdays__in_app=True,
        retirements__email=True,
        hardship_reviews__in_app=True,
        rights__email=True,
        activities__email=True,
    )
    assert response.status_code == 302
    saved = {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=welfare_a)}
    assert saved == {
        "visits": (True, True),
        "birthdays": (True, False),
        "retirements": (False, True),
        "hardship_reviews": (True, False),
        "rights": (False, True),
        "activities": (False, True),
    }
    event = AuditEvent.objects.get(action="notifications.preferences.update")
    assert set(event.changes) == {"birthdays", "retirements", "hardship_reviews", "rights", "activities"}


def test_saved_preferences_apply_to_the_next_run(login, school_a, welfare_a, fake_source, only_sources):
    post_prefs(login(welfare_a), school_a, visits__in_app=True)
    fake_source.items.append(item(school_a, "welfare.visit.due:7", [welfare_a]))
    only_sources(fake_source)
    services.run_daily(TODAY)
    n = Notification.objects.get(user=welfare_a)
    assert (n.in_app, n.email_wanted) == (True, False)


def test_asking_for_email_without_an_address_is_refused_and_nothing_saved(login, school_a, chair_a):
    response = post_prefs(login(chair_a), school_a, visits__in_app=True, visits__email=True)
    assert response.status_code == 422
    assert "没有填写电子邮箱，无法接收邮件提醒" in response.content.decode()
    assert NotificationPreference.objects.count() == 0
    assert not AuditEvent.objects.filter(action="notifications.preferences.update").exists()


def test_unknown_fields_are_ignored(login, school_a, welfare_a):
    response = login(welfare_a).post(
        url("preferences", school_a), {"sports__email": "on", "visits__in_app": "on"}
    )
    assert response.status_code == 302
    assert set(NotificationPreference.objects.values_list("kind", flat=True)) == set(KINDS)


def test_the_service_refuses_an_unknown_kind(school_a, welfare_a):
    from jiaogong.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.set_preferences(actor=welfare_a, org=school_a, choices={"sports": {"in_app": True}})
    assert NotificationPreference.objects.count() == 0


# ---- the dashboard ---------------------------------------------------------------------------------


def dashboard(client, org):
    return client.get(reverse("core:dashboard", args=[org.pk]))


def test_the_dashboard_lists_todays_items_for_their_recipient(login, school_a, welfare_a, reminders):
    page = dashboard(login(welfare_a), school_a)
    html = page.content.decode()
    assert "今日待办" in html
    assert [i.key for i in page.context["due"]] == [
        "welfare.visit.overdue:2",
        "members.birthday:3:2026-11-24",
        "welfare.visit.due:1",
    ]
    assert '<span class="tag tag-warn">已逾期</span> <strong>走访李四已逾期</strong>' in html
    assert 'href="/o/1/welfare/"' in html


def test_the_dashboard_leaves_out_items_for_other_roles(login, school_a, chair_a, reminders):
    page = dashboard(login(chair_a), school_a)
    assert [i.key for i in page.context["due"]] == ["welfare.visit.overdue:2", "welfare.visit.due:1"]
    assert "王五" not in page.content.decode()


def test_the_dashboard_shows_no_panel_to_a_user_with_nothing_due(login, school_a, member_a, reminders):
    page = dashboard(login(member_a), school_a)
    assert page.context["due"] == [] and "今日待办" not in page.content.decode()


def test_the_dashboard_panel_shows_a_real_birthday_to_the_welfare_member_not_the_finance_member(
    login, school_a, welfare_a
):
    from django.utils import timezone

    from jiaogong.factories import MemberFactory

    today = timezone.localdate()
    MemberFactory(
        org=school_a,
        name="周敏",
        birth_date=today.replace(year=1990)
        if not (today.month == 2 and today.day == 29)
        else datetime.date(1992, 2, 29),
    )
    finance = grant(UserFactory(username="caiwu"), school_a, "finance")
    assert "周敏今天过生日" in dashboard(login(welfare_a), school_a).content.decode()
    assert "周敏今天过生日" not in dashboard(login(finance), school_a).content.decode()


def test_the_dashboard_lists_twenty_items_and_counts_the_rest(
    login, school_a, welfare_a, fake_source, only_sources
):
    fake_source.items += [item(school_a, f"welfare.visit.due:{n}", [welfare_a]) for n in range(25)]
    only_sources(fake_source)
    page = dashboard(login(welfare_a), school_a)
    assert (len(page.context["due"]), page.context["due_count"]) == (20, 25)
    assert "另有 5 项，见我的提醒" in page.content.decode()


def test_the_dashboards_queries_do_not_grow_with_the_reminders(login, school_a, welfare_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jiaogong.factories import MemberFactory

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=1)
    client = login(welfare_a)
    MemberFactory(org=school_a, birth_date=soon.replace(year=1980, day=min(soon.day, 28)))
    client.get(reverse("core:dashboard", args=[school_a.pk]))  # warm the session and role caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:dashboard", args=[school_a.pk]))
    for year in range(1970, 2000):
        MemberFactory(org=school_a, birth_date=soon.replace(year=year, day=min(soon.day, 28)))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("core:dashboard", args=[school_a.pk]))
    assert page.context["due_count"] == 31
    assert len(many) == len(few)
