"""Demo 工作计划 for a school: this school year's plan, pasted in as the seeds are written (指导思想,
主要工作 in five parts, 主要活动安排 by month from 九月份 to 七月份) through the importer, then
published; last year's plan as well (copied forward is how the chair starts the next one).
Schedule items already past are linked to the records that fulfilled them — the activity (the
Teachers' Day celebration, the table-tennis match…), the 教代会 session, the greeting batch — when
the demo has them; a past item with nothing to link is ticked done by hand, one is left late."""

import datetime
import random
import re

from django.utils import timezone

from jiaogong.plans import links, selectors, services
from jiaogong.plans.models import Plan

PLAN_TEXT = """{school}{year}—{next}学年工会工作计划
一、指导思想
以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大精神，在学校党支部和上级工会的领导下，围绕学校中心工作，切实履行工会维护、参与、教育和建设四大职能，团结动员全体教职工，为构建和谐校园作出工会应有的贡献。
二、主要工作
（一）加强学习，提高教职工的思想素质。
1、组织教职工学习《工会法》《教师法》《中小学教师职业道德规范》，提高依法执教和依法维护自身权益的能力。
2、开展师德师风建设系列活动，引导教职工爱岗敬业、为人师表。
（二）坚持教代会制度，推进民主管理。
1、按时召开教职工代表大会，认真落实教代会各项决议，督促提案办理。
2、继续做好校务公开工作，办好校务公开栏。
（三）做好送温暖工作，增强工会凝聚力。
1、坚持“五必访”制度，及时探望生病住院的教职工，节日慰问退休教师。
2、关心女教职工的工作和生活，组织好女教职工体检。
（四）组织丰富多彩的文体活动。
1、双周五下午4:20—5:00开展工会活动，组织羽毛球、乒乓球等比赛（分四组进行）。
2、开展读书交流活动，年末评出读书活动先进个人。
（五）加强工会自身建设。
1、开展建设“教职工之家”活动，做好会员档案和台帐资料建设。
2、管好用好工会经费，做到“用最少的钱，办满意的事”。
三、主要活动安排
九月份：
1、制定工会工作计划。
2、庆祝教师节。
3、组织学习《教师法》。
十月份：
1、庆祝国庆节。
2、教职工乒乓球比赛。
十一月份：
1、女教职工体检。
2、教师教学比武。
十二月份：
1、召开教职工代表大会。
2、教职工篮球比赛。
元月份：
1、庆祝元旦。
2、慰问退休教职工。
3、工会工作总结。
三月份：
1、庆祝“三八”节活动。
2、教职工踏青联谊活动。
四月份：
1、读书交流活动。
2、全校教职工羽毛球比赛（分四组进行）。
五月份：
1、庆祝“五一”劳动节。
2、组织教职工外出参观学习。
六月份：
1、期末教职工联谊会。
七月份：
1、评选读书活动先进个人。
2、整理工会台帐资料。
"""

# Words of an item → words to look for in the titles of the school's records.
ACTIVITY_WORDS = [
    "教师节",
    "国庆",
    "乒乓球",
    "篮球",
    "元旦",
    "三八",
    "踏青",
    "读书",
    "羽毛球",
    "五一",
    "参观",
    "联谊",
    "《教师法》",
]


def school_year_of(today: datetime.date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def _plan_from_text(*, actor, school, year: int) -> Plan:
    name = re.sub(r"工会$", "", school.name)
    plan = services.import_plan(
        actor=actor,
        org=school,
        text=PLAN_TEXT.format(school=name, year=year, next=year + 1),
        kind=Plan.Kind.SCHOOL_YEAR,
        year=year,
        starts_on=datetime.date(year, 9, 1),
    )
    return services.publish_plan(actor=actor, plan=plan)


def _link_records(*, actor, school, plan: Plan, today: datetime.date, rng: random.Random) -> None:
    from jiaogong.activities import services as activity_services

    views = selectors.schedule(school, plan, today)
    manual_left = 1
    created = 0
    for view in views:
        if view.start is None or view.start > today:
            continue
        item = view.item
        if "教代会" in item.text or "代表大会" in item.text:
            found = links.kind_for("congress").candidates(
                school, view.start - datetime.timedelta(days=31), view.end
            )
            if found:
                services.link_item(actor=actor, item=item, kind="congress", record_id=found[0].pk)
                continue
        if "慰问" in item.text:
            found = links.kind_for("greeting").candidates(school, view.start, view.end)
            if found:
                services.link_item(actor=actor, item=item, kind="greeting", record_id=found[0].pk)
                continue
        words = [w for w in ACTIVITY_WORDS if w in item.text]
        if words:
            activities = links.kind_for("activity").candidates(school, view.start, view.end)
            match = next((a for a in activities if any(w.strip("《》") in a.title for w in words)), None)
            if match is None and created < 2 and view.end < today:
                # The demo of the activities may not have it: hold it now, as the union did.
                day = view.start + datetime.timedelta(days=min(9, (view.end - view.start).days))
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 20)))
                match = activity_services.create_activity(
                    actor=actor,
                    org=school,
                    title=item.text[:60],
                    kind="festival" if "节" in item.text else "recreation",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=40),
                    location="学校教工之家",
                )
                match = activity_services.mark_held(actor=actor, org=school, activity=match)
                created += 1
            if match is not None:
                services.link_item(actor=actor, item=item, kind="activity", record_id=match.pk)
                continue
        if view.end < today and manual_left and rng.random() < 0.8:
            services.set_item_status(actor=actor, item=item, status="done", today=today)
        elif view.end < today:
            manual_left -= 1  # one past item stays unticked: it shows as late


def load_plans(*, actor, school, members, today: datetime.date, seed: int = 1) -> None:
    rng = random.Random(seed * 7919)
    year = school_year_of(today)
    last = _plan_from_text(actor=actor, school=school, year=year - 1)
    for item in last.items.all():
        if rng.random() < 0.85:
            services.set_item_status(actor=actor, item=item, status="done", today=today)
    current = _plan_from_text(actor=actor, school=school, year=year)
    _link_records(actor=actor, school=school, plan=current, today=today, rng=rng)
