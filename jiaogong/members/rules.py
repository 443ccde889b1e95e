"""Pure rules of the member registry: no database, plain values in and out."""

import datetime
import re
from decimal import Decimal

from pypinyin import Style, lazy_pinyin
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

# ---- privacy --------------------------------------------------------------------------------


def mask_id_number(value: str) -> str:
    """330102199001011234 -> 330102************: the region code only.

    The birth date (digits 7-14), the sequence (15-17, the 17th odd for men) and the check digit
    are hidden. Showing the last four (the old mask, API.md's example) left only the birth date
    hidden, and the birth date is shown or guessed elsewhere: with the birth year known, the check
    digit cut the 365 possible dates to ~33. With the region only, a viewer who knows the gender
    and birth year still faces 365 × 500 candidates (members/privacy.py counts them)."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 6)


def hide_all(value: str) -> str:
    """Every character hidden (for a viewer who knows the birth date: no digit may be shown)."""
    return "*" * len(value or "")


def mask_phone(value: str) -> str:
    """API.md: 13812345678 -> 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# ---- pseudonymisation (个人信息保护法) ------------------------------------------------------------

LEFT_STATUSES = ("transferred", "deceased")


def pseudonymise_due(status: str, left_on: datetime.date | None, today: datetime.date, years: int) -> bool:
    """A member who left (调出 or 去世) is pseudonymised once `years` full years have passed since
    leaving (rule members.pseudonymise_after_years; PIPL 第十九条、第四十七条). Without a leaving date
    nothing is due (the date is what the retention counts from)."""
    if status not in LEFT_STATUSES or left_on is None:
        return False
    return add_years(left_on, years) <= today


def pseudonym(member_id: int) -> str:
    """The name a pseudonymised member is shown under: stable, and says nothing of the person."""
    return f"已离会会员 #{member_id}"


# ---- identity numbers -----------------------------------------------------------------------


def clean_id_number(value: str) -> str:
    """Validate a resident ID number (GB 11643, with its checksum) and return it normalised.

    Raises ValueError with a Chinese message.
    """
    text = (value or "").strip().upper().replace(" ", "")
    if not text:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValueError("身份证号应为18位（最后一位可为X）。")
    if text[-1] != ric.calc_check_digit(text):
        raise ValueError("身份证号校验位不正确，请核对。")
    try:
        return ric.validate(text)
    except StdnumError:
        raise ValueError("身份证号中的地区码或出生日期无效，请核对。") from None


def birth_date_from_id(id_number: str) -> datetime.date:
    return ric.get_birth_date(id_number)


def gender_from_id(id_number: str) -> str:
    """The 17th digit: odd for men, even for women."""
    return "M" if int(id_number[16]) % 2 else "F"


PHONE_RE = re.compile(r"1[3-9]\d{9}")


def clean_phone(value: str) -> str:
    text = re.sub(r"[\s-]", "", value or "")
    if text.startswith("+86"):
        text = text[3:]
    if not text:
        return ""
    if not PHONE_RE.fullmatch(text):
        raise ValueError("手机号应为11位数字，以1开头。")
    return text


# ---- pinyin ---------------------------------------------------------------------------------


# Surnames read differently from the same character elsewhere (单 is shan as a surname, not dan).
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "缪": "miao",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "秘": "bi",
    "种": "chong",
    "尉": "yu",
    "柏": "bai",
    "华": "hua",
    "任": "ren",
    "沈": "shen",
    "折": "she",
    "隗": "wei",
}


