"""Demo 维权 for a school: the labour-dispute mediation committee (five members: the chair and one
more from the union, one from the school, two from the staff); a closed case (班主任津贴 paid late,
settled by agreement) and an open one (职称评聘, being mediated); the collective contract adopted at
the last congress, with its women's special protection clauses and this year's two rounds of the
union's checks (two clauses not yet checked, one partly met, one not met)."""

import datetime

from jiaogong.rights import services

CLAUSES = [
    (
        "pay",
        "",
        "学校按照国家和地方规定按时足额发放教职工工资，每月15日前发放到个人账户，不得无故拖欠或克扣。",
    ),
    (
        "pay",
        "",
        "奖励性绩效工资分配方案经教代会讨论通过后实施，向一线教师和班主任倾斜，分配结果在校内公示5个工作日。",
    ),
    (
        "hours",
        "",
        "教职工每日工作时间不超过8小时；因工作需要安排延长工作时间或节假日值班的，安排同等时间补休或按规定支付报酬。",
    ),
    ("hours", "", "教职工依法享受寒暑假、法定节假日、年休假以及婚假、丧假、探亲假等假期，假期内工资照发。"),
    (
        "safety",
        "",
        "学校每学期开学前检查校舍、实验室、食堂和用电安全，发现隐患及时整改，并为有关岗位配备劳动防护用品。",
    ),
    ("safety", "", "学校每年组织教职工健康体检一次，费用由学校承担，体检结果告知本人。"),
    (
        "welfare",
        "",
        "学校按时足额为教职工缴纳基本养老、医疗、失业、工伤保险和住房公积金，并每年向教职工公布缴费情况。",
    ),
    ("welfare", "", "学校按全部职工工资总额的2%按时足额拨缴工会经费，支持工会开展送温暖和文体活动。"),
    (
        "training",
        "",
        "学校每年安排的教职工培训经费不低于年度公用经费预算总额的5%，支持教师参加继续教育和学历提升。",
    ),
    (
        "women",
        "menses",
        "女职工在经期不安排从事冷水、低温作业和国家规定的第三级体力劳动强度的劳动；体育教师经期可调整户外课程。",
    ),
    (
        "women",
        "pregnancy",
        "女职工在孕期不得降低其基本工资或者解除聘用合同；怀孕7个月以上的，不安排延长工作时间和夜班劳动，"
        "并在工作时间内安排一定的休息时间；孕期产前检查所需时间计入劳动时间。",
    ),
    (
        "women",
        "maternity",
        "女职工生育享受98天产假及本市规定的延长生育假，产假期间工资福利待遇不变，不影响考核评优和职称评聘。",
    ),
    (
        "women",
        "nursing",
        "哺乳未满1周岁婴儿的女职工，每天在工作时间内安排1小时哺乳时间，不安排夜班劳动和延长工作时间。",
    ),
    ("women", "checkup", "学校每年组织女职工进行一次妇科病、乳腺病检查，费用由学校承担。"),
]

# Clause number → (finding, note, follow-up) of the second round; the rest are 履行. Numbers left
# out of both rounds stay unchecked (the page flags them).
SECOND_ROUND = {
    3: ("partly", "期中考试周延长工作时间的，部分教师未安排补休。", "已向校办提出，寒假前补休完毕。"),
    9: ("not_met", "本年度培训经费实际占公用经费约3%，未达到5%。", "列入明年预算，由校长办公会研究落实。"),
}
UNCHECKED = (5, 13)


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    return today - datetime.timedelta(days=days_ago)


