"""Demo 慈善一日捐 for a school: last year's collected and handed over to the county 慈善总会 with
its receipt; this year's being collected (group envelopes handed in, one amount corrected by a
reversal, one temporary worker outside the roll), not yet handed over."""

import datetime
import random
from collections import defaultdict

from jiaogong.donations import services

AMOUNTS = ["50", "100", "100", "100", "100", "200", "200", "300"]
BENEFICIARY = "县慈善总会"


def load_donations(*, actor, school, members, today: datetime.date, seed: int = 1) -> None:
    rng = random.Random(seed * 7919)
    givers = [m for m in members if m.status in ("active", "retired")]

    last_year = today.year - 1
    previous = services.create_campaign(
        actor=actor,
        org=school,
        title=f"{last_year}年慈善一日捐",
        beneficiary=BENEFICIARY,
        purpose="帮扶困难群众、资助困难学生",
        starts_on=datetime.date(last_year, 9, 1),
        ends_on=datetime.date(last_year, 9, 20),
        suggested_amount="100",
        note="县总工会、县慈善总会联合倡议，自愿捐款。",
    )
    _collect(actor, previous, [m for m in givers if rng.random() < 0.85], rng, last_day=previous.ends_on)
    total = sum(c.amount for c in previous.contributions.all())
    services.hand_over(
        actor=actor,
        campaign=previous,
        handed_on=datetime.date(last_year, 9, 26),
        recipient=BENEFICIARY,
        amount=total,
        receipt_number=f"CS{last_year}-{seed:02d}{rng.randrange(100, 999)}",
        note="转账至县慈善总会专户，附捐款明细表。",
    )

    current = services.create_campaign(
        actor=actor,
        org=school,
        title=f"{today.year}年慈善一日捐",
        beneficiary=BENEFICIARY,
        purpose="帮扶困难群众、资助困难学生",
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=10),
        suggested_amount="100",
        note="请各工会小组长收齐本组捐款后交财务委员，自愿捐款，不设下限。",
    )
    made = _collect(
        actor, current, [m for m in givers if rng.random() < 0.7], rng, last_day=today, mistake=True
    )
    services.record_contribution(
        actor=actor,
        campaign=current,
        name="临聘 食堂周师傅",
        amount="50",
        paid_on=today - datetime.timedelta(days=3),
        method="cash",
    )
    if made:
        wrong = made[0]
        services.reverse_contribution(actor=actor, contribution=wrong, reason="登记金额有误，多写了一个零")
        services.record_contribution(
            actor=actor,
            campaign=current,
            member=wrong.member,
            amount=str(wrong.amount / 10),
            paid_on=today,
            method=wrong.method,
        )


def _collect(actor, campaign, givers, rng, *, last_day: datetime.date, mistake: bool = False) -> list:
    """Each 工会小组 hands in its envelope on one day (cash or, for some, WeChat)."""
    by_group = defaultdict(list)
    for m in givers:
        by_group[m.union_group_id].append(m)
    span = max((last_day - campaign.starts_on).days, 0)
    made = []
    for group_members in by_group.values():
        paid_on = campaign.starts_on + datetime.timedelta(days=rng.randint(0, span))
        rows = [{"member": m.pk, "amount": rng.choice(AMOUNTS)} for m in group_members]
        if mistake and not made and rows:
            rows[0]["amount"] = "1000"  # entered as 1000 instead of 100: reversed below
        made += services.record_contributions(
            actor=actor,
            campaign=campaign,
            rows=rows,
            paid_on=paid_on,
            method="wechat" if rng.random() < 0.3 else "cash",
        )
    return made
