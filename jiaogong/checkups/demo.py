"""Demo 体检 data: this year's 教职工健康体检 (most done) and the 女职工两癌筛查 under way."""

import datetime
import random

from jiaogong.checkups import services
from jiaogong.checkups.models import Entry


def load_checkups(*, actor, school, members, today: datetime.date, seed: int = 0) -> list:
    rng = random.Random(seed)
    start = today - datetime.timedelta(days=40)
    checkup = services.create_round(
        actor=actor,
        org=school,
        title=f"{today.year}年教职工健康体检",
        kind="checkup",
        year=today.year,
        starts_on=start,
        ends_on=today + datetime.timedelta(days=20),
        provider="县人民医院体检中心",
        cost_per_person="300",
        include_retirees=True,
        note="空腹前往，带身份证。",
    )
    screening = services.create_round(
        actor=actor,
        org=school,
        title=f"{today.year}年女职工两癌筛查",
        kind="two_cancers",
        year=today.year,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=30),
        provider="县妇幼保健院",
    )
    for round_, share in ((checkup, 0.7), (screening, 0.3)):
        for entry in Entry.objects.filter(round=round_):
            roll = rng.random()
            if roll < share:
                services.set_status(
                    actor=actor,
                    entry=entry,
                    status="done",
                    on=round_.starts_on
                    + datetime.timedelta(days=rng.randrange((today - round_.starts_on).days + 1)),
                )
            elif roll < share + 0.05:
                services.set_status(actor=actor, entry=entry, status="declined", on=round_.starts_on)
    return [checkup, screening]