def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a Chinese name, lower case, no spaces: 张三 -> (zhangsan, zs)."""
    name = (name or "").strip()
    head = SURNAME_READINGS.get(name[:1]) if name else None
    rest = name[1:] if head else name
    syllables = ([head] if head else []) + [
        s.lower() for s in lazy_pinyin(rest, style=Style.NORMAL, errors="default") if s.strip()
    ]
    syllables = ["".join(ch for ch in s if ch.isalnum()) for s in syllables]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def normalise_query(q: str) -> str:
    return re.sub(r"\s+", "", (q or "").strip().lower())


def is_latin_query(q: str) -> bool:
    return bool(q) and all(ch.isascii() and ch.isalnum() for ch in q)


def name_matches(name: str, q: str) -> bool:
    """The search rule: the name contains q, or (for Latin letters) the full pinyin contains q
    or the initials start with q. zs finds 张三, zhangs finds 张三, 张 finds 张三."""
    q = normalise_query(q)
    if not q:
        return True
    if q in name:
        return True
    if is_latin_query(q):
        full, initials = pinyin_of(name)
        return q in full or initials.startswith(q)
    return False


# ---- ages and service -----------------------------------------------------------------------


def add_years(d: datetime.date, years: int) -> datetime.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a non-leap year
        return d.replace(year=d.year + years, day=28)


def add_months(d: datetime.date, months: int) -> datetime.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Completed years of age on `today`."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def service_years(hire_date: datetime.date | None, today: datetime.date) -> int | None:
    """教龄: completed years since the hire date."""
    if hire_date is None:
        return None
    return max(age_on(hire_date, today), 0)


def is_youth(birth_date: datetime.date, today: datetime.date, max_age: int) -> bool:
    """Youth staff: younger than `max_age` (members.youth_max_age, default 35)."""
    return age_on(birth_date, today) < max_age


def retirement_date(birth_date: datetime.date, gender: str, age_male: int, age_female: int) -> datetime.date:
    """The day the member reaches the statutory retirement age (members.retirement_age_*)."""
    return add_years(birth_date, age_male if gender == "M" else age_female)


def retires_within(birth_date, gender, today, months, age_male, age_female) -> bool:
    """Reaches retirement age after today and within the next `months` months."""
    when = retirement_date(birth_date, gender, age_male, age_female)
    return today < when <= add_months(today, months)


# ---- status ---------------------------------------------------------------------------------

STATUS_LABELS = {
    "applicant": "申请入会",
    "active": "在册",
    "retired": "退休",
    "transferred": "调出",
    "deceased": "去世",
    "non_member": "非会员职工",
}

TRANSITIONS = {
    "applicant": {"active", "non_member"},
    "active": {"retired", "transferred", "deceased", "non_member"},
    "retired": {"deceased", "active"},
    "transferred": {"active"},
    "non_member": {"applicant"},
    "deceased": set(),
}


def can_change_status(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


# ---- committee ------------------------------------------------------------------------------


def committee_size_range(member_count: int, table: list[list[int]]) -> tuple[int, int]:
    """(min, max) committee members for a union of `member_count` members
    (union.committee_size_table: rows of [up to N members, min, max]; beyond the table, the last row)."""
    for up_to, low, high in table:
        if member_count <= up_to:
            return low, high
    return table[-1][1], table[-1][2]


AUDIT_INCOMPATIBLE_POSITIONS = {"chair", "vice_chair"}
AUDIT_INCOMPATIBLE_PORTFOLIOS = {"finance"}
MONEY_POST_WORDS = ("财务", "会计", "出纳", "保管")


def handles_money(post: str) -> bool:
    return any(word in (post or "") for word in MONEY_POST_WORDS)


def committee_warnings(
    *,
    member_count: int,
    union_seats: int,
    has_union_term: bool,
    women_members: int,
    has_women_committee: bool,
    size_table: list[list[int]],
    committee_required_members: int,
    women_committee_min_women: int,
    audit_conflicts: list[str],
    has_audit_committee: bool,
) -> list[str]:
    """The organisation checks of RULES.md §1–2, as plain warnings in Chinese."""
    out = []
    if member_count >= committee_required_members and not has_union_term:
        out.append(
            f"会员 {member_count} 人，已达 {committee_required_members} 人，应当建立工会委员会（工会法第十一条）。"
        )
    if has_union_term:
        low, high = committee_size_range(member_count, size_table)
        if not low <= union_seats <= high:
            out.append(f"会员 {member_count} 人，工会委员会应设委员 {low}–{high} 人，现有 {union_seats} 人。")
    if women_members >= women_committee_min_women and not has_women_committee:
        out.append(
            f"女会员 {women_members} 人，已达 {women_committee_min_women} 人，应当建立女职工委员会；"
            "不足时设女职工委员。"
        )
    if has_union_term and not has_audit_committee:
        out.append("尚未设立经费审查委员会（应与工会委员会同时选举产生）。")
    for name in audit_conflicts:
        out.append(f"{name} 是主席、副主席或经管财务人员，不得担任经费审查委员会委员（工会法第四十五条）。")
    return out


def quantize_share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1")) if whole else Decimal("0.0")
