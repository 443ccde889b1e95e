"""送温暖 in a real Chromium: the story of issue 5 on a phone (a teacher reports a colleague in
hospital, the welfare member assigns the group leader, the group leader records the visit with a
photo and 慰问金 — refused above the cap, then accepted — and the voucher is in the ledger), and
every page on a phone and a desktop."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.demo import generate_school
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds.models import LedgerEntry
from jiaogong.members.models import GroupLeader, Member, UnionGroup
from jiaogong.welfare import services
from jiaogong.welfare.models import CareEvent, GreetingBatch, Visit

from .conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(school_a):
    today = timezone.localdate()
    chair = grant(UserFactory(username="zhuxi", first_name="王主席"), school_a, "chair")
    members = generate_school(school_a, 30, seed=11, today=today, actor=chair)
    group_a = UnionGroup.objects.filter(org=school_a).exclude(kind="retirees").order_by("name").first()
    teacher = MemberFactory(org=school_a, name="张老师", union_group=group_a, gender="F")
    grant(UserFactory(username="laoshi", first_name="张老师", member=teacher), school_a, "member")
    patient = MemberFactory(org=school_a, name="李明", union_group=group_a)
    leader = MemberFactory(org=school_a, name="陈组长", union_group=group_a)
    GroupLeader.objects.create(
        org=school_a, group=group_a, member=leader, elected_on=datetime.date(2025, 9, 1)
    )
    grant(UserFactory(username="zuzhang", first_name="陈组长", member=leader), school_a, "group_leader")
    welfare_member = MemberFactory(org=school_a, name="刘生活", union_group=group_a)
    welfare = grant(
        UserFactory(username="shenghuo", first_name="刘生活", member=welfare_member), school_a, "welfare"
    )
    grant(UserFactory(username="caiwu", first_name="赵会计"), school_a, "finance")
    return {
        "org": school_a,
        "patient": patient,
        "leader": leader,
        "welfare": welfare,
        "members": members,
        "today": today,
    }


def test_report_assign_and_visit_on_a_phone(browser_page, school, tmp_path):
    org, patient, leader = school["org"], school["patient"], school["leader"]
    today = school["today"]

    # 1. A teacher reports on her phone that a colleague is in hospital.
    page = browser_page("phone")
    log_in(page, "laoshi")
    page.goto(f"/o/{org.pk}/welfare/")
    page.get_by_role("link", name="报告慰问事项").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("慰问谁").select_option(str(patient.pk))
    page.get_by_label("生病住院").check()
    page.get_by_label("简要说明（可不填）").fill("在县人民医院住院。")
    assert fits_the_screen(page)
    shoot(page, "welfare-report-phone")
    page.get_by_role("button", name="提交报告").click()
    page.wait_for_load_state("networkidle")
    assert "已报告：李明·生病住院" in page.content()
    event = CareEvent.objects.get(org=org)

    # 2. The welfare member sees it in the queue and assigns the group leader (the default).
    manager = browser_page("phone")
    log_in(manager, "shenghuo")
    manager.goto(f"/o/{org.pk}/welfare/")
    assert "待分派" in manager.content()
    shoot(manager, "welfare-home-manager-phone")
    manager.get_by_role("link", name="李明").first.click()
    manager.wait_for_load_state("networkidle")
    assert manager.get_by_label("走访人").input_value() == str(leader.pk)
    manager.get_by_role("button", name="分派").click()
    manager.wait_for_load_state("networkidle")
    assert "已请 陈组长" in manager.content()
    event.refresh_from_db()
    assert event.visitor == leader

    # 3. The group leader records the visit with a photo and 慰问金: above the cap first.
    visitor = browser_page("phone")
    log_in(visitor, "zuzhang")
    visitor.goto(f"/o/{org.pk}/welfare/")
    visitor.get_by_role("link", name="李明").first.click()
    visitor.wait_for_load_state("networkidle")
    photo = tmp_path / "visit.png"
    photo.write_bytes(png_bytes(40, 30))
    visitor.get_by_label("慰问形式").select_option("cash")
    visitor.get_by_label("金额（元，不发钱物可不填）").fill("1200")
    visitor.get_by_label("走访照片（JPG 或 PNG，可不传）").set_input_files(str(photo))
    visitor.get_by_label("走访情况").fill("到医院看望，转达工会的问候。")
    shoot(visitor, "welfare-visit-form-phone")
    visitor.get_by_role("button", name="登记走访").click()
    visitor.wait_for_load_state("networkidle")
    assert "生病住院慰问每次不超过 1000.00 元，本次还可发 1000.00 元" in visitor.content()
    assert fits_the_screen(visitor)
    shoot(visitor, "welfare-visit-refused-phone")
    assert Visit.objects.count() == 0 and LedgerEntry.objects.count() == 0
    visitor.get_by_label("金额（元，不发钱物可不填）").fill("1000")
    visitor.get_by_label("走访照片（JPG 或 PNG，可不传）").set_input_files(str(photo))
    visitor.get_by_role("button", name="登记走访").click()
    visitor.wait_for_load_state("networkidle")
    assert "慰问 1000.00 元已记入账簿" in visitor.content()
    assert visitor.get_by_role("img", name="走访照片 visit.png").is_visible()
    assert fits_the_screen(visitor)
    shoot(visitor, "welfare-visited-phone")

    # 4. The voucher is in the ledger, booked as 维权支出 · 送温暖, without retyping.
    entry = Visit.objects.get().benefit.entry
    assert (entry.category, entry.subcategory, entry.amount) == ("维权支出", "送温暖", 1000)
    finance = browser_page("phone")
    log_in(finance, "caiwu")
    finance.goto(f"/o/{org.pk}/funds/ledger/?year={today.year}")
    assert "生病住院慰问（现金）李明" in finance.content()
    shoot(finance, "welfare-ledger-entry-phone")


@pytest.fixture
def filled(school):
    org, today, welfare = school["org"], school["today"], school["welfare"]
    members = [m for m in school["members"] if m.status == Member.Status.ACTIVE]
    e = services.report_event(
        actor=welfare, org=org, member=members[0], kind="death_relative", occurred_on=today
    )
    services.assign_visitor(actor=welfare, org=org, event=e, visitor=school["leader"])
    old = services.report_event(
        actor=welfare, org=org, member=members[1], kind="marriage", occurred_on=today - datetime.timedelta(days=10),
        today=today - datetime.timedelta(days=9),
    )  # fmt: skip
    services.report_event(
        actor=welfare, org=org, member=school["patient"], kind="hospitalized", occurred_on=today
    )
    batch = services.create_batch(
        actor=welfare, org=org, kind="festival", festival="元旦", given_on=today, item="大米一袋、食用油一桶",
        amounts={"active": "300", "retired": "200"}, handler="刘生活",
    )  # fmt: skip
    for m in members[:2]:
        Member.objects.filter(pk=m.pk).update(
            birth_date=m.birth_date.replace(month=today.month, day=min(m.birth_date.day, 28))
        )
    retired = [m for m in school["members"] if m.status == Member.Status.RETIRED]
    if not retired:
        retired = [MemberFactory(org=org, name="老王", status=Member.Status.RETIRED)]
    meeting = services.record_meeting(
        actor=welfare, org=org, title="重阳节退休教职工座谈会", held_on=today, place="学校三楼会议室",
        topic="通报学校一年来的工作；听取退休教职工的意见和建议。", attendees=[m.pk for m in retired[:5]],
        guests="校长、工会主席", summary="退休教师们建议多组织参观新教学楼。\n工会将整理意见报学校行政。",
        cost="600.00",
    )  # fmt: skip
    return {"event": e, "old": old, "batch": batch, "meeting": meeting}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_welfare_page_renders_and_fits(browser_page, school, filled, viewport):
    org = school["org"]
    page = browser_page(viewport)
    log_in(page, "shenghuo")
    pages = {
        "welfare-home": f"/o/{org.pk}/welfare/",
        "welfare-queue": f"/o/{org.pk}/welfare/events/",
        "welfare-queue-overdue": f"/o/{org.pk}/welfare/events/?state=overdue",
        "welfare-event": f"/o/{org.pk}/welfare/events/{filled['event'].pk}/",
        "welfare-report": f"/o/{org.pk}/welfare/report/",
        "welfare-greetings": f"/o/{org.pk}/welfare/greetings/",
        "welfare-greeting-new": f"/o/{org.pk}/welfare/greetings/new/",
        "welfare-greeting-batch": f"/o/{org.pk}/welfare/greetings/{filled['batch'].pk}/",
        "welfare-birthdays": f"/o/{org.pk}/welfare/birthdays/",
        "welfare-retirees": f"/o/{org.pk}/welfare/retirees/",
        "welfare-meeting-new": f"/o/{org.pk}/welfare/retirees/meetings/new/",
        "welfare-meeting": f"/o/{org.pk}/welfare/retirees/meetings/{filled['meeting'].pk}/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    page.goto(pages["welfare-greeting-batch"])
    page.get_by_role("button", name="发放并记账").first.click()
    page.wait_for_load_state("networkidle")
    assert "已发放并记入账簿" in page.content()
    assert GreetingBatch.objects.get(pk=filled["batch"].pk).status == "posted"
    shoot(page, f"welfare-greeting-posted-{viewport}")
    leader = browser_page(viewport)
    log_in(leader, "zuzhang")
    leader.goto(f"/o/{org.pk}/welfare/mine/")
    assert fits_the_screen(leader)
    shoot(leader, f"welfare-mine-{viewport}")
    leader.goto(f"/o/{org.pk}/welfare/")
    shoot(leader, f"welfare-home-member-{viewport}")
