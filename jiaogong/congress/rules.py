"""The congress rules of RULES.md §1 as pure functions: no database, every number a parameter.

Arithmetic is exact (integers and Fractions): "present × 3 ≥ total × 2" must not depend on
floating point, and a vote passes on "yes × 2 > base", never on a rounded percentage.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

MOTION_OPTIONS = ["赞成", "反对", "弃权"]
YES = "赞成"


# ---- quorum and majorities -------------------------------------------------------------------


def quorum_needed(total: int, quorum: Fraction = Fraction(2, 3)) -> int:
    """The fewest present delegates that make the quorum (120 delegates at 2/3 → 80)."""
    return math.ceil(Fraction(total) * quorum) if total else 0


def quorum_met(present: int, total: int, quorum: Fraction = Fraction(2, 3)) -> bool:
    """present / total ≥ quorum, inclusive (85 of 120 → met; 79 of 120 → not)."""
    return total > 0 and Fraction(present) >= Fraction(total) * quorum


def majority_base_count(base: str, total: int, present: int) -> int:
    if base == "total":
        return total
    if base == "present":
        return present
    raise ValueError(f"unknown majority base {base!r}")


def yes_needed(base_count: int) -> int:
    """The fewest yes votes with yes × 2 > base (120 → 61; 121 → 61)."""
    return base_count // 2 + 1


def passes(yes: int, base_count: int) -> bool:
    """More than half of the base: yes × 2 > base."""
    return yes * 2 > base_count


def base_conforms(base: str) -> bool:
    """The national rule counts the majority of all delegates (代表总数), not of those present."""
    return base == "total"


# ---- elections -------------------------------------------------------------------------------


def extra_candidates_needed(seats: int, share: Decimal = Decimal("0.05")) -> int:
    """差额: candidates must exceed seats by ≥ share of seats, and by at least one."""
    return max(1, math.ceil(Decimal(seats) * share))


def competitive_enough(candidates: int, seats: int, share: Decimal = Decimal("0.05")) -> bool:
    return candidates - seats >= extra_candidates_needed(seats, share)


@dataclass
class ElectionOutcome:
    elected: list[str]
    passed: list[str]  # passed the yes × 2 > due bar, in order of votes
    runoff: list[str]  # tied at the last seat: a run-off is needed between these
    vacant: int  # seats left unfilled (too few passed; no re-vote the same day)
    votes: dict[str, int] = field(default_factory=dict)


def election_outcome(votes: dict[str, int], seats: int, due: int) -> ElectionOutcome:
    """Elected iff yes × 2 > those due, and within the seats by votes; a tie across the last
    seat elects nobody of the tied and asks for a run-off between them."""
    passed = sorted((c for c, n in votes.items() if passes(n, due)), key=lambda c: (-votes[c], c))
    if len(passed) <= seats:
        return ElectionOutcome(passed, passed, [], seats - len(passed), dict(votes))
    cut = votes[passed[seats - 1]]
    above = [c for c in passed if votes[c] > cut]
    tied = [c for c in passed if votes[c] == cut]
    if len(above) + len(tied) == seats:
        return ElectionOutcome(above + tied, passed, [], 0, dict(votes))
    return ElectionOutcome(above, passed, tied, seats - len(above), dict(votes))


def valid_election_marks(marks: list[str], candidates: list[str], seats: int) -> bool:
    """A ballot marks up to `seats` distinct candidates (none is a valid blank ballot)."""
    return len(marks) <= seats and len(set(marks)) == len(marks) and all(m in candidates for m in marks)


# ---- 民主评议 -----------------------------------------------------------------------------------


@dataclass
class SubjectResult:
    counts: dict[str, int]
    percentages: dict[str, str]  # one decimal place, as printed in the report
    good_rate: Fraction | None
    flags: list[str]


def appraisal_participation_ok(valid: int, eligible: int, minimum: Fraction = Fraction(2, 3)) -> bool:
    return eligible > 0 and Fraction(valid) >= Fraction(eligible) * minimum


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0.0"
    value = Decimal(part * 100) / Decimal(whole)
    return str(value.quantize(Decimal("0.1")))


def appraise_subject(
    levels: list[str],
    scale: list[str],
    *,
    good_rate_min: Fraction = Fraction(2, 3),
    unfit_rate_max: Fraction = Fraction(1, 3),
) -> SubjectResult:
    """Counts per level of the valid ratings of one subject, the good rate (the top two levels
    over the valid ratings) and the two flags for the Party organisation (not outcomes)."""
    counts = Counter(level for level in levels if level in scale)
    valid = sum(counts.values())
    full = {level: counts.get(level, 0) for level in scale}
    pct = {level: percent(n, valid) for level, n in full.items()}
    if not valid:
        return SubjectResult(full, pct, None, [])
    good = Fraction(full[scale[0]] + (full[scale[1]] if len(scale) > 1 else 0), valid)
    flags = []
    if good < good_rate_min:
        flags.append("诫勉谈话")
    if len(scale) >= 4 and Fraction(full[scale[-1]], valid) > unfit_rate_max:
        flags.append("可能不称职")
    return SubjectResult(full, pct, good, flags)


# ---- composition of the delegates ----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    is_teacher: bool
    is_woman: bool
    is_young: bool
    is_cadre: bool


@dataclass
class Composition:
    total: int
    teachers_pct: str
    women_pct: str
    young_pct: str
    cadres_pct: str
    warnings: list[str]


def composition(
    delegates: list[Person],
    staff: list[Person],
    *,
    teachers_min: Decimal = Decimal("0.60"),
    cadres_max: Decimal = Decimal("0.25"),
    far_below: Fraction = Fraction(1, 2),
) -> Composition:
    """Shares of teachers, women, young staff and cadres among formal delegates, with warnings:
    teachers below the minimum, cadres above the maximum, and women or young delegates at less
    than half of their share of the staff ("a certain proportion" in the national rule)."""
    n = len(delegates)
    count = Counter()
    for p in delegates:
        count["teachers"] += p.is_teacher
        count["women"] += p.is_woman
        count["young"] += p.is_young
        count["cadres"] += p.is_cadre
    warnings = []
    if n and Fraction(count["teachers"], n) < Fraction(teachers_min):
        warnings.append(
            f"教师代表 {count['teachers']} 人，占 {percent(count['teachers'], n)}%，低于 {percent_of(teachers_min)}%。"
        )
    if n and Fraction(count["cadres"], n) > Fraction(cadres_max):
        warnings.append(
            f"中层以上干部代表 {count['cadres']} 人，占 {percent(count['cadres'], n)}%，超过 {percent_of(cadres_max)}%。"
        )
    if n and staff:
        for key, label, attr in (("women", "女", "is_woman"), ("young", "青年", "is_young")):
            staff_share = Fraction(sum(getattr(p, attr) for p in staff), len(staff))
            if staff_share and Fraction(count[key], n) < staff_share * far_below:
                warnings.append(
                    f"{label}代表占 {percent(count[key], n)}%，远低于{label}教职工在全体教职工中的比例"
                    f"（{percent(sum(getattr(p, attr) for p in staff), len(staff))}%）。"
                )
    return Composition(
        n,
        percent(count["teachers"], n),
        percent(count["women"], n),
        percent(count["young"], n),
        percent(count["cadres"], n),
        warnings,
    )


def percent_of(share: Decimal) -> str:
    return f"{(Decimal(share) * 100).normalize():f}"  # 0.60 → "60", not "6E+1"


def suggested_mode(staff_count: int, all_staff_max: int = 100) -> str:
    """≤ 100 staff: a 教职工大会 in which every staff member with a contract votes."""
    return "all_staff" if staff_count <= all_staff_max else "delegates"


def presidium_size(delegates: int) -> tuple[int, int | None]:
    """主席团 size (Shanghai analogue): 30–100 delegates → 3–5; over 100 → at least 7."""
    if delegates > 100:
        return (7, None)
    return (3, 5)


# ---- dates -----------------------------------------------------------------------------------


def proposal_deadline(opens_on: datetime.date, days_before: int = 15) -> datetime.date:
    """The last day on which a proposal is still a proposal (later ones become 意见建议)."""
    return opens_on - datetime.timedelta(days=days_before)


def papers_late(sent_on: datetime.date, opens_on: datetime.date, days_before: int = 7) -> bool:
    return (opens_on - sent_on).days < days_before


def school_year_of(day: datetime.date) -> int:
    """The school year a day belongs to, by its starting calendar year (Sept–Aug)."""
    return day.year if day.month >= 9 else day.year - 1


def years_without_session(
    session_days: list[datetime.date], today: datetime.date, since: datetime.date
) -> list[int]:
    """Completed school years since `since` in which no session was held (the rule: at least one a year)."""
    held = {school_year_of(d) for d in session_days}
    return [y for y in range(school_year_of(since), school_year_of(today)) if y not in held]


# ---- the proposal state machine --------------------------------------------------------------

# (from state, action) -> to state. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("awaiting_seconds", "second"): "awaiting_seconds",  # until the minimum is reached
    ("awaiting_seconds", "submit"): "submitted",  # reached by the last needed second
    ("submitted", "accept"): "accepted",
    ("submitted", "reject"): "rejected",
    ("submitted", "merge"): "merged",
    ("accepted", "assign"): "assigned",
    ("assigned", "progress"): "assigned",
    ("assigned", "reply"): "replied",
    ("reopened", "progress"): "reopened",
    ("reopened", "reply"): "replied",
    ("replied", "rate"): "rated",
    ("rated", "reopen"): "reopened",
    ("rated", "close"): "closed",
}

STATES = (
    "awaiting_seconds",
    "submitted",
    "accepted",
    "rejected",
    "merged",
    "assigned",
    "replied",
    "rated",
    "reopened",
    "closed",
)
ACTIONS = tuple(sorted({a for _, a in TRANSITIONS}))


def next_state(state: str, action: str, *, reopened_once: bool = False) -> str | None:
    """The state after `action`, or None when the machine refuses it. 不满意 reopens only once."""
    if action == "reopen" and reopened_once:
        return None
    return TRANSITIONS.get((state, action))


def after_rating(rating: str, reopened_once: bool) -> str:
    """不满意 reopens the proposal for a second handling once; any other rating closes it."""
    return "reopen" if rating == "unsatisfied" and not reopened_once else "close"


def reply_overdue(reply_due_on: datetime.date | None, state: str, today: datetime.date) -> bool:
    return reply_due_on is not None and state in ("assigned", "reopened") and today > reply_due_on


# ---- 监票人 -------------------------------------------------------------------------------------


def validate_scrutineer_bounds(value) -> None:
    """congress.scrutineers = [fewest, most]: whatever a school sets, one person must never hold the
    whole ballot key (scrutiny.py), and a key ceremony of more than 9 phones helps nobody."""
    if len(value) != 2 or not 2 <= value[0] <= value[1] <= 9:
        raise ValueError("请写作“最少, 最多”：最少不少于 2 人（一人不能掌握全部密钥），最多不超过 9 人。")
