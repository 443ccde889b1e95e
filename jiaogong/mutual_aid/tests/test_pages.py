"""互助保障 pages: outsiders get 404 and wrong roles 403 on every page; the managers open a plan,
enrol, take claims and decide them, export the premium list; a member sees their own."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from jiaogong.factories import UserFactory, grant
from jiaogong.funds.models import LedgerEntry
from jiaogong.mutual_aid import demo
from jiaogong.mutual_aid.models import Claim, Enrolment, Plan


def url(name, *args):
    return reverse(f"mutual_aid:{name}", args=args)


def pages(org, plan, enrolment, claim):
    return [
        ("get", url("home", org.pk)),
        ("get", url("create", org.pk)),
        ("get", url("plan", org.pk, plan.pk)),
        ("post", url("enrol", org.pk, plan.pk)),
        ("post", url("withdraw", org.pk, plan.pk, enrolment.pk)),
        ("get", url("claim", org.pk, plan.pk, claim.pk)),
        ("get", url("export", org.pk, plan.pk)),
    ]


def test_every_page_is_a_404_for_an_outsider(login, outsider_b, plan_a, claim_a, school_a):
    client = login(outsider_b)
    for method, u in pages(school_a, plan_a, Enrolment.objects.first(), claim_a) + [
        ("get", url("mine", school_a.pk))
    ]:
        assert getattr(client, method)(u).status_code == 404, u


def test_another_schools_plan_is_a_404_for_its_own_manager(login, plan_a, claim_a, school_b):
    other = grant(UserFactory(username="other_welfare"), school_b, "welfare")
    client = login(other)
    assert client.get(url("plan", school_b.pk, plan_a.pk)).status_code == 404
    assert client.get(url("claim", school_b.pk, plan_a.pk, claim_a.pk)).status_code == 404
    assert client.post(url("enrol", school_b.pk, plan_a.pk), {"all": "1"}).status_code == 404


@pytest.mark.parametrize("who", ["member_a", "women_a"])
def test_every_manager_page_is_a_403_for_a_wrong_role(request, login, plan_a, claim_a, school_a, who):
    client = login(request.getfixturevalue(who))
    enrolment = Enrolment.objects.first()
    for method, u in pages(school_a, plan_a, enrolment, claim_a):
        assert getattr(client, method)(u).status_code == 403, u
    assert Enrolment.objects.count() == 2


@pytest.mark.parametrize("who", ["chair_a", "welfare_a", "finance_a"])
def test_the_managers_see_the_plans(request, login, plan_a, school_a, who):
    body = login(request.getfixturevalue(who)).get(url("home", school_a.pk)).content.decode()
    assert "职工住院医疗互助保障" in body and "不计入本单位工会经费" in body


def test_creating_a_plan_from_the_page(login, welfare_a, school_a, day):
    response = login(welfare_a).post(
        url("create", school_a.pk),
        {
            "name": "职工住院医疗互助保障",
            "year": str(day.year),
            "premium": "50",
            "covers_from": f"{day.year}-01-01",
            "covers_to": f"{day.year}-12-31",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.premium == Decimal("50.00")


def test_a_bad_plan_re_renders_with_422_in_chinese_and_nothing_is_written(login, welfare_a, school_a):
    response = login(welfare_a).post(
        url("create", school_a.pk),
        {
            "name": "",
            "year": "2026",
            "premium": "五十",
            "covers_from": "2026-01-01",
            "covers_to": "2025-01-01",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "请填写保障项目" in body and "每人保费应填写数字" in body and "不能早于开始日期" in body
    assert Plan.objects.count() == 0


def test_enrol_all_active_in_one_step_then_the_premium_total_shows(login, welfare_a, plan_a, school_a):
    client = login(welfare_a)
    client.post(url("enrol", school_a.pk, plan_a.pk), {"all": "1"})
    body = client.get(url("plan", school_a.pk, plan_a.pk)).content.decode()
    assert Enrolment.objects.count() == 2 and "100.00" in body


def test_enrol_chosen_and_a_refused_choice_says_why(login, welfare_a, plan_a, school_a, staff):
    client = login(welfare_a)
    client.post(url("enrol", school_a.pk, plan_a.pk), {"member": [str(staff["she"].pk)]})
    assert Enrolment.objects.count() == 1
    response = client.post(
        url("enrol", school_a.pk, plan_a.pk), {"member": [str(staff["retired"].pk)]}, follow=True
    )
    assert "不是在册会员" in response.content.decode() and Enrolment.objects.count() == 1


def test_withdraw_from_the_page(login, welfare_a, enrolled, plan_a, school_a):
    login(welfare_a).post(url("withdraw", school_a.pk, plan_a.pk, enrolled[0].pk))
    assert Enrolment.objects.count() == 1


def test_a_claim_from_the_page_and_a_refused_one_with_422(
    login, welfare_a, enrolled, plan_a, school_a, member_a, staff, day
):
    client = login(welfare_a)
    ok = client.post(
        url("plan", school_a.pk, plan_a.pk),
        {
            "member": str(member_a.member.pk),
            "event_on": str(day),
            "kind": "hospital",
            "amount_claimed": "3000",
        },
    )
    assert ok.status_code == 302 and Claim.objects.count() == 1
    bad = client.post(
        url("plan", school_a.pk, plan_a.pk),
        {
            "member": str(member_a.member.pk),
            "event_on": str(plan_a.covers_from - datetime.timedelta(days=1)),
            "kind": "hospital",
            "amount_claimed": "3000",
        },
    )
    assert bad.status_code == 422 and "不在保障期内" in bad.content.decode()
    assert Claim.objects.count() == 1


def test_pay_a_claim_from_its_page(login, finance_a, claim_a, plan_a, school_a, day):
    response = login(finance_a).post(
        url("claim", school_a.pk, plan_a.pk, claim_a.pk),
        {"action": "pay", "amount_paid": "1600", "paid_on": str(day)},
    )
    assert response.status_code == 302
    claim_a.refresh_from_db()
    assert claim_a.status == "paid" and claim_a.amount_paid == Decimal("1600.00")
    assert LedgerEntry.objects.count() == 0


def test_paying_above_the_claim_re_renders_422_and_nothing_changes(
    login, welfare_a, claim_a, plan_a, school_a, day
):
    response = login(welfare_a).post(
        url("claim", school_a.pk, plan_a.pk, claim_a.pk),
        {"action": "pay", "amount_paid": "2000.01", "paid_on": str(day)},
    )
    assert response.status_code == 422 and "不能超过申请金额" in response.content.decode()
    claim_a.refresh_from_db()
    assert claim_a.status == "submitted"


def test_refuse_a_claim_with_a_reason_from_its_page(login, welfare_a, claim_a, plan_a, school_a):
    client = login(welfare_a)
    assert (
        client.post(
            url("claim", school_a.pk, plan_a.pk, claim_a.pk), {"action": "refuse", "reason": ""}
        ).status_code
        == 422
    )
    client.post(url("claim", school_a.pk, plan_a.pk, claim_a.pk), {"action": "refuse", "reason": "材料不全"})
    claim_a.refresh_from_db()
    assert claim_a.status == "refused"


def test_the_premium_list_has_everyone_and_the_total(login, chair_a, enrolled, plan_a, school_a):
    response = login(chair_a).get(url("export", school_a.pk, plan_a.pk))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "合计")
    assert total[1] == "2 人" and Decimal(str(total[5])) == Decimal("100")
    assert any(r[1] == "陈静" for r in rows)


@pytest.mark.parametrize("who", ["welfare_a", "finance_a"])
def test_the_premium_list_masks_id_numbers_for_roles_that_may_not_read_them(
    request, login, enrolled, plan_a, school_a, who
):
    from jiaogong.core.models import AuditEvent
    from jiaogong.members.models import Member

    response = login(request.getfixturevalue(who)).get(url("export", school_a.pk, plan_a.pk))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {str(v) for row in ws.iter_rows(values_only=True) for v in row if v}
    numbers = [m.id_number for m in Member.objects.filter(org=school_a).exclude(id_number="")]
    assert numbers and not any(n in cell for n in numbers for cell in cells)
    assert not AuditEvent.objects.filter(action="mutual_aid.plan.export").exists()


def test_the_premium_list_in_clear_is_a_logged_reveal(login, chair_a, enrolled, plan_a, school_a):
    from jiaogong.core.models import AuditEvent

    response = login(chair_a).get(url("export", school_a.pk, plan_a.pk))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    shown = [r[3] for r in ws.iter_rows(min_row=4, values_only=True) if r[1] and r[0] != "合计"]
    assert shown and all(n and "*" not in n for n in shown)
    (event,) = AuditEvent.objects.filter(action="mutual_aid.plan.export")
    assert event.actor == chair_a and event.changes["count"] == [None, len(shown)]
    assert event.object_id == str(plan_a.pk)


def test_a_member_sees_their_own_enrolment_and_claims_only(login, member_a, claim_a, school_a, staff):
    body = login(member_a).get(url("mine", school_a.pk)).content.decode()
    assert "职工住院医疗互助保障" in body and "2000.00" in body and "陈静" not in body


def test_a_user_without_a_member_record_sees_an_explanation(login, chair_a, school_a):
    assert "没有关联本单位的会员档案" in login(chair_a).get(url("mine", school_a.pk)).content.decode()


def test_the_demo_enrols_everyone_active_with_a_paid_a_refused_and_an_open_claim(
    school_a, welfare_a, staff, member_a, day
):
    plans = demo.load_mutual_aid(
        actor=welfare_a, school=school_a, members=list(staff.values()), today=day, seed=1
    )
    assert Enrolment.objects.filter(plan=plans[0]).count() == 2
    assert sorted(Claim.objects.values_list("status", flat=True)) == ["paid", "refused"]
    assert LedgerEntry.objects.count() == 0


def test_libreoffice_opens_the_premium_list(enrolled, plan_a, tmp_path):
    from jiaogong.checkups.tests.test_pages import libreoffice_opens
    from jiaogong.mutual_aid import exporting

    libreoffice_opens(exporting.premium_workbook(plan_a), tmp_path, "mutual_aid")
