"""Demo 活动 for a school, as the seeds plan them: the biweekly Friday 16:20–17:00 工会活动 of this
term (not on the National Day Friday), the 教师节 celebration (its cost posted to the ledger as
职工活动支出·集体福利), a study session on 《教师法》, the autumn 健步走 with sign-ups, the 读书交流
activity, and coming up: the 迎新年 趣味运动会 (sign-ups closing in two days, full, with a
waitlist), the 三八 activity and a three-day 外出参观学习. Attendance is recorded for what has taken
place, so the participation figures are real; a few members took part in nothing."""

import datetime
import random

from django.utils import timezone

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.activities import recurrence, selectors, services
from jiaogong.demo import never_attends
from jiaogong.members.models import Member


def _at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hh, mm)))


def _first_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def load_activities(*, actor, school, members, today: datetime.date, seed: int = 1) -> None:
    rng = random.Random(seed * 7919)
    active = [m for m in members if m.status == Member.Status.ACTIVE]
    if not active:
        return
    users = dict(User.objects.filter(member__in=active, is_active=True).values_list("member_id", "pk"))
    users = {m: User.objects.get(pk=u) for m, u in users.items()}
    # A few members never come: the list of those who took part in nothing is not empty.
    rng.shuffle(active)
    absent = never_attends(active)
    regulars = [m for m in active if m.pk not in absent]
    term_start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    now = _at(today, 8)

    def attend(activity, day, share):
        """Attendance for one past occurrence: members with a login scan the code, the organiser
        ticks the rest."""
        if selectors.occurrence_on(activity, day) is None or day > today:
            return
        people = rng.sample(regulars, max(1, int(len(regulars) * share)))
        ticked = []
        occurrence = selectors.occurrence_on(activity, day)
        for m in people:
            if m.pk in users and rng.random() < 0.7:
                when = occurrence.starts_at + datetime.timedelta(minutes=rng.randint(-10, 15))
                services.check_in(actor=users[m.pk], org=school, activity=activity, now=when)
            else:
                ticked.append(m.pk)
        present = [a.member_id for a in selectors.attendance_on(activity, day)]
        services.set_attendance(
            actor=actor, org=school, activity=activity, day=day, member_ids=present + ticked, today=today
        )

    def sign_up(activity, people, when):
        for i, m in enumerate(people):
            services.register(
                actor=actor,
                org=school,
                activity=activity,
                member=m,
                now=when + datetime.timedelta(minutes=7 * i),
            )

    # 1. 双周五下午4:20-5:00工会活动: this term, every other Friday, not on the National Day Friday.
    first_friday = _first_weekday(term_start, 4)
    term_end = datetime.date(term_start.year + 1, 1, 15)
    national_day = [
        d.isoformat()
        for d in (datetime.date(term_start.year, 10, n) for n in range(1, 8))
        if d.weekday() == 4 and ((d - first_friday).days // 7) % 2 == 0
    ]
    series = services.create_activity(
        actor=actor,
        org=school,
        title="工会活动（双周五）",
        kind="recreation",
        starts_at=_at(first_friday, 16, 20),
        ends_at=_at(first_friday, 17, 0),
        rrule=recurrence.rule_for("biweekly", "FR", term_end, timezone.get_current_timezone()),
        skip_dates=national_day,
        location="学校体育馆",
        description="气排球、羽毛球、乒乓球、健身操、棋类，各工会小组轮流组织。",
    )
    for o in selectors.occurrences_of(series, series.starts_at, _at(today, 23, 59)):
        attend(series, o.date, rng.uniform(0.35, 0.6))

    # 2. 教师节庆祝大会 (September 10): most come; its cost posted by the finance member.
    teachers_day = datetime.date(term_start.year, 9, 10)
    celebration = services.create_activity(
        actor=actor,
        org=school,
        title=f"庆祝第{term_start.year - 1984}个教师节暨表彰大会",
        kind="festival",
        starts_at=_at(teachers_day, 15, 0),
        ends_at=_at(teachers_day, 17, 0),
        location="学校多功能厅",
        description="表彰优秀教师、优秀班主任，为从教满三十年的教师颁发纪念证书，文艺节目。",
    )
    if teachers_day <= today:
        attend(celebration, teachers_day, 0.9)
        services.save_summary(
            actor=actor,
            org=school,
            activity=celebration,
            summary="9月10日下午在学校多功能厅举行，全体教职工参加。表彰优秀教师12名，文艺节目8个，气氛热烈。",
        )
        services.set_cost(actor=actor, org=school, activity=celebration, cost="2860.00")
        finance = RoleGrant.objects.filter(org=school, role="finance").select_related("user").first()
        if finance is not None:
            services.post_cost(
                actor=finance.user,
                org=school,
                activity=celebration,
                subcategory="集体福利",
                date=teachers_day + datetime.timedelta(days=2),
                payee="县新华书店、花店",
            )

    # 3. 师德师风专题学习 (the second Wednesday of October; the 《教师法》 session is the study demo's).
    study_day = _first_weekday(datetime.date(term_start.year, 10, 8), 2)
    study = services.create_activity(
        actor=actor,
        org=school,
        title="师德专题学习：《新时代中小学教师职业行为十项准则》",
        kind="political_study",
        starts_at=_at(study_day, 16, 30),
        ends_at=_at(study_day, 17, 30),
        location="会议室",
        description="逐条学习十项准则，结合身边事例交流爱岗敬业、关爱学生、廉洁自律的体会。",
    )
    attend(study, study_day, 0.75)

    # 4. 健步走 in November, with sign-ups (40 places).
    walk_day = _first_weekday(datetime.date(term_start.year, 11, 8), 5)
    walk = services.create_activity(
        actor=actor,
        org=school,
        title="“迎秋”教职工健步走",
        kind="recreation",
        starts_at=_at(walk_day, 8, 30),
        ends_at=_at(walk_day, 11, 0),
        capacity=40,
        registration_deadline=_at(walk_day - datetime.timedelta(days=3), 18),
        location="龙脊梯田观景步道",
    )
    if walk_day - datetime.timedelta(days=3) <= today:
        sign_up(
            walk, rng.sample(regulars, min(len(regulars), 44)), _at(walk_day - datetime.timedelta(days=10), 9)
        )
        if walk_day <= today:
            came = [r.member_id for r in selectors.registrations(walk, "confirmed")]
            services.set_attendance(
                actor=actor,
                org=school,
                activity=walk,
                day=walk_day,
                member_ids=came[: int(len(came) * 0.9)],
                today=today,
            )

    # 5. 读书交流活动 (late November).
    reading_day = _first_weekday(datetime.date(term_start.year, 11, 24), 3)
    reading = services.create_activity(
        actor=actor,
        org=school,
        title="教工读书交流会",
        kind="reading",
        starts_at=_at(reading_day, 16, 20),
        ends_at=_at(reading_day, 17, 30),
        location="图书室",
        description="各教研组推荐一本好书，交流读书心得。",
    )
    attend(reading, reading_day, 0.3)

    # 6. Coming up: the 迎新年 趣味运动会 — sign-ups close in two days; full, with a waitlist.
    games_day = max(today + datetime.timedelta(days=12), datetime.date(term_start.year, 12, 26))
    games = services.create_activity(
        actor=actor,
        org=school,
        title="“迎新年”教职工趣味运动会",
        kind="sports",
        starts_at=_at(games_day, 14, 30),
        ends_at=_at(games_day, 17, 0),
        capacity=30,
        registration_deadline=_at(today + datetime.timedelta(days=2), 18),
        location="学校操场",
        description="拔河、三人两足、托球跑、踢毽子，以工会小组为单位组队。",
    )
    sign_up(games, rng.sample(regulars, min(len(regulars), 34)), now - datetime.timedelta(days=3))

    # 7. 三八妇女节 and 外出参观学习 next spring, open for sign-ups.
    march = datetime.date(term_start.year + 1, 3, 6)
    services.create_activity(
        actor=actor,
        org=school,
        title="庆“三八”女教职工插花活动",
        kind="women",
        starts_at=_at(march, 15, 0),
        ends_at=_at(march, 17, 0),
        capacity=35,
        registration_deadline=_at(march - datetime.timedelta(days=3), 18),
        location="学校多功能厅",
    )
    trip_day = datetime.date(term_start.year + 1, 4, 17)
    services.create_activity(
        actor=actor,
        org=school,
        title="组织教职工外出参观学习（三天）",
        kind="visit",
        starts_at=_at(trip_day, 7, 30),
        ends_at=_at(trip_day + datetime.timedelta(days=2), 18, 0),
        capacity=45,
        registration_deadline=_at(trip_day - datetime.timedelta(days=14), 18),
        location="桂林、柳州",
    )
