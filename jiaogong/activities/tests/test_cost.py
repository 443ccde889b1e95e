"""Cost → ledger: the organiser enters it; the finance member posts it as 职工活动支出 through
funds.services.record_entry; the voucher shows on the activity; once posted the cost is fixed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jiaogong.activities import services
from jiaogong.activities.tests.conftest import at
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.funds.models import LedgerEntry


def test_the_cost_is_posted_as_a_voucher_under_the_chosen_subcategory(
    login, school_a, organiser_a, finance_a, biweekly, clock
):
    clock(at(2026, 9, 21, 9))
    services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="1,280.50")
    response = login(finance_a).post(
        reverse("activities:post_cost", args=[school_a.pk, biweekly.pk]),
        {"subcategory": "文体活动", "date": "2026-09-20", "payee": "龙胜县体育用品店"},
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.category, entry.subcategory, entry.amount, entry.date, entry.payee) == (
        "expense",
        "职工活动支出",
        "文体活动",
        Decimal("1280.50"),
        datetime.date(2026, 9, 20),
        "龙胜县体育用品店",
    )
    biweekly.refresh_from_db()
    assert biweekly.ledger_entry == entry
    html = (
        login(finance_a).get(reverse("activities:detail", args=[school_a.pk, biweekly.pk])).content.decode()
    )
    assert f"第 {entry.pk} 号凭证" in html and f"#entry-{entry.pk}" in html


def test_a_posted_cost_cannot_be_changed_or_posted_twice(school_a, organiser_a, finance_a, biweekly):
    services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="300")
    services.post_cost(actor=finance_a, org=school_a, activity=biweekly, date=datetime.date(2026, 9, 20))
    with pytest.raises(Conflict):
        services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="500")
    with pytest.raises(Conflict):
        services.post_cost(actor=finance_a, org=school_a, activity=biweekly)
    assert LedgerEntry.objects.count() == 1


def test_the_default_subcategory_follows_the_kind(school_a, organiser_a, finance_a, make_activity):
    study = make_activity(title="《教师法》学习会", kind="political_study")
    services.set_cost(actor=organiser_a, org=school_a, activity=study, cost="120")
    entry = services.post_cost(actor=finance_a, org=school_a, activity=study, date=datetime.date(2026, 9, 20))
    assert entry.subcategory == "职工教育活动"


def test_only_the_finance_member_posts(school_a, organiser_a, chair_a, biweekly):
    services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="300")
    with pytest.raises(PermissionDenied):
        services.post_cost(actor=chair_a, org=school_a, activity=biweekly)
    assert not LedgerEntry.objects.exists()


def test_bad_costs_are_refused_and_nothing_posted(school_a, organiser_a, finance_a, biweekly):
    with pytest.raises(InvalidInput) as e:
        services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="-5")
    assert e.value.fields == {"cost": "活动费用应大于零。"}
    with pytest.raises(InvalidInput) as e:
        services.post_cost(actor=finance_a, org=school_a, activity=biweekly)
    assert "请先由组织者填写活动费用" in e.value.fields["cost"]
    with pytest.raises(InvalidInput):
        services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="12")
        services.post_cost(actor=finance_a, org=school_a, activity=biweekly, subcategory="送温暖")
    assert not LedgerEntry.objects.exists()


def test_the_ledgers_refusal_shows_on_the_activity_page(
    login, school_a, organiser_a, finance_a, biweekly, clock
):
    clock(at(2026, 9, 1, 9))
    services.set_cost(actor=organiser_a, org=school_a, activity=biweekly, cost="300")
    response = login(finance_a).post(
        reverse("activities:post_cost", args=[school_a.pk, biweekly.pk]),
        {"subcategory": "文体活动", "date": "2026-09-20"},
    )
    assert response.status_code == 422 and 'class="errorlist' in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_banned_use_in_the_cost_waits_for_the_finance_members_confirmation(
    login, school_a, organiser_a, finance_a, make_activity
):
    """八不准: posting the cost passes on the finance member's confirmation, never its own."""
    from jiaogong.core.errors import NeedsConfirmation

    dinner = make_activity(title="年终教职工聚餐")
    services.set_cost(actor=organiser_a, org=school_a, activity=dinner, cost="2000")
    with pytest.raises(NeedsConfirmation):
        services.post_cost(actor=finance_a, org=school_a, activity=dinner, date=datetime.date(2026, 9, 20))
    assert not LedgerEntry.objects.exists()
    url = reverse("activities:post_cost", args=[school_a.pk, dinner.pk])
    form = {"subcategory": "文体活动", "date": "2026-09-20", "payee": "饭店"}
    page = login(finance_a).post(url, form)
    html = page.content.decode()
    assert (
        "工会经费不得用于宴请或公款吃喝（八不准）" in html
        and 'type="checkbox" name="confirm_warnings"' in html
    )
    assert not LedgerEntry.objects.exists()
    assert login(finance_a).post(url, form | {"confirm_warnings": "on"}).status_code == 302
    dinner.refresh_from_db()
    assert dinner.ledger_entry.amount == Decimal("2000.00")
