"""What of a member's personal data a viewer is shown: one function per field, used by every
page, export, API answer, drill-down and audit view (个人信息保护法: shown only to the roles that
need it, masked elsewhere).

Who sees what (capabilities of core/permissions.py):

| viewer                                   | ID number          | phone        | birth date      |
|------------------------------------------|--------------------|--------------|-----------------|
| ``members.sensitive`` (chair, vice-chairs, 组织委员) | in clear (a read is logged by selectors.reveal) | in clear | in full |
| ``welfare.view`` without the above (生活委员: birthday 慰问) | hidden entirely | masked | in full |
| everyone else (a member, the 经审, the federation, …) | region only | masked | birth year only |

Why the mask keeps so little (members/rules.mask_id_number): an 18-digit ID is region (6) +
birth date (8) + sequence (3, the last of them odd for men) + a check digit. The old mask showed
region + the last four, i.e. everything but the birth date: with the birth date beside it the ID
was rebuilt outright, and with the birth year alone only ~365/11 ≈ 33 candidates remained (the
shown check digit keeps one date in eleven). Now the mask shows the region only: a viewer who
knows the gender and the birth year is left with 365 × 500 = 182,500 candidates, and even one who
also learnt the birth month (a retirement month) with ~15,000 — never fewer than 10^4. A viewer who
sees the full birth date (the welfare member) sees no digit of the ID: region + date + gender
leave only 500 candidates. tests/test_privacy_attacker.py plays that attacker.

Ages: an exact age (周岁) read day after day tells the birthday (it changes on that day), so a viewer
without the birth date is shown the age as the difference of years (`shown_age`).
"""

import datetime

from jiaogong.core.permissions import can
from jiaogong.members import rules


def sees_clear(viewer, org) -> bool:
    """ID numbers and phones in clear (and so everything else)."""
    return can(viewer, org, "members.sensitive")


def sees_birth_date(viewer, org) -> bool:
    """The full birth date: those who see the ID in clear, and those who send birthday 慰问."""
    return sees_clear(viewer, org) or can(viewer, org, "welfare.view")


def shown_id_number(viewer, org, value: str) -> str:
    """The ID number as this viewer may see it (the caller logs a read in clear: selectors.reveal)."""
    if not value:
        return ""
    if sees_clear(viewer, org):
        return value
    if sees_birth_date(viewer, org):
        return rules.hide_all(value)
    return rules.mask_id_number(value)


def list_id_number(viewer, org, value: str) -> str:
    """The ID number in a list (masked for every role: a list never reads in clear)."""
    if not value:
        return ""
    if sees_birth_date(viewer, org) and not sees_clear(viewer, org):
        return rules.hide_all(value)
    return rules.mask_id_number(value)


def list_phone(viewer, org, value: str) -> str:
    return rules.mask_phone(value) if value else ""


def shown_phone(viewer, org, value: str) -> str:
    if not value:
        return ""
    return value if sees_clear(viewer, org) else rules.mask_phone(value)


def shown_birth(viewer, org, birth_date: datetime.date | None) -> str:
    """The birth date as text: "1990-01-01" in full, else "1990年" (the year only)."""
    if birth_date is None:
        return ""
    if sees_birth_date(viewer, org):
        return f"{birth_date:%Y-%m-%d}"
    return f"{birth_date.year}年"


def shown_birth_date(viewer, org, birth_date: datetime.date | None) -> datetime.date | None:
    """The birth date as a date for those who may see it, else None (API, exports)."""
    return birth_date if birth_date is not None and sees_birth_date(viewer, org) else None


def shown_age(viewer, org, birth_date: datetime.date | None, today: datetime.date) -> int | None:
    """The age: 周岁 for those who see the birth date; else the difference of years, which does not
    change on the birthday and so does not tell it."""
    if birth_date is None:
        return None
    if sees_birth_date(viewer, org):
        return rules.age_on(birth_date, today)
    return today.year - birth_date.year


def masks_for(viewer, org) -> dict:
    """Field name → function(value) → shown text: for views that show recorded values (history
    and the audit page) of any member-like record. Numbers are masked there for every reader (a
    recorded value is not a logged read in clear)."""
    return {
        "id_number": lambda v: list_id_number(viewer, org, str(v)),
        "phone": lambda v: list_phone(viewer, org, str(v)),
        "birth_date": lambda v: _shown_birth_text(viewer, org, v),
    }


def _shown_birth_text(viewer, org, value) -> str:
    if sees_birth_date(viewer, org):
        return str(value)
    text = str(value)
    return f"{text[:4]}年" if len(text) >= 4 and text[:4].isdigit() else "已隐去"
