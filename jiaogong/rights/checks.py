"""Pure rules of 维权 (no I/O): the mediation committee's make-up, the case's state machine and
deadline, the contract's term and the freshness of the union's checks.

Sources: 《中华人民共和国劳动争议调解仲裁法》第十条 (the committee: 职工代表 and 企业代表, the chair
from the union or chosen by both), 第十四条 (mediation ends within 15 days of acceptance, the
parameter `rights.mediation_days`); 《集体合同规定》第三十八条 (a term of 1–3 years,
`rights.contract_years`); the yearly review and check of the contract is the union's common
practice (全总《关于加强集体合同履约监督的意见》).
"""

import datetime

APPLIED, ACCEPTED, REJECTED, MEDIATING = "applied", "accepted", "rejected", "mediating"
AGREED, FAILED, WITHDRAWN, CLOSED = "agreed", "failed", "withdrawn", "closed"

LABELS = {
    APPLIED: "申请",
    ACCEPTED: "受理",
    REJECTED: "不予受理",
    MEDIATING: "调解中",
    AGREED: "达成协议",
    FAILED: "调解不成",
    WITHDRAWN: "撤回",
    CLOSED: "结案",
}

# 申请 → 受理/不予受理 → 调解中 → 达成协议/调解不成/撤回 → 结案. An applicant may withdraw at any
# point before an outcome; a refusal is closed like any outcome.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    APPLIED: (ACCEPTED, REJECTED, WITHDRAWN),
    ACCEPTED: (MEDIATING, WITHDRAWN),
    MEDIATING: (AGREED, FAILED, WITHDRAWN),
    REJECTED: (CLOSED,),
    AGREED: (CLOSED,),
    FAILED: (CLOSED,),
    WITHDRAWN: (CLOSED,),
    CLOSED: (),
}

OPEN_STATES = (APPLIED, ACCEPTED, MEDIATING)


def refusal(current: str, target: str) -> str | None:
    """None if a case may go from `current` to `target`, else the Chinese reason (the state
    machine of 调解仲裁法 第十二–十六条 as the committee runs it)."""
    if target not in LABELS:
        return "未知的案件状态。"
    if current == CLOSED:
        return "案件已结案，不能再变更状态。"
    if target == current:
        return f"案件已是“{LABELS[current]}”状态。"
    if target not in TRANSITIONS.get(current, ()):
        allowed = "、".join(LABELS[t] for t in TRANSITIONS.get(current, ()))
        return f"“{LABELS[current]}”的案件不能直接改为“{LABELS[target]}”（可改为：{allowed}）。"
    return None


def mediation_deadline(accepted_on: datetime.date, days: int) -> datetime.date:
    """The last day of mediation: `days` (调解仲裁法第十四条: 15) after the day of acceptance."""
    return accepted_on + datetime.timedelta(days=days)


def is_overdue(status: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    """An accepted case still open after its deadline: the parties may go to arbitration
    (调解仲裁法第十四条第三款), so the chair is told."""
    return status in (ACCEPTED, MEDIATING) and deadline is not None and today > deadline


def committee_warnings(seats: list[tuple[str, bool]]) -> list[str]:
    """Warnings on the committee's make-up; `seats` are (side, is_chair) of the sitting members,
    side one of "union", "school", "staff" (调解仲裁法第十条 and common practice)."""
    warnings = []
    if not seats:
        return ["还没有登记调解委员会委员。"]
    sides = {side for side, _ in seats}
    names = {"union": "工会代表", "school": "学校（行政）代表", "staff": "职工代表"}
    missing = [names[s] for s in ("union", "school", "staff") if s not in sides]
    if missing:
        warnings.append(f"调解委员会应由工会、学校和职工三方组成，缺少{'、'.join(missing)}。")
    chairs = [side for side, is_chair in seats if is_chair]
    if not chairs:
        warnings.append("还没有确定调解委员会主任（通常由工会代表担任）。")
    elif len(chairs) > 1:
        warnings.append(f"调解委员会主任只能有一位，现有 {len(chairs)} 位。")
    elif chairs[0] != "union":
        warnings.append("调解委员会主任通常由工会代表担任（调解仲裁法第十条）。")
    if len(seats) % 2 == 0:
        warnings.append(f"委员现有 {len(seats)} 人；委员人数通常为单数，便于议决。")
    if "school" in sides and sum(1 for side, _ in seats if side == "school") * 2 >= len(seats):
        warnings.append("学校（行政）代表不宜超过委员总数的一半。")
    return warnings


def contract_term_problem(starts_on: datetime.date, ends_on: datetime.date, max_years: int) -> str | None:
    """None, or why the term is not allowed: 集体合同规定第三十八条 (1 to `max_years` years)."""
    if ends_on <= starts_on:
        return "期满日期应晚于生效日期。"
    try:
        limit = starts_on.replace(year=starts_on.year + max_years)
    except ValueError:  # 29 February
        limit = starts_on.replace(year=starts_on.year + max_years, day=28)
    if ends_on > limit:
        return f"集体合同期限一般为 1 至 {max_years} 年（集体合同规定第三十八条），期满日期不能晚于 {limit:%Y-%m-%d}。"
    return None


def check_state(last_checked_on: datetime.date | None, today: datetime.date) -> str:
    """How a clause stands: "never" (never checked), "stale" (not checked this calendar year:
    the yearly check is due) or "current"."""
    if last_checked_on is None:
        return "never"
    if last_checked_on.year < today.year:
        return "stale"
    return "current"


def review_due(starts_on: datetime.date, last_reviewed_on: datetime.date | None) -> datetime.date:
    """The day the next yearly review (履约审议) is due: a year after the last one, or a year
    after the contract took effect."""
    base = last_reviewed_on or starts_on
    try:
        return base.replace(year=base.year + 1)
    except ValueError:
        return base.replace(year=base.year + 1, day=28)
