"""The welfare caps engine: may this 慰问 be paid, in this form, for this amount?

A pure module: no database, every number is a parameter (the caller reads the caps from the rules
table and passes what the member has already received).

The rules (RULES.md §3, "Welfare caps"):

* Kinds: festival (节日慰问, always with a festival name such as 春节), birthday, marriage, birth,
  hospital, hospital_surgery, death_member, death_relative, retirement, hardship (家庭重大困难或
  意外, a 五必访 trigger with no national number: uncapped unless the school sets a cap).
* Forms are checked first. Each kind has a table of allowed forms (a parameter, see
  ``DEFAULT_ALLOWED_FORMS``). Cash, shopping cards and vouchers (the cake voucher included) as
  festival gifts are banned outright by the 八不准 and no table can allow them. A refused form is
  never overridable.
* Festivals are capped per member per calendar year: ``festival_total`` over all festivals of the
  year, and optionally ``festival_each[name]`` for the same festival in the same year. Only
  festival payments dated in the new payment's calendar year count.
* Birthday: once per member per calendar year, at most ``birthday`` yuan. Once a birthday payment
  is on record for the year, the year's birthday allowance is 0.
* Every other kind is capped per event; earlier payments do not count.
* Exactly at the cap is allowed; one fen above is refused. The refusal names the rule in Chinese
  and gives what may still be paid (``Decision.remaining``: the allowance the amount was checked
  against, before this payment; ``None`` when no cap applies).
* The chair may override an amount (cap) refusal by recording a non-blank reason: the decision is
  then allowed with ``overridden=True`` and keeps the refusal text in ``rule``.
* A cap of ``None`` means "no cap" for that kind (``festival_total=None``: only ``festival_each``
  limits festivals).

Invalid input (unknown kind or form, a missing form, an amount that is not positive or has more
than two decimals, a festival without a name) raises ``ValueError`` with a Chinese message.
"""

import dataclasses
import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from jiaogong.core.money import CENT, to_money

# ---- vocabulary -------------------------------------------------------------------------------

KIND_LABELS: dict[str, str] = {
    "festival": "节日慰问",
    "birthday": "生日慰问",
    "marriage": "结婚慰问",
    "birth": "生育慰问",
    "hospital": "生病住院慰问",
    "hospital_surgery": "住院手术慰问",
    "death_member": "会员去世慰问",
    "death_relative": "直系亲属去世慰问",
    "retirement": "退休慰问",
    "hardship": "家庭困难慰问",
}
KINDS = frozenset(KIND_LABELS)

FORM_LABELS: dict[str, str] = {
    "cash": "现金",
    "goods": "实物",
    "souvenir": "纪念品",
    "cake_voucher": "蛋糕券",
    "shopping_card": "购物卡/代金券",
}
FORMS = frozenset(FORM_LABELS)

# The 八不准: no cash, shopping cards or vouchers as festival gifts. Absolute: not a parameter.
FESTIVAL_BANNED_FORMS = frozenset({"cash", "shopping_card", "cake_voucher"})
FESTIVAL_BAN_TEXT = "节日慰问不得发放现金、购物卡或代金券。"

# The kinds capped per event (every kind except festival and birthday, which are per year).
PER_EVENT_KINDS = (
    "marriage",
    "birth",
    "hospital",
    "hospital_surgery",
    "death_member",
    "death_relative",
    "retirement",
    "hardship",
)

# RULES.md §3 "Form of help": marriage/birth → goods (慰问品); illness and death → cash allowed
# (慰问金); retirement → souvenir (纪念品); birthday → cake or cake voucher; festivals → goods only.
DEFAULT_ALLOWED_FORMS: dict[str, frozenset[str]] = {
    "festival": frozenset({"goods"}),
    "birthday": frozenset({"goods", "cake_voucher"}),
    "marriage": frozenset({"goods"}),
    "birth": frozenset({"goods"}),
    **{
        kind: frozenset({"cash", "goods"})
        for kind in ("hospital", "hospital_surgery", "death_member", "death_relative")
    },
    "retirement": frozenset({"souvenir"}),
    # 家庭重大困难或意外 (五必访): RULES.md names no form; like illness and death, cash help is usual.
    "hardship": frozenset({"cash", "goods"}),
}

# Display order of forms in messages.
_FORM_ORDER = ("cash", "goods", "souvenir", "cake_voucher", "shopping_card")


def _yuan(value: Decimal) -> str:
    return f"{to_money(value):.2f}"


