"""Demo 互助保障 data: this year's 职工住院医疗互助保障 with every active member enrolled, a paid
hospital claim, one waiting, and one refused (the admission was before the coverage began)."""

import datetime
import random

from jiaogong.mutual_aid import services
from jiaogong.mutual_aid.models import Enrolment


def load_mutual_aid(*, actor, school, members, today: datetime.date, seed: int = 0) -> list:
    rng = random.Random(seed)
    start = datetime.date(today.year, 1, 1)
    plan = services.create_plan(
        actor=actor,
        org=school,
        name="职工住院医疗互助保障",
        year=today.year,
        premium="50",
        covers_from=start,
        covers_to=datetime.date(today.year, 12, 31),
        note="县总工会职工互助保障，每人每年 50 元，住院按规定比例补助。",
    )
    services.enrol(actor=actor, plan=plan)
    enrolled = [e.member for e in Enrolment.objects.filter(plan=plan).select_related("member")]
    rng.shuffle(enrolled)
    span = max((today - start).days, 1)
    claims = []
    for member, kind, amount in zip(
        enrolled[:3], ["hospital", "accident", "hospital"], ["3200", "800", "1500"], strict=False
    ):
        claims.append(
            services.submit_claim(
                actor=actor,
                plan=plan,
                member=member,
                event_on=start + datetime.timedelta(days=rng.randrange(span)),
                kind=kind,
                amount_claimed=amount,
                note="县人民医院住院" if kind == "hospital" else "",
            )
        )
    if claims:
        first = claims[0]
        services.pay_claim(
            actor=actor,
            claim=first,
            amount_paid="1600",
            paid_on=min(today, first.event_on + datetime.timedelta(days=20)),
        )
    if len(claims) > 1:
        services.refuse_claim(
            actor=actor, claim=claims[1], reason="材料不全：缺少医院诊断证明，补齐后可重新申请。"
        )
    return [plan]
