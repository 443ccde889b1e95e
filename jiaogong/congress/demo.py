"""The demo school's congress: the 8th term, last year's session with its votes and an election,
and this year's session being prepared (delegates, agenda, papers, proposals)."""

import datetime
import random

from jiaogong.congress import scrutiny, sessions, voting
from jiaogong.congress.models import Attendance, CongressTerm, Department
from jiaogong.members.rules import add_years

AGENDA_EARLIER = [
    [
        ("elect", "选举第八届教代会主席团"),
        ("hear", "听取校长《学校工作报告》"),
        ("adopt", "讨论通过《教职工代表大会实施细则》"),
    ],
    [
        ("hear", "听取校长《学校工作报告》"),
        ("review", "审议《学校财务工作报告》"),
        ("adopt", "讨论通过《教职工请假管理办法》"),
    ],
]
AGENDA_LAST = [
    ("hear", "听取校长《学校工作报告》"),
    ("review", "审议《学校财务工作报告》"),
    ("adopt", "讨论通过《教职工奖励性绩效工资分配方案（修订）》"),
    ("hear", "听取《上届提案办理情况报告》"),
    ("elect", "补选工会委员会委员"),
]
AGENDA_NEXT = [
    ("hear", "听取校长《学校工作报告》"),
    ("review", "审议《学校财务工作报告》"),
    ("adopt", "讨论通过《教职工考核评价办法》"),
    ("appraise", "民主评议学校领导班子及成员"),
    ("hear", "听取《第八届第三次教代会提案办理情况报告》"),
]
DEPARTMENTS = ["办公室", "教务处", "德育处", "总务处"]


PROPOSALS_LAST = [
    (
        "关于改善教职工午餐条件的建议",
        "学校食堂用餐人数逐年增加，午餐时段排队时间长，菜品单一，部分教师因课务无法按时就餐。",
        "增加一个售餐窗口，延长供餐时间至12:50，每周公布菜谱并定期征求教职工意见。",
        "总务处",
        "A",
        "satisfied",
    ),
    (
        "关于为教师办公室配备饮水设备的建议",
        "教学楼三、四楼办公室距开水房较远，课间取水不便。",
        "在每层教师办公室配备直饮水机，由总务处负责定期维护和水质检测。",
        "总务处",
        "B",
        "unsatisfied",
    ),
    (
        "关于减少非教学性检查和填表任务的建议",
        "各类检查、台账、填表占用教师大量时间，影响备课和辅导学生。",
        "梳理各部门布置的表格，合并同类报表，能由部门汇总的不再要求教师个人填写。",
        "办公室",
        "B",
        "basically_satisfied",
    ),
    (
        "关于开展青年教师师徒结对的建议",
        "近三年新进青年教师较多，教学经验不足。",
        "每位青年教师配备一名骨干教师为师傅，学期末进行考核，结对成效计入师傅工作量。",
        "教务处",
        "A",
        "satisfied",
    ),
]
REPLIES = {
    "A": "已采纳。已于本学期落实相关措施，详见学校公示。",
    "B": "已列入本年度工作计划，将分步实施，预计下学期完成。",
}


