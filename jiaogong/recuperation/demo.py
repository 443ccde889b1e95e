"""Demo 职工疗休养 for a school: earlier trips (two teachers went two years ago, so they must wait;
others four or six years ago), this year's plan of 6 places in two batches, about ten
applications in the fair queue, and the top three approved for the first batch."""

import datetime
import random

from jiaogong.recuperation import selectors, services

DESTINATIONS = ["桂林阳朔职工疗休养基地", "北海银滩职工疗休养院", "巴马长寿之乡疗休养基地"]


def load_recuperation(*, actor, school, members, today: datetime.date, seed: int = 1):
    rng = random.Random(seed * 104729)
    veterans = [
        m for m in members if m.status == "active" and (m.service_years(today) or 0) >= 5 and m.hire_date
    ]
    rng.shuffle(veterans)
    went_two_years_ago, went_four, went_six, never = veterans[:2], veterans[2:5], veterans[5:7], veterans[7:]
    for years, group in ((2, went_two_years_ago), (4, went_four), (6, went_six)):
        for m in group:
            day = datetime.date(today.year - years, 7, 10 + rng.randrange(0, 10))
            services.record_trip(
                actor=actor,
                org=school,
                member=m,
                went_on=min(day, today),
                destination=rng.choice(DESTINATIONS),
                note="县总工会组织的暑期疗休养（补登）",
            )
    start = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=15))
    plan = services.create_plan(
        actor=actor,
        org=school,
        year=today.year,
        quota=6,
        opens_on=start,
        closes_on=start + datetime.timedelta(days=30),
        destination=DESTINATIONS[seed % len(DESTINATIONS)],
        note="每批 5 天，往返统一乘车；按工龄、上次参加时间公平排序，经工会委员会研究确定。",
    )
    first = services.add_batch(
        actor=actor,
        plan=plan,
        name="第一批",
        starts_on=start + datetime.timedelta(days=40),
        ends_on=start + datetime.timedelta(days=44),
        places=3,
    )
    services.add_batch(
        actor=actor,
        plan=plan,
        name="第二批",
        starts_on=start + datetime.timedelta(days=54),
        ends_on=start + datetime.timedelta(days=58),
        places=3,
    )
    applicants = went_four + went_six + never[:5]
    rng.shuffle(applicants)
    for m in applicants:
        ok, _ = selectors.eligibility(m, today)
        if ok:
            services.apply(actor=actor, plan=plan, member=m, today=today, note="")
    if len(selectors.queue(plan, today)) >= 3:
        services.approve_top(actor=actor, plan=plan, count=3, today=today, batch=first)
    return plan