def _cap(value, what: str) -> Decimal | None:
    """A cap as Decimal yuan (None stays None: no cap); ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what}的上限应为金额。")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{what}的上限应为金额，如 1500。") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what}的上限应为不小于 0 的金额。")
    if amount != amount.quantize(CENT):
        raise ValueError(f"{what}的上限最多保留两位小数。")
    return amount.quantize(CENT)


# ---- caps -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caps:
    """The caps in force (yuan, national defaults = 安徽 2018) and the allowed forms per kind."""

    festival_total: Decimal | None = Decimal("1500")
    festival_each: dict[str, Decimal] = field(default_factory=dict)
    birthday: Decimal | None = Decimal("300")
    marriage: Decimal | None = Decimal("600")
    birth: Decimal | None = Decimal("600")
    hospital: Decimal | None = Decimal("1000")
    hospital_surgery: Decimal | None = Decimal("1000")
    death_member: Decimal | None = Decimal("2000")
    death_relative: Decimal | None = Decimal("1000")
    retirement: Decimal | None = Decimal("1000")
    # No national or province number exists for 家庭重大困难 (RULES.md §3 is silent): no cap
    # unless the school sets one (the rule "caps.hardship", where 0 stands for "not set").
    hardship: Decimal | None = None
    allowed_forms: dict[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_ALLOWED_FORMS))

    def __post_init__(self):
        # Normalise and validate once, so check() can trust every number.
        for name in ("festival_total", "birthday", *PER_EVENT_KINDS):
            label = "节日慰问全年合计" if name == "festival_total" else KIND_LABELS[name]
            object.__setattr__(self, name, _cap(getattr(self, name), label))

        each = {}
        for festival, cap in dict(self.festival_each or {}).items():
            name = str(festival).strip()
            if not name:
                raise ValueError("单个节日慰问上限缺少节日名称。")
            value = _cap(cap, f"{name}慰问")
            if value is not None:
                each[name] = value
        object.__setattr__(self, "festival_each", each)

        forms = dict(DEFAULT_ALLOWED_FORMS)
        for kind, allowed in dict(self.allowed_forms or {}).items():
            if kind not in KINDS:
                raise ValueError(f"慰问形式表中有未知的慰问类别：{kind}。")
            allowed = frozenset([allowed] if isinstance(allowed, str) else allowed)
            unknown = allowed - FORMS
            if unknown:
                raise ValueError(f"慰问形式表中有未知的慰问形式：{'、'.join(sorted(unknown))}。")
            if kind == "festival" and allowed & FESTIVAL_BANNED_FORMS:
                raise ValueError(FESTIVAL_BAN_TEXT)
            forms[kind] = allowed
        object.__setattr__(self, "allowed_forms", forms)

    @classmethod
    def from_values(cls, values: Mapping) -> "Caps":
        """Caps from rule values keyed like the rules table ("caps.festival_total" → "1800",
        "caps.festival_each" → {"春节": 800}). Missing keys take the defaults; keys outside
        "caps." are ignored, so the whole table of rules in force may be passed.
        "caps.allowed_forms" ({kind: [form, ...]}) replaces the forms of the kinds it names."""
        kwargs = {}
        for f in dataclasses.fields(cls):
            key = f"caps.{f.name}"
            if key not in values:
                continue
            value = values[key]
            if f.name in ("festival_each", "allowed_forms"):
                if isinstance(value, str):
                    try:
                        value = json.loads(value) if value.strip() else {}
                    except json.JSONDecodeError:
                        raise ValueError('请按 JSON 格式填写，如 {"春节": 800}。') from None
                if value is None:
                    value = {}
                if not isinstance(value, Mapping):
                    raise ValueError('请按 JSON 格式填写，如 {"春节": 800}。')
            kwargs[f.name] = value
        return cls(**kwargs)

    def cap_for(self, kind: str) -> Decimal | None:
        """The per-event (or, for birthday, per-year) cap of a non-festival kind."""
        return getattr(self, kind)


# ---- payments and decisions -------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    """One 慰问 payment: proposed (checked) or already made (passed in `given`).

    `festival` is the festival's name for kind "festival", "" otherwise. `form` is required for
    the payment being checked and ignored in `given`."""

    kind: str
    festival: str
    amount: Decimal
    date: datetime.date
    form: str = ""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    rule: str  # "" when allowed without override; the Chinese rule text otherwise
    remaining: Decimal | None  # the allowance the amount was checked against (None: no cap)
    overridden: bool = False
    code: str = ""  # "form_not_allowed" | "cap_exceeded" when refused (or overridden), else ""


def _amount(value, *, positive: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError("金额应为 Decimal 元。")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError("金额应为有限的数字。")
    if positive and amount <= 0:
        raise ValueError("金额应大于 0 元。")
    if amount != amount.quantize(CENT):
        raise ValueError("金额最多保留两位小数（精确到分）。")
    return amount.quantize(CENT)


def _festival_name(payment: Payment) -> str:
    return (payment.festival or "").strip()


def _validate(payment: Payment) -> None:
    if payment.kind not in KINDS:
        raise ValueError(f"未知的慰问类别：{payment.kind}。")
    if not payment.form:
        raise ValueError("请选择慰问形式。")
    if payment.form not in FORMS:
        raise ValueError(f"未知的慰问形式：{payment.form}。")
    if not isinstance(payment.date, datetime.date):
        raise ValueError("请填写发放日期。")
    _amount(payment.amount, positive=True)
    if payment.kind == "festival" and not _festival_name(payment):
        raise ValueError("节日慰问请填写节日名称，如春节、端午、中秋。")


def _form_refusal(kind: str, form: str, caps: Caps) -> str:
    """The rule text when the form is not allowed for the kind, or ""."""
    if kind == "festival" and form in FESTIVAL_BANNED_FORMS:
        return FESTIVAL_BAN_TEXT
    allowed = caps.allowed_forms[kind]
    if form in allowed:
        return ""
    label = KIND_LABELS[kind]
    if not allowed:
        return f"{label}当前未设定可发放的形式，不得发放{FORM_LABELS[form]}。"
    names = "或".join(FORM_LABELS[f] for f in _FORM_ORDER if f in allowed)
    return f"{label}只能发放{names}，不得发放{FORM_LABELS[form]}。"


def _left(cap: Decimal, spent: Decimal) -> Decimal:
    return max(cap - spent, Decimal("0.00")).quantize(CENT)


def _festival_limit(payment: Payment, caps: Caps, given: Iterable[Payment]) -> tuple[Decimal | None, str]:
    """(remaining, refusal text if the amount goes over it) for a festival payment."""
    year = payment.date.year
    name = _festival_name(payment)
    this_year = [p for p in given if p.kind == "festival" and p.date.year == year]
    limits: list[tuple[Decimal, str]] = []
    if caps.festival_total is not None:
        spent = sum((_amount(p.amount, positive=False) for p in this_year), Decimal("0.00"))
        left = _left(caps.festival_total, spent)
        limits.append(
            (
                left,
                f"节日慰问全年合计不超过 {_yuan(caps.festival_total)} 元，"
                f"本年已发 {_yuan(spent)} 元，还可发 {_yuan(left)} 元。",
            )
        )
    each = caps.festival_each.get(name)
    if each is not None:
        spent = sum(
            (_amount(p.amount, positive=False) for p in this_year if _festival_name(p) == name),
            Decimal("0.00"),
        )
        left = _left(each, spent)
        limits.append(
            (
                left,
                f"{name}慰问每年不超过 {_yuan(each)} 元，本年已发 {_yuan(spent)} 元，还可发 {_yuan(left)} 元。",
            )
        )
    if not limits:
        return None, ""
    # The tighter limit binds (on a tie, the year's total is named).
    left, text = min(limits, key=lambda limit: limit[0])
    return left, text


def _birthday_limit(payment: Payment, caps: Caps, given: Iterable[Payment]) -> tuple[Decimal | None, str]:
    year = payment.date.year
    before = [p for p in given if p.kind == "birthday" and p.date.year == year]
    cap = caps.birthday
    if before:
        spent = sum((_amount(p.amount, positive=False) for p in before), Decimal("0.00"))
        return Decimal("0.00"), (
            f"生日慰问每人每年一次，本年已发 {len(before)} 次（{_yuan(spent)} 元），还可发 0.00 元。"
        )
    if cap is None:
        return None, ""
    return cap, f"生日慰问每人每年一次，每次不超过 {_yuan(cap)} 元，还可发 {_yuan(cap)} 元。"


def _limit(payment: Payment, caps: Caps, given: Iterable[Payment]) -> tuple[Decimal | None, str]:
    if payment.kind == "festival":
        return _festival_limit(payment, caps, given)
    if payment.kind == "birthday":
        return _birthday_limit(payment, caps, given)
    cap = caps.cap_for(payment.kind)
    if cap is None:
        return None, ""
    label = KIND_LABELS[payment.kind]
    return cap, f"{label}每次不超过 {_yuan(cap)} 元，本次还可发 {_yuan(cap)} 元。"


def check(
    payment: Payment,
    *,
    caps: Caps,
    given: Iterable[Payment] = (),
    override_reason: str = "",
) -> Decision:
    """Decide whether `payment` may be made, given what the member has already received."""
    _validate(payment)
    given = list(given)
    for prior in given:
        if prior.kind not in KINDS:
            raise ValueError(f"已发记录中有未知的慰问类别：{prior.kind}。")
        if not isinstance(prior.date, datetime.date):
            raise ValueError("已发记录缺少发放日期。")

    remaining, cap_text = _limit(payment, caps, given)

    # A refused form is final: the 八不准 and the forms table are not overridable.
    form_text = _form_refusal(payment.kind, payment.form, caps)
    if form_text:
        return Decision(allowed=False, rule=form_text, remaining=remaining, code="form_not_allowed")

    amount = _amount(payment.amount, positive=True)
    if remaining is None or amount <= remaining:
        return Decision(allowed=True, rule="", remaining=remaining)

    if (override_reason or "").strip():
        return Decision(
            allowed=True, rule=cap_text, remaining=remaining, overridden=True, code="cap_exceeded"
        )
    return Decision(allowed=False, rule=cap_text, remaining=remaining, code="cap_exceeded")
