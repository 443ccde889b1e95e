"""Demo competitions for a school, as the seeds plan them: "全校教职工羽毛球比赛(分四组进行)" held
this autumn — sixteen players drawn into four groups, a round robin in each group, the group
winners in the semi-finals and the final, prizes within the 2/3 rule and certificates ready —
and the coming "拔河比赛" by 年级组, teams entered, with sign-up open on its activity page."""

import datetime
import random

from django.utils import timezone

from jiaogong.competitions import selectors, services
from jiaogong.competitions.models import Competition, Match
from jiaogong.demo import never_attends
from jiaogong.members.models import Member


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _last(today: datetime.date, month: int, day: int) -> datetime.date:
    date = datetime.date(today.year, month, day)
    return date if date < today else datetime.date(today.year - 1, month, day)


def _next(today: datetime.date, month: int, day: int) -> datetime.date:
    date = datetime.date(today.year, month, day)
    return date if date > today else datetime.date(today.year + 1, month, day)


def _games(rng: random.Random) -> tuple[int, int]:
    """A best-of-three badminton match: 2:0 or 2:1 to the winner."""
    loser = rng.choice([0, 1])
    return (2, loser) if rng.random() < 0.5 else (loser, 2)


def _group_winners(competition: Competition, rnd) -> list:
    view = selectors.overview(competition)
    standings = next(rs for rs in view.rounds if rs.round.pk == rnd.pk)
    return [next(r.entry for r in block.rows if r.place == 1) for block in standings.blocks]


def load_competitions(*, actor, school, members, today: datetime.date, seed: int = 1) -> list[Competition]:
    rng = random.Random(seed * 7919)
    active = [m for m in members if m.status == Member.Status.ACTIVE]
    rng.shuffle(active)
    absent = never_attends(active)
    made = []
    if len(active) - len(absent) < 8:  # too few for four groups of two
        return made

    # 1. 教职工羽毛球比赛（分四组进行）, held in October.
    day = _last(today, 10, 16)
    badminton = services.create_competition(
        actor=actor,
        org=school,
        title=f"{day.year}年教职工羽毛球比赛",
        sport="羽毛球",
        entry_kind="individual",
        starts_at=_at(day, 14, 30),
        ends_at=_at(day, 17, 30),
        location="学校体育馆",
        description="全校教职工分四组进行，小组单循环（三局两胜），各组第一名进入半决赛；设一等奖1名、二等奖1名、三等奖2名、优胜奖4名。",
        unit="局",
    )
    players = [m for m in active if m.pk not in absent][:16]
    for i, m in enumerate(players):
        services.add_entry(
            actor=actor, org=school, competition=badminton, members=[m.pk], seed=i + 1 if i < 4 else None
        )
    services.draw_divisions(
        actor=actor, org=school, competition=badminton, groups=4, seed=day.year * 100 + seed
    )
    groups = services.add_round(
        actor=actor, org=school, competition=badminton, name="小组赛", kind="round_robin", by_division=True
    )
    services.generate_round_robin(actor=actor, org=school, round=groups)
    for m in Match.objects.filter(round=groups).order_by("id"):
        home, away = _games(rng)
        services.record_match_result(actor=actor, org=school, match=m, home_score=home, away_score=away)
    winners = _group_winners(badminton, groups)
    semi = services.add_round(actor=actor, org=school, competition=badminton, name="半决赛", kind="knockout")
    finalists = []
    for a, b in ((winners[0], winners[3]), (winners[1], winners[2])):
        match = services.add_match(actor=actor, org=school, round=semi, home=a, away=b)
        home, away = _games(rng)
        services.record_match_result(actor=actor, org=school, match=match, home_score=home, away_score=away)
        finalists.append(a if home > away else b)
    final = services.add_round(actor=actor, org=school, competition=badminton, name="决赛", kind="knockout")
    match = services.add_match(actor=actor, org=school, round=final, home=finalists[0], away=finalists[1])
    home, away = _games(rng)
    services.record_match_result(actor=actor, org=school, match=match, home_score=home, away_score=away)
    services.set_prizes(
        actor=actor,
        org=school,
        competition=badminton,
        tiers=[("一等奖", 1), ("二等奖", 1), ("三等奖", 2), ("优胜奖", 4)],
    )
    services.award_from_ranking(actor=actor, org=school, competition=badminton)
    _attended(actor, school, badminton, day, players)
    made.append(badminton)

    # 2. 拔河比赛 by 年级组, coming up: a team from each 工会小组, sign-up open.
    day = _next(today, 12, 18)
    tug = services.create_competition(
        actor=actor,
        org=school,
        title=f"{day.year}年“迎新年”教职工拔河比赛",
        sport="拔河",
        entry_kind="team",
        starts_at=_at(day, 16, 0),
        ends_at=_at(day, 17, 30),
        location="学校操场",
        description="以工会小组（年级组）为单位组队，每队 6 人（至少 2 名女教师），三局两胜。",
        registration=True,
        registration_deadline=_at(day - datetime.timedelta(days=3), 18, 0),
    )
    rest = active[16:]
    by_group: dict = {}
    for m in rest:
        if m.union_group_id:
            by_group.setdefault(m.union_group, []).append(m)
    for group, people in sorted(by_group.items(), key=lambda kv: kv[0].name):
        if len(people) >= 3:
            services.add_entry(
                actor=actor,
                org=school,
                competition=tug,
                members=[m.pk for m in people[:6]],
                name=f"{group.name}队",
            )
    made.append(tug)
    return made


def _attended(actor, school, competition, day, players) -> None:
    """The players were there: the organiser's attendance on the activity (what participation
    counts). Only for a day that has passed by the real clock, as the activity requires."""
    if day > timezone.localdate():
        return
    from jiaogong.activities import services as activities

    activities.set_attendance(
        actor=actor, org=school, activity=competition.activity, day=day, member_ids=[m.pk for m in players]
    )
