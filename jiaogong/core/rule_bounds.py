"""Bounds and direction of every rule parameter (RULES.md): a province or a school may tighten the
rules above it, never loosen them, and no level may leave a parameter's sensible range.

Pure: `refusal(rule, level, value, national=…, province=…)` takes typed values (as
core.rules.typed gives them) and answers None or the Chinese reason, naming the rule and why
("学校不能把“法定人数”调低于三分之二（全国规定）").

- `up`: stricter is higher (the quorum, the share of teachers among delegates, the notice period):
  a school may raise it above the value in force above it, never lower it.
- `down`: stricter is lower (spending caps, the time allowed to reply): a school may lower it.
- `subset` (lists and per-kind tables): a school may drop options, never add one (the forms a
  festival gift may take: goods only, 八不准).
- `either`: local practice with no direction in law; only the range binds.

A school is bound by its province's value where there is one, else by the national one; a
province is bound by the national value only where the law sets it (`law`): the national caps
are a reference (安徽 2018), not law, so a province may set its own (四川 2,100).
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

UP, DOWN, SUBSET, EITHER = "up", "down", "subset", "either"
ORG, PROVINCE = "org", "province"


@dataclass(frozen=True)
class Bound:
    direction: str
    low: Any = None  # inclusive range of the value (of each item for lists and tables)
    high: Any = None
    law: bool = False  # the national value is law: a province may not loosen it either
    positive: bool = False  # strictly above `low` (a fraction of 0 means nothing)
    order: tuple = ()  # choice rules: from the loosest to the strictest
    school_may_loosen: bool = False  # RULES.md allows the school its own written rule
    loosening: tuple = ()  # subset rules: only adding these items loosens (empty: any item)


D = Decimal
F = Fraction


def _caps(high: int) -> Bound:
    return Bound(DOWN, D(0), D(high))


BOUNDS: dict[str, Bound] = {
    # 教代会 (教育部令第32号)
    "congress.sessions_per_school_year": Bound(UP, 1, 12, law=True),
    "congress.term_years": Bound(SUBSET, 1, 5, law=True),
    "congress.all_staff_max": Bound(DOWN, 1, 100, law=True),
    "congress.teachers_min_share": Bound(UP, D(0), D(1), law=True),
    "congress.cadres_max_share": Bound(DOWN, D(0), D(1)),
    "congress.quorum": Bound(UP, F(0), F(1), law=True, positive=True),
    # RULES.md: "A school may switch to 'present' only by its own written rule, and the result
    # must then say it is non-conforming" (congress/papers.py NOT_CONFORMING); a province may not.
    "congress.majority_base": Bound(UP, order=("present", "total"), law=True, school_may_loosen=True),
    "congress.papers_days_before": Bound(UP, 1, 60),
    "congress.report_working_days_after": Bound(DOWN, 1, 60),
    "congress.scrutineers": Bound(EITHER, 1, 50),
    "congress.proposal_min_seconds": Bound(EITHER, 1, 10),
    "congress.proposal_deadline_days": Bound(EITHER, 1, 90),
    "congress.proposal_committee_size": Bound(EITHER, 1, 30),
    "congress.reply_due_months": Bound(DOWN, 1, 12),
    "appraisal.scale": Bound(EITHER),
    "appraisal.participation_min": Bound(UP, F(0), F(1), positive=True),
    "appraisal.good_rate_min": Bound(UP, F(0), F(1), positive=True),
    "appraisal.unfit_rate_max": Bound(DOWN, F(0), F(1), positive=True),
    "election.attendance_min": Bound(UP, F(0), F(1), law=True, positive=True),
    "election.extra_candidates_min_share": Bound(UP, D(0), D(1), law=True),
    # 工会组织 (工会法 2021, 章程)
    "union.committee_required_members": Bound(DOWN, 1, 25, law=True),
    "union.committee_term_years": Bound(SUBSET, 1, 5, law=True),
    "union.committee_size_table": Bound(EITHER, 1, 100000),
    "union.full_time_chair_staff": Bound(UP, 1, 100000, law=True),
    "union.women_committee_min_women": Bound(EITHER, 1, 1000),
    "union.extra_assembly_share": Bound(DOWN, F(0), F(1), law=True, positive=True),
    "union.union_days_per_month": Bound(DOWN, 0, 3, law=True),
    # 会员
    "members.youth_max_age": Bound(EITHER, 18, 60),
    "members.long_service_years": Bound(EITHER, 1, 50),
    "members.retirement_age_male": Bound(EITHER, 50, 70),
    "members.retirement_age_female": Bound(EITHER, 45, 70),
    "members.retirement_notice_months": Bound(EITHER, 1, 60),
    # No national number (PIPL asks "no longer than needed"): the school sets its own, within reason
    "members.pseudonymise_after_years": Bound(EITHER, 1, 30),
    # 会费与经费
    "dues.rate": Bound(EITHER, D(0), D("0.01"), positive=True),
    "dues.base_components": Bound(EITHER),
    "dues.base_floor_unit": Bound(EITHER, 1, 100),
    "dues.retirees_exempt": Bound(EITHER),
    "funds.allocation_rate": Bound(UP, D(0), D("0.1"), law=True, positive=True),
    "funds.allocation_due_day": Bound(DOWN, 1, 28, law=True),
    "funds.late_fee_daily": Bound(EITHER, D(0), D("0.005")),
    "funds.school_share": Bound(DOWN, D(0), D(1)),
    "funds.dues_topup_max_multiple": Bound(DOWN, 0, 3, law=True),
    "funds.prize_max_share": Bound(DOWN, F(0), F(1), law=True, positive=True),
    "funds.souvenir_max": Bound(DOWN, D(0), D(100), law=True),
    # 慰问标准: a school at most its province's (else the national reference), never above it
    "caps.festival_total": _caps(100000),
    "caps.festival_each": _caps(100000),
    "caps.birthday": _caps(100000),
    "caps.marriage": _caps(100000),
    "caps.birth": _caps(100000),
    "caps.hospital": _caps(100000),
    "caps.hospital_surgery": _caps(100000),
    "caps.death_member": _caps(100000),
    "caps.death_relative": _caps(100000),
    "caps.retirement": _caps(100000),
    # 0 is "no cap" (the national value): a school may set one, a province too.
    "caps.hardship": Bound(EITHER, D(0), D(100000)),
    # 八不准: money and vouchers only where the rule above allows them; goods for a souvenir is no
    # loosening (a school may let retirees have goods).
    "caps.allowed_forms": Bound(SUBSET, loosening=("cash", "shopping_card", "cake_voucher")),
    # 送温暖
    "welfare.visit_due_days": Bound(EITHER, 1, 60),
    "welfare.birthday_notice_days": Bound(EITHER, 0, 60),
    "recuperation.years_since_last": Bound(EITHER, 0, 20),
    "recuperation.min_service_years": Bound(EITHER, 0, 45),
    "recuperation.min_age": Bound(EITHER, 0, 70),
    "recuperation.retirees_eligible": Bound(EITHER),
    "welfare.triggers": Bound(EITHER),
    "welfare.extra_festivals": Bound(EITHER),
    "hardship.relative_multiple": Bound(UP, 1, 10, law=True),
    "hardship.accident_cost_share": Bound(DOWN, D(0), D(1), law=True, positive=True),
    "hardship.dibao_monthly": Bound(EITHER, D(1), D(100000)),
    "hardship.review_month": Bound(EITHER, 1, 12),
    # 维权
    "rights.mediation_days": Bound(DOWN, 1, 15, law=True),
    "rights.contract_years": Bound(DOWN, 1, 3, law=True),
    # 公开与评比
    "notice.working_days": Bound(UP, 1, 30),
    "ethics.levels": Bound(EITHER),
    "ethics.cut_scores": Bound(EITHER, 0, 100),
    "ethics.excellent_max_share": Bound(EITHER, D(0), D("0.35"), positive=True),
    "study.reading_award_share": Bound(EITHER, D(0), D(1), positive=True),
    # 活动
    "activities.checkin_opens_before_minutes": Bound(EITHER, 0, 1440),
    "activities.checkin_closes_after_minutes": Bound(EITHER, 0, 1440),
}

_DIGITS = "零一二三四五六七八九十"


def show(value) -> str:
    """A value as the message says it: 2/3 → 三分之二, 0.60 → 0.6, lists with 、."""
    if isinstance(value, Fraction):
        if value.denominator <= 10 and value.numerator <= 10:
            return f"{_DIGITS[value.denominator]}分之{_DIGITS[value.numerator]}"
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        return "、".join(show(v) for v in value)
    return str(value)


def _number(value) -> bool:
    return isinstance(value, int | Decimal | Fraction) and not isinstance(value, bool)


def _out_of_range(label: str, bound: Bound, value, each: str = "") -> str | None:
    if not _number(value):
        return None
    if bound.low is not None and (value < bound.low or (bound.positive and value == bound.low)):
        word = "大于" if bound.positive else "不小于"
        return f"“{label}”{each}应{word} {show(bound.low)}。"
    if bound.high is not None and value > bound.high:
        return f"“{label}”{each}不能超过 {show(bound.high)}。"
    return None


def _items(value) -> list:
    """The numbers inside a list or table value (each checked against the range)."""
    if isinstance(value, dict):
        out = []
        for v in value.values():
            out += _items(v) if isinstance(v, list | dict) else [v]
        return out
    if isinstance(value, list):
        out = []
        for v in value:
            out += _items(v) if isinstance(v, list | dict) else [v]
        return out
    return [value]


def _as_number(value):
    """Table cells arrive as JSON numbers or strings; a range check wants a number."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal | Fraction):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _who(level: str, province_name: str) -> str:
    return "学校" if level == ORG else f"省级规定（{province_name}）" if province_name else "省级规定"