def load_rights(*, actor, school, members, today: datetime.date, seed: int = 1) -> dict:
    from jiaogong.congress.models import Congress

    active = [m for m in members if m.status == "active"]
    taken = {m.pk for m in active if hasattr(m, "user")}
    free = [m for m in active[1:] if m.pk not in taken]
    chair_member = getattr(actor, "member", None) or active[0]

    committee = services.form_committee(
        actor=actor,
        org=school,
        formed_on=_day(today, 400),
        ends_on=_day(today, 400).replace(year=_day(today, 400).year + 3),
        note="经教代会通过，学校发文成立。",
    )
    since = committee.formed_on
    seats = {
        "chair": services.add_seat(
            actor=actor, committee=committee, member=chair_member, side="union", is_chair=True, since=since
        ),
        "union": services.add_seat(
            actor=actor, committee=committee, member=free[0], side="union", is_chair=False, since=since
        ),
        "school": services.add_seat(
            actor=actor, committee=committee, member=free[1], side="school", is_chair=False, since=since
        ),
        "staff1": services.add_seat(
            actor=actor, committee=committee, member=free[2], side="staff", is_chair=False, since=since
        ),
        "staff2": services.add_seat(
            actor=actor, committee=committee, member=free[3], side="staff", is_chair=False, since=since
        ),
    }
    # The parties: members who sit on neither side (a demo delegate may have a login; that is fine).
    mediators = {chair_member.pk, *(m.pk for m in free[:4])}
    parties = [m for m in active if m.pk not in mediators][12 + seed % 5 :]

    # A closed case: 班主任津贴 paid late, settled by agreement.
    applied = _day(today, 120)
    closed = services.open_case(
        actor=actor,
        org=school,
        subject="pay",
        applied_on=applied,
        applicants=[parties[0]],
        respondent_text="学校",
        claim="请求学校补发2026年春季学期3至6月班主任津贴共计2,400元。",
        facts="本人担任初二（3）班班主任，春季学期班主任津贴一直未发放，多次向总务处询问未果。",
        mediators=[seats["chair"], seats["staff1"]],
    )
    services.move_case(actor=actor, case=closed, to="accepted", on=applied + datetime.timedelta(days=2))
    services.record_hearing(
        actor=actor,
        case=closed,
        held_on=applied + datetime.timedelta(days=6),
        place="学校工会活动室",
        present=f"申请人{parties[0].name}，总务处负责人，调解员{chair_member.name}、{free[2].name}",
        minutes="双方陈述。总务处说明因绩效方案调整，津贴延至秋季学期发放；申请人同意在约定时间内补发。",
    )
    services.move_case(
        actor=actor,
        case=closed,
        to="agreed",
        on=applied + datetime.timedelta(days=9),
        agreement="一、学校于本协议签订之日起15日内，向申请人补发2026年3至6月班主任津贴2,400元；\n"
        "二、今后班主任津贴按月随工资发放；\n三、申请人不再就此事项提出其他请求。",
    )
    services.move_case(
        actor=actor,
        case=closed,
        to="closed",
        on=applied + datetime.timedelta(days=26),
        outcome="学校已按协议补发，申请人确认收到。",
    )

    # An open case: 职称评聘, being mediated.
    applied = _day(today, 8)
    open_case = services.open_case(
        actor=actor,
        org=school,
        subject="title",
        applied_on=applied,
        applicants=[parties[1]],
        respondent_text="学校职称评审推荐小组",
        claim="请求重新核定本人2026年度中级职称推荐量化评分。",
        facts="本人支教一年的经历未按学校方案计入量化评分，导致未获推荐。",
        mediators=[seats["chair"], seats["school"], seats["staff2"]],
    )
    services.move_case(actor=actor, case=open_case, to="accepted", on=applied + datetime.timedelta(days=1))
    services.record_hearing(
        actor=actor,
        case=open_case,
        held_on=applied + datetime.timedelta(days=5),
        place="学校会议室",
        present=f"申请人{parties[1].name}，教务处负责人，调解员三人",
        minutes="教务处同意复核支教经历的认定依据，约定一周内书面答复。",
    )

    # The collective contract, adopted at the last congress held.
    congress = Congress.objects.filter(org=school, opens_on__lte=today).order_by("-opens_on").first()
    adopted = congress.opens_on if congress else _day(today, 250)
    starts = adopted + datetime.timedelta(days=12)
    contract = services.create_contract(
        actor=actor,
        org=school,
        title=f"{starts.year}—{starts.year + 2}年集体合同",
        signed_on=adopted + datetime.timedelta(days=5),
        starts_on=starts,
        ends_on=starts.replace(year=starts.year + 3) - datetime.timedelta(days=1),
        congress=congress,
        adopted_on=adopted,
        note="含女职工权益保护专项集体合同；报县总工会、县人社局备案。",
    )
    clauses = [
        services.add_clause(actor=actor, contract=contract, chapter=chapter, number=n, topic=topic, text=text)
        for n, (chapter, topic, text) in enumerate(CLAUSES, start=1)
    ]
    first = min(starts + datetime.timedelta(days=75), _day(today, 20))
    second = _day(today, 10)
    for clause in clauses:
        if clause.number in UNCHECKED:
            continue
        services.record_check(
            actor=actor,
            clause=clause,
            checked_on=first,
            checked_by=f"{chair_member.name}、{free[0].name}",
            finding="met",
            note="查阅工资发放记录和有关台帐。" if clause.chapter == "pay" else "",
        )
        finding, note, follow_up = SECOND_ROUND.get(clause.number, ("met", "", ""))
        services.record_check(
            actor=actor,
            clause=clause,
            checked_on=second,
            checked_by=f"{chair_member.name}、{free[0].name}",
            finding=finding,
            note=note,
            follow_up=follow_up,
        )
    closed.refresh_from_db()
    open_case.refresh_from_db()
    return {"committee": committee, "cases": [closed, open_case], "contract": contract}