def load_congress(*, actor, school, members, today: datetime.date, seed: int = 1, office_user=None) -> dict:
    """Seat 25 of the active staff (teachers first) and hold last year's session; prepare this year's.
    `office_user` joins 总务处 and answers its proposals."""
    rng = random.Random(seed)
    active = [m for m in members if m.status == "active"]
    teachers = [m for m in active if m.is_teacher]
    others = [m for m in active if not m.is_teacher]
    chosen = (teachers[: max(20, len(teachers) * 2 // 3)] + others[:5])[:25]
    departments = {name: Department.objects.get_or_create(org=school, name=name)[0] for name in DEPARTMENTS}
    if office_user is not None:
        departments["总务处"].users.add(office_user)
    # A session every March: the last one held at least half a year ago, so that its proposals
    # have been answered and rated by today; the two before it opened the term.
    last_day = datetime.date(today.year if today.month >= 9 else today.year - 1, 3, 20)
    earlier = [add_years(last_day, -2), add_years(last_day, -1)]
    CongressTerm.objects.create(org=school, number=8, started_on=earlier[0], years=5)
    for number, (day, agenda) in enumerate(zip(earlier, AGENDA_EARLIER, strict=True), start=1):
        held = sessions.create_congress(
            actor=actor,
            org=school,
            term=8,
            session=number,
            title=f"第八届第{'一二'[number - 1]}次教职工代表大会",
            opens_on=day,
            delegates=[m.pk for m in chosen],
        )
        for kind, title in agenda:
            sessions.add_agenda_item(actor=actor, congress=held, kind=kind, title=title)
        Attendance.objects.bulk_create(
            Attendance(congress=held, delegate=d, method=Attendance.Method.DESK, recorded_by=actor)
            for d in list(sessions.voters(held).order_by("id"))[:-2]
        )
    last = sessions.create_congress(
        actor=actor,
        org=school,
        term=8,
        session=3,
        title="第八届第三次教职工代表大会",
        opens_on=last_day,
        delegates=[m.pk for m in chosen],
    )
    for kind, title in AGENDA_LAST:
        sessions.add_agenda_item(actor=actor, congress=last, kind=kind, title=title)
    sessions.add_paper(
        actor=actor,
        congress=last,
        title="学校工作报告（征求意见稿）",
        sent_on=last_day - datetime.timedelta(days=8),
    )
    sessions.set_presidium(actor=actor, congress=last, members=chosen[:5])
    seats = list(sessions.voters(last).select_related("member").order_by("id"))
    present = seats[:-3]  # three on leave
    Attendance.objects.bulk_create(
        Attendance(congress=last, delegate=d, method=Attendance.Method.DESK, recorded_by=actor)
        for d in present
    )
    # The 监票人 of that session made their shares then; the demo plays their phones (the server
    # generates each share as for an API client) and forgets the backup codes once counted.
    codes = _scrutineers(actor, last, present[-3:])
    _vote(
        actor, last, present, "讨论通过《教职工奖励性绩效工资分配方案（修订）》", rng, codes, yes_share=0.84
    )
    _vote(actor, last, present, "审议通过《学校财务工作报告》", rng, codes, yes_share=0.92, kind="named")
    _election(actor, last, present, rng, codes)
    _proposals(actor, last, seats, departments, office_user, last_day)

    this_day = today + datetime.timedelta(days=24)
    upcoming = sessions.create_congress(
        actor=actor, org=school, term=8, session=4, title="第八届第四次教职工代表大会", opens_on=this_day
    )
    for kind, title in AGENDA_NEXT:
        sessions.add_agenda_item(actor=actor, congress=upcoming, kind=kind, title=title)
    sessions.add_paper(actor=actor, congress=upcoming, title="学校工作报告（征求意见稿）", sent_on=today)
    from jiaogong.accounts.models import User
    from jiaogong.congress import proposals

    seats_now = list(sessions.voters(upcoming).select_related("member").order_by("id"))
    # This session's 监票人 are named; each makes their key share on their own phone.
    scrutiny.name_scrutineers(actor=actor, congress=upcoming, members=[s.member_id for s in seats_now[-3:]])
    first = proposals.draft_proposal(
        actor=_login_for(User, seats_now[3].member),
        congress=upcoming,
        title="关于增设教职工健身活动场所的建议",
        reasons="教职工工作压力大，课后缺少锻炼场地，现有器材陈旧。",
        measures="利用综合楼一楼闲置教室改建教职工活动室，添置乒乓球台和健身器材，由工会负责日常管理。",
        today=today,
    )
    proposals.second_proposal(actor=_login_for(User, seats_now[4].member), proposal=first)
    proposals.draft_proposal(
        actor=_login_for(User, seats_now[6].member),
        congress=upcoming,
        title="关于完善班主任津贴发放办法的建议",
        reasons="现行班主任津贴标准多年未调整，与班主任实际工作量不相称。",
        measures="参照区教委文件提高津贴标准，按班级人数和考核结果分档发放。",
        today=today,
    )
    return {
        "last": last,
        "upcoming": upcoming,
        "delegates": chosen,
        "scrutineers": [s.member for s in seats_now[-3:]],
    }


def _scrutineers(actor, congress, seats) -> dict:
    """Name these delegates 监票人 and register their shares; {login: backup code}."""
    from jiaogong.accounts.models import User

    scrutiny.name_scrutineers(actor=actor, congress=congress, members=[s.member_id for s in seats])
    codes = {}
    for seat in seats:
        user = _login_for(User, seat.member)
        codes[user] = scrutiny.register_key_share(user=user, congress=congress)
    return codes


def _close(actor, poll, codes: dict) -> None:
    """Close the poll; a secret one is decrypted by every 监票人 with their backup code."""
    voting.close_poll(actor=actor, poll=poll)
    if poll.kind == "secret":
        for user, code in codes.items():
            voting.submit_partial_decryption(user=user, poll=poll, backup_code=code)


def _vote(actor, congress, present, title, rng, codes, *, yes_share: float, kind: str = "secret"):
    from jiaogong.accounts.models import User

    poll = voting.create_poll(actor=actor, congress=congress, title=title, kind=kind)
    voting.open_poll(actor=actor, poll=poll)
    for seat in present:
        user = _login_for(User, seat.member)
        roll = rng.random()
        choice = "赞成" if roll < yes_share else "反对" if roll < yes_share + 0.05 else "弃权"
        voting.cast_ballot(user=user, poll_id=poll.pk, choice=choice)
    _close(actor, poll, codes)


def _election(actor, congress, present, rng, codes):
    from jiaogong.accounts.models import User

    candidates = [s.member.name for s in present[5:8]]
    poll = voting.create_poll(
        actor=actor, congress=congress, title="补选工会委员会委员", kind="secret", options=candidates, seats=2
    )
    voting.open_poll(actor=actor, poll=poll)
    for seat in present:
        marks = [candidates[0], candidates[1]] if rng.random() < 0.8 else [candidates[0], candidates[2]]
        voting.cast_ballot(user=_login_for(User, seat.member), poll_id=poll.pk, choice=marks)
    _close(actor, poll, codes)


def _login_for(User, member):
    """A delegate's login (no password: the demo prints only the accounts it means to be used)."""
    user = User.objects.filter(member=member).first()
    if user is None:
        user = User.objects.create_user(f"m{member.pk}", password=None, member=member, first_name=member.name)
        from jiaogong.accounts.models import RoleGrant

        RoleGrant.objects.create(user=user, org=member.org, role="member")
    return user


def _proposals(actor, congress, seats, departments, office_user, opens_on):
    """Last session's proposals, followed to their end (one reopened after 不满意)."""
    from jiaogong.accounts.models import User
    from jiaogong.congress import proposals

    drafted_on = opens_on - datetime.timedelta(days=20)
    for i, (title, reasons, measures, office, code, rating) in enumerate(PROPOSALS_LAST):
        proposer = _login_for(User, seats[i * 3].member)
        proposal = proposals.draft_proposal(
            actor=proposer,
            congress=congress,
            title=title,
            reasons=reasons,
            measures=measures,
            today=drafted_on,
        )
        for seconder in (seats[i * 3 + 1], seats[i * 3 + 2]):
            proposal = proposals.second_proposal(actor=_login_for(User, seconder.member), proposal=proposal)
        proposal = proposals.review_proposal(
            actor=actor,
            proposal=proposal,
            decision="accept",
            lead_department=departments[office],
            today=opens_on,
        )
        responder = (
            office_user
            if office == "总务处" and office_user is not None
            else _office_login(departments[office])
        )
        answered = opens_on + datetime.timedelta(days=40 + i * 10)
        proposal = proposals.reply_proposal(
            actor=responder, proposal=proposal, code=code, text=REPLIES[code], today=answered
        )
        proposal = proposals.rate_proposal(actor=proposer, proposal=proposal, rating=rating, today=answered)
        if rating == "unsatisfied":
            proposal = proposals.reply_proposal(
                actor=responder,
                proposal=proposal,
                code="A",
                text="已在教学楼每层安装直饮水机，并建立每月水质检测记录。",
                today=answered + datetime.timedelta(days=30),
            )
            proposals.rate_proposal(
                actor=proposer,
                proposal=proposal,
                rating="satisfied",
                today=answered + datetime.timedelta(days=31),
            )
        if i == 0:
            proposals.mark_excellent(actor=actor, proposal=proposal)


def _office_login(department):
    """A department's own login (no password in the demo) that answers its proposals."""
    from jiaogong.accounts.models import RoleGrant, User

    user = department.users.first()
    if user is None:
        user = User.objects.create_user(f"dept{department.pk}", password=None, first_name=department.name)
        RoleGrant.objects.create(user=user, org=department.org, role="department")
        department.users.add(user)
    return user
