"""Who a 体检/妇检 round covers (RULES.md §4, 职工健康体检 and 女职工“两癌”筛查 / 妇科检查).

Pure functions on plain values: the services feed them each member's status and gender.
"""

from collections.abc import Iterable

CHECKUP = "checkup"
GYNAECOLOGY = "gynaecology"
TWO_CANCERS = "two_cancers"
WOMEN_ONLY = frozenset({GYNAECOLOGY, TWO_CANCERS})


def is_eligible(*, kind: str, status: str, gender: str, include_retirees: bool) -> bool:
    """A member is on a round's list when she/he is an active member (在册), or a retiree and the
    round includes retirees; 妇检 and 两癌筛查 cover women only. Applicants, transferred, deceased
    and non-member staff are never on the list."""
    if status == "active":
        on_roll = True
    elif status == "retired":
        on_roll = include_retirees
    else:
        on_roll = False
    if not on_roll:
        return False
    if kind in WOMEN_ONLY:
        return gender == "F"
    return True


def progress(statuses: Iterable[str]) -> dict:
    """Counts of a round's list: total, done, declined, not done (pending), and the percentage done
    (of those not declining, rounded down; None for an empty list)."""
    counts = {"total": 0, "done": 0, "declined": 0, "pending": 0}
    for s in statuses:
        counts["total"] += 1
        counts[s] += 1
    base = counts["total"] - counts["declined"]
    counts["rate"] = (counts["done"] * 100 // base) if base else None
    return counts