def refusal(
    rule,
    level: str,
    value,
    *,
    national,
    province=None,
    province_name: str = "",
) -> str | None:
    """Why `value` may not be set for `rule` at `level` ("org" or "province"), or None.

    `national` and `province` are the values in force above (typed; `province` None where the
    province has none). A school answers to its province's value, else the national one; a
    province to the national one only where the law sets it."""
    bound = BOUNDS[rule.key]
    label = rule.label
    # the range, for the value or for every number inside it
    if rule.kind in ("list", "table"):
        for item in _items(value):
            item = _as_number(item)
            problem = _out_of_range(label, bound, item, each="每一项")
            if problem:
                return problem
    else:
        problem = _out_of_range(label, bound, value)
        if problem:
            return problem
    # the direction, against the value in force above
    if level == ORG:
        above, where = (
            (province, f"{province_name}省级规定") if province is not None else (national, "全国规定")
        )
    else:
        above, where = (national, "全国规定") if bound.law else (None, "")
    if above is None or bound.direction == EITHER:
        return None
    who = _who(level, province_name)
    if bound.order:
        if level == ORG and bound.school_may_loosen:
            return None
        if (
            value in bound.order
            and above in bound.order
            and bound.order.index(value) < bound.order.index(above)
        ):
            return f"{who}不能放宽“{label}”（{where}：{dict(rule.choices).get(above, above)}）。"
        return None
    if bound.direction == UP and _number(value) and value < above:
        return f"{who}不能把“{label}”调低于{show(above)}（{where}）。"
    if bound.direction == DOWN and rule.key == "caps.festival_each":
        return _festival_each(label, who, where, value, above)
    if bound.direction == DOWN and _number(value) and value > above:
        return f"{who}不能把“{label}”调高于{show(above)}（{where}）。"
    if bound.direction == SUBSET:
        return _subset(label, who, where, value, above, bound.loosening)
    return None


