"""Demo 兴趣小组, as the seeds describe them ("兴趣小组成立后，应在兴趣小组成员当中推荐一名组长，
并制定本小组年度活动及经费使用费用计划报分工会"): 教师书画社 with its leader chosen and confirmed,
its plan, its Wednesday sessions and this year's budget approved for a little less than asked and
partly spent through the ledger; 羽毛球兴趣小组 with its every-other-Friday sessions, an election
under way and a budget waiting for the chair; 摄影 and 瑜伽 just started."""

import datetime
import random

from django.utils import timezone

from jiaogong.accounts.models import RoleGrant
from jiaogong.activities import services as activities
from jiaogong.clubs import services
from jiaogong.clubs.models import Club


def _finance_user(school):
    grant = RoleGrant.objects.filter(org=school, role="finance").select_related("user").first()
    return grant.user if grant else None


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _spend_day(today: datetime.date, days_ago: int) -> datetime.date:
    return max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=days_ago))


def load_clubs(*, actor, school, members, today: datetime.date, seed: int = 0) -> list[Club]:
    """`actor` is the chair (opens and confirms elections, approves budgets)."""
    rng = random.Random(seed * 7919 + 3)
    active = [m for m in members if m.status == "active"]
    year = today.year

    calligraphy = services.create_club(
        actor=actor,
        org=school,
        name="教师书画社",
        description="书法、国画爱好者自愿参加，每周三下午课后活动，定期举办作品展。",
    )
    badminton = services.create_club(
        actor=actor,
        org=school,
        name="羽毛球兴趣小组",
        description="双周五下午在体育馆活动，组织校内羽毛球比赛。",
    )
    photography = services.create_club(
        actor=actor, org=school, name="摄影兴趣小组", description="记录校园生活，为工会活动拍照。"
    )
    yoga = services.create_club(
        actor=actor, org=school, name="瑜伽兴趣小组", description="女教职工为主，舒缓身心。"
    )

    picks = {}
    for club, size in ((calligraphy, 12), (badminton, 16), (photography, 6), (yoga, 9)):
        picks[club] = rng.sample(active, min(size, len(active)))
        for m in picks[club]:
            services.join(actor=actor, club=club, member=m)

    # 书画社: the members chose their leader; the chair confirmed it.
    people = picks[calligraphy]
    election = services.open_election(actor=actor, club=calligraphy)
    favourite = people[0]
    for i, voter in enumerate(people):
        choice = favourite if i % 4 != 3 else people[1 + i % 3]
        services.cast_vote(actor=actor, election=election, voter=voter, candidate_id=choice.pk)
    services.confirm_election(actor=actor, election=election)
    calligraphy.refresh_from_db()
    services.save_plan(
        actor=actor,
        club=calligraphy,
        year=year,
        text="1、每周三下午第三节课后集中练习一次（书法临帖、国画写意）。\n"
        "2、三月 春季写生。\n3、九月 庆祝教师节教职工书画作品展。\n4、十二月 迎新春写春联、送春联。",
    )
    wednesday = _weekday_on_or_after(datetime.date(year, 3, 4), 2)
    services.add_session(
        actor=actor,
        club=calligraphy,
        title="书画社每周活动",
        starts_at=_at(wednesday, 16, 20),
        ends_at=_at(wednesday, 17, 30),
        location="美术室",
        rrule="FREQ=WEEKLY;BYDAY=WE",
    )
    exhibition = services.add_session(
        actor=actor,
        club=calligraphy,
        title="庆祝教师节教职工书画作品展",
        starts_at=_at(datetime.date(year, 9, 8), 14, 30),
        ends_at=_at(datetime.date(year, 9, 8), 17, 0),
        location="学校展厅",
    )
    if exhibition.activity.starts_at < timezone.now() and exhibition.activity.starts_at.date() < today:
        activities.mark_held(actor=actor, org=school, activity=exhibition.activity)
    budget = services.request_budget(
        actor=actor,
        club=calligraphy,
        year=year,
        lines=[
            {"item": "宣纸、墨汁、毛笔", "amount": "1200"},
            {"item": "外请书法老师讲座 2 次", "amount": "1600"},
            {"item": "作品装裱（教师节作品展）", "amount": "1000"},
        ],
        note="按小组年度活动计划申请。",
    )
    services.approve_budget(actor=actor, budget=budget, amount="3000", reason="讲座 1 次，其余照准。")
    finance = _finance_user(school)
    if finance is not None:
        for days_ago, amount, memo, payee in (
            (200, "860.00", "购买宣纸、墨汁、毛笔", "县文化用品商店"),
            (90, "800.00", "书法讲座劳务费", "县书法家协会"),
            (70, "640.00", "教师节作品展作品装裱", "翰墨装裱店"),
        ):
            services.record_spending(
                actor=finance,
                budget=budget,
                date=_spend_day(today, days_ago),
                amount=amount,
                memo=memo,
                payee=payee,
            )

    # 羽毛球: every other Friday 16:20–17:00 (the seeds' 双周五工会活动), an election under way.
    friday = _weekday_on_or_after(datetime.date(year, 3, 6), 4)
    services.add_session(
        actor=actor,
        club=badminton,
        title="羽毛球兴趣小组活动",
        starts_at=_at(friday, 16, 20),
        ends_at=_at(friday, 17, 0),
        location="学校体育馆",
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
    )
    services.save_plan(
        actor=actor,
        club=badminton,
        year=year,
        text="1、双周五下午 16:20–17:00 集中活动。\n2、五月 配合工会组织全校教职工羽毛球比赛（分四组进行）。\n"
        "3、十一月 女教师羽毛球比赛。",
    )
    open_vote = services.open_election(actor=actor, club=badminton)
    for voter in picks[badminton][:7]:
        services.cast_vote(
            actor=actor, election=open_vote, voter=voter, candidate_id=rng.choice(picks[badminton][:3]).pk
        )
    services.request_budget(
        actor=actor,
        club=badminton,
        year=year,
        lines=[{"item": "羽毛球 20 筒", "amount": "1500"}, {"item": "球拍线、手胶", "amount": "400"}],
    )
    return [calligraphy, badminton, photography, yoga]
