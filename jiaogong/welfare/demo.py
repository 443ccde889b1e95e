"""Demo 送温暖 for a school, as the seeds describe the work (五必访, 慰问退休教师, 节日慰问):
this term's care events — one visited with 慰问金 posted to the ledger, one assigned to the demo
group leader (`<slug>_zuzhang`), one overdue, one just reported — a 退休 visit with a souvenir,
the last 国庆 greeting batch and 重阳 for the retirees with the 退教分会's 座谈会 before it, and
this month's birthday batch."""

import datetime
import random

from jiaogong.accounts.models import RoleGrant
from jiaogong.members.models import GroupLeader, Member
from jiaogong.welfare import selectors, services

NOTES = {
    "hospitalized": "在县人民医院住院，家属陪护。",
    "marriage": "本月举行婚礼。",
    "childbirth": "顺利生产，母子平安。",
    "death_relative": "父亲病故，已回老家料理后事。",
}


def _leader_of_demo(school) -> GroupLeader | None:
    """The group leader with a login (load_demo's `<slug>_zuzhang`), else any leader in office."""
    users = RoleGrant.objects.filter(org=school, role="group_leader").values_list(
        "user__member_id", flat=True
    )
    leaders = GroupLeader.objects.filter(org=school, ended_on__isnull=True).select_related("member", "group")
    return (
        leaders.filter(member_id__in=[u for u in users if u]).first()
        or leaders.order_by("group__name").first()
    )


def _last(today: datetime.date, month: int, day: int) -> datetime.date:
    date = datetime.date(today.year, month, day)
    return date if date <= today else datetime.date(today.year - 1, month, day)


def load_welfare(*, actor, school, members, today: datetime.date, seed: int = 1) -> None:
    rng = random.Random(seed * 4051)
    active = [m for m in members if m.status == Member.Status.ACTIVE]
    retired = [m for m in members if m.status == Member.Status.RETIRED]
    candidates = [m for m, _why in selectors.visitor_candidates(school)]
    leader = _leader_of_demo(school)
    visitor_ids = {m.pk for m in candidates}
    pool = [m for m in active if m.pk not in visitor_ids]
    rng.shuffle(pool)

    def report(member, kind, days_ago, occurred_days_ago=None, note=None):
        return services.report_event(
            actor=actor,
            org=school,
            member=member,
            kind=kind,
            occurred_on=today - datetime.timedelta(days=occurred_days_ago or days_ago),
            note=NOTES.get(kind, "") if note is None else note,
            today=today - datetime.timedelta(days=days_ago),
        )

    # 1. Visited three weeks ago: 慰问金 within the cap, posted to the ledger as 维权支出·送温暖.
    sick = pool.pop()
    event = report(sick, "hospitalized", 24, 25)
    visitor = selectors.group_leader_of(sick) or (candidates[0] if candidates else None)
    if visitor is not None:
        services.assign_visitor(actor=actor, org=school, event=event, visitor=visitor)
        services.record_visit(
            actor=actor,
            org=school,
            event=event,
            visited_on=today - datetime.timedelta(days=21),
            visitors=[visitor.pk, actor.member_id] if actor.member_id else [visitor.pk],
            form="cash",
            amount="500",
            note="到医院看望，转达工会的问候，送上慰问金；手术顺利，已转入普通病房。",
            today=today,
        )

    # 2. Assigned to the demo group leader: a member of the leader's group had a baby.
    if leader is not None:
        own = [m for m in pool if m.union_group_id == leader.group_id and m.pk != leader.member_id]
        mother = own[0] if own else pool[-1]
        if mother in pool:
            pool.remove(mother)
        event = report(mother, "childbirth", 2, 3)
        services.assign_visitor(actor=actor, org=school, event=event, visitor=leader.member)

    # 3. Overdue: a bereavement reported twelve days ago, assigned, not yet visited.
    bereaved = pool.pop()
    event = report(bereaved, "death_relative", 12, 13)
    if candidates:
        services.assign_visitor(actor=actor, org=school, event=event, visitor=candidates[-1])

    # 4. Just reported, waiting for the welfare member.
    report(pool.pop(), "marriage", 0, 0)

    # 5. A retirement this term: a souvenir, within the cap.
    if retired:
        veteran = retired[0]
        event = report(veteran, "retirement", 60, 62, note="光荣退休，教龄 36 年。")
        if candidates:
            services.assign_visitor(actor=actor, org=school, event=event, visitor=candidates[0])
            services.record_visit(
                actor=actor,
                org=school,
                event=event,
                visited_on=today - datetime.timedelta(days=55),
                visitors=[candidates[0].pk],
                form="souvenir",
                amount="300",
                note="召开退休欢送座谈会，赠送纪念相册。",
                today=today,
            )

    # 6. The last 国庆 greeting batch (在职 and 退休), and 重阳 for the retirees.
    handler = actor.get_full_name() or actor.username
    national_day = _last(today, 9, 28)
    batch = services.create_batch(
        actor=actor,
        org=school,
        kind="festival",
        festival="国庆",
        given_on=national_day,
        item="大米一袋、食用油一桶",
        amounts={"active": "200", "retired": "200"},
        handler=handler,
    )
    _post_within_caps(actor, school, batch)
    if retired:
        chongyang = _last(today, 10, 18)
        batch = services.create_batch(
            actor=actor,
            org=school,
            kind="festival",
            festival="重阳",
            given_on=chongyang,
            item="重阳糕、牛奶",
            amounts={"retired": "150"},
            handler=handler,
        )
        _post_within_caps(actor, school, batch)

        # The 退教分会's 座谈会 two days before 重阳: a few retirees back at school, tea and fruit.
        held_on = _last(today, 10, 16)
        services.record_meeting(
            actor=actor,
            org=school,
            title=f"{held_on.year}年重阳节退休教职工座谈会",
            held_on=held_on,
            place="学校三楼会议室",
            topic="一、校长通报学校一年来的工作和新学期安排；\n二、听取退休教职工对学校发展的意见和建议；\n"
            "三、工会通报重阳节慰问安排。",
            attendees=[m.pk for m in retired[:6]],
            guests="校长、分管副校长、工会主席",
            summary="校长通报了学校一年来的教学质量和校园建设情况。退休教师们感谢学校和工会的关心，"
            "建议多组织退休教师参观新教学楼、参加校运会；希望工会继续做好生病住院的走访慰问。\n"
            "工会主席表示会把意见整理后报学校行政，重阳节慰问品将于节日当天送到每位退休教职工手中。",
            cost="600.00",
            today=today,
        )

    # 7. This month's birthdays: a cake voucher each.
    if selectors.birthdays_in(school, today.month).exists():
        batch = services.create_batch(
            actor=actor,
            org=school,
            kind="birthday",
            month=today.month,
            given_on=today.replace(day=1) if today.day > 1 else today,
            form="cake_voucher",
            item="生日蛋糕券一张",
            amounts={"birthday": "150"},
            handler=handler,
        )
        _post_within_caps(actor, school, batch)


def _post_within_caps(actor, school, batch) -> None:
    """Take off anyone the caps engine would refuse (e.g. a birthday already given this year), then post."""
    for row in selectors.preview(batch).rows:
        if row.over:
            services.remove_recipient(actor=actor, org=school, batch=batch, recipient_id=row.recipient.pk)
    if batch.recipients.exists():
        services.post_batch(actor=actor, org=school, batch=batch)