def _festival_each(label, who, where, value: dict, above: dict) -> str | None:
    for festival, cap in value.items():
        if festival in above and _as_number(cap) > _as_number(above[festival]):
            return f"{who}不能把“{label}”中{festival}的标准调高于{show(_as_number(above[festival]))}元（{where}）。"
    return None


def _subset(label, who, where, value, above, loosening: tuple = ()) -> str | None:
    def loosens(item) -> bool:
        return not loosening or item in loosening

    if isinstance(value, list) and isinstance(above, list):
        extra = [v for v in value if v not in above and loosens(v)]
        if extra:
            return f"{who}不能在“{label}”中增加{show(extra)}（{where}只允许{show(above)}）。"
        return None
    if isinstance(value, dict) and isinstance(above, dict):
        for kind, items in value.items():
            allowed = above.get(kind)
            if allowed is None:
                continue
            extra = [v for v in items if v not in allowed and loosens(v)] if isinstance(items, list) else []
            if extra:
                return f"{who}不能在“{label}”的 {kind} 中增加{show(extra)}（{where}只允许{show(allowed)}）。"
    return None


def describe(rule, *, national, province=None, province_name: str = "") -> str:
    """What a school may set, in words, for the rule page ("只能调高，不低于三分之二（全国规定）")."""
    bound = BOUNDS[rule.key]
    above, where = (province, f"{province_name}省级规定") if province is not None else (national, "全国规定")
    parts = []
    if bound.order:
        if not bound.school_may_loosen:
            parts.append(f"不能放宽（{where}：{dict(rule.choices).get(above, above)}）")
    elif bound.direction == UP and _number(above):
        parts.append(f"只能调高，不低于{show(above)}（{where}）")
    elif bound.direction == DOWN and _number(above):
        parts.append(f"只能调低，不高于{show(above)}（{where}）")
    elif bound.direction == DOWN and rule.key == "caps.festival_each" and above:
        parts.append(f"各节日标准不高于{where}")
    elif bound.direction == SUBSET and bound.loosening:
        parts.append(f"不能在{where}之外增加{show(list(bound.loosening))}")
    elif bound.direction == SUBSET:
        parts.append(f"只能减少可选项，不能增加（{where}）")
    if bound.low is not None and bound.high is not None:
        word = "大于" if bound.positive else "不小于"
        parts.append(
            f"取值{'每一项' if rule.kind in ('list', 'table') else ''}应{word}{show(bound.low)}、不超过{show(bound.high)}"
        )
    return "；".join(parts)
