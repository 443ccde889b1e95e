"""The attacker who rebuilds ID numbers from what the pages, exports and API show.

An ID number is region (6) + birth date (8) + sequence (3; the 17th digit odd for men) + a check
digit. A plain member, the 经审 and the federation officer collect everything shown about each
member (the list, the member's page, the dashboard, the birthday and retirement lists, the API's
list and detail, the roster export they may download) and enumerate the ID numbers consistent with
it and the checksum. Many must remain (members/privacy.py: at least 10^4).
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from jiaogong.accounts.services import create_api_token
from jiaogong.factories import MemberFactory, UserFactory, grant, make_id_number
from jiaogong.members import privacy, rules
from jiaogong.members.models import Member

ENOUGH = 10_000


def candidates(shown_id: str, dates, gender: str) -> int:
    """How many valid ID numbers agree with a shown (masked) ID, a set of possible birth dates and
    the gender: every visible character must match, the 17th digit has the gender's parity and the
    check digit must be right."""
    if "*" not in shown_id:
        return 1
    count = 0
    parity = 1 if gender == "M" else 0
    region = shown_id[:6]
    for d in dates:
        middle = f"{d:%Y%m%d}"
        if any(c != "*" and c != middle[i] for i, c in enumerate(shown_id[6:14])):
            continue
        if set(shown_id[14:]) == {"*"}:
            count += 500  # every sequence of the gender's parity, each with its own check digit
            continue
        for seq in range(parity, 1000, 2):
            body = f"{region}{middle}{seq:03d}"
            if any(c != "*" and c != body[14 + i] for i, c in enumerate(shown_id[14:17])):
                continue
            if shown_id[17] != "*" and shown_id[17] != ric.calc_check_digit(body + "0"):
                continue
            count += 1
    return count


def year_dates(year: int) -> list[datetime.date]:
    d = datetime.date(year, 1, 1)
    out = []
    while d.year == year:
        out.append(d)
        d += datetime.timedelta(days=1)
    return out


def test_the_old_mask_beside_the_birth_year_left_a_few_dozen_ids():
    """What the old mask (region + last four) left: the hole this module closes."""
    number = make_id_number(datetime.date(1985, 5, 20), "M", 7)
    old = number[:6] + "********" + number[-4:]
    assert candidates(old, year_dates(1985), "M") < 100


@pytest.mark.parametrize("gender", ["M", "F"])
def test_the_mask_beside_the_birth_year_leaves_many_ids(gender):
    number = make_id_number(datetime.date(1985, 5, 20), gender, 7)
    assert candidates(rules.mask_id_number(number), year_dates(1985), gender) >= ENOUGH


def test_the_mask_beside_a_birth_month_still_leaves_many_ids():
    number = make_id_number(datetime.date(1985, 5, 20), "F", 7)
    may = [d for d in year_dates(1985) if d.month == 5]
    assert candidates(rules.mask_id_number(number), may, "F") >= ENOUGH


# ---- the attacker at work --------------------------------------------------------------------------


@pytest.fixture
def roster(school_a, group_a):
    today = timezone.localdate()
    people = [
        MemberFactory(org=school_a, name="李明", gender="M", birth_date=datetime.date(1980, today.month, 3)),
        MemberFactory(org=school_a, name="王芳", gender="F", birth_date=datetime.date(1992, 2, 29)),
        # Retiring within the notice period: the dashboard and the list tell the date to those allowed.
        MemberFactory(
            org=school_a,
            name="赵强",
            gender="M",
            birth_date=rules.add_years(today, -60) + datetime.timedelta(days=40),
        ),
        MemberFactory(
            org=school_a, name="陈静", gender="F", birth_date=datetime.date(1975, 12, 31), phone=""
        ),
    ]
    return people


@pytest.fixture
def auditor_a(school_a):
    return grant(UserFactory(username="auditor_a"), school_a, "auditor")


def _collect(client, user, org) -> list[str]:
    """Everything the user can read about the members, as text."""
    client.force_login(user)
    texts = []
    members = list(Member.objects.filter(org=org))
    pages = [reverse("core:dashboard", args=[org.pk]), reverse("members:list", args=[org.pk])]
    pages += [
        reverse("members:list", args=[org.pk]) + f"?list={key}" for key in ("birthdays", "retiring", "youth")
    ]
    pages += [reverse("members:detail", args=[org.pk, m.pk]) for m in members]
    for url in pages:
        response = client.get(url)
        if response.status_code == 200:
            texts.append(response.content.decode())
    export = client.get(reverse("members:export", args=[org.pk]))
    if export.status_code == 200:
        texts.append(_xlsx_text(export.content))
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    client.logout()
    for path in [
        f"/api/v1/orgs/{org.pk}/members",
        *(f"/api/v1/orgs/{org.pk}/members/{m.pk}" for m in members),
    ]:
        response = client.get(path, headers=headers)
        if response.status_code == 200:
            texts.append(response.content.decode("unicode_escape"))
    api_export = client.get(f"/api/v1/orgs/{org.pk}/members/export", headers=headers)
    if api_export.status_code == 200:
        texts.append(_xlsx_text(api_export.content))
    return texts


def _xlsx_text(content: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        " ".join(
            "" if v is None else (f"{v:%Y-%m-%d}" if isinstance(v, datetime.date) else str(v)) for v in row
        )
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


def _known_dates(texts: list[str], m: Member) -> list[datetime.date]:
    """The birth dates the attacker can't rule out from what was shown: the day if any text gives it
    (as a date, or as month and day beside the name), else the month, else the year."""
    d = m.birth_date
    day_forms = [f"{d:%Y-%m-%d}", f"{d:%Y%m%d}", f"{d.year}年{d.month}月{d.day}日"]
    if any(form in t for t in texts for form in day_forms):
        return [d]
    near_name = [
        t[i : i + 400] for t in texts for i in [mm.start() for mm in re.finditer(re.escape(m.name), t)]
    ]
    if any(f"{d.month}月{d.day}日" in chunk for chunk in near_name):
        return [d]
    year = year_dates(d.year)
    if any(f"{d.year}年{d.month}月" in chunk or f"{d:%Y-%m}" in chunk for chunk in near_name):
        return [x for x in year if x.month == d.month]
    return year


def _shown_id(texts: list[str], m: Member) -> str:
    """The most revealing form of the member's ID number found in the texts."""
    assert not any(m.id_number in t for t in texts), f"{m.name} 的身份证号明文可见"
    best = None
    pattern = re.compile(r"[0-9X*]{18}")
    for t in texts:
        for found in pattern.findall(t):
            agrees = "*" in found and all(c == "*" or c == m.id_number[i] for i, c in enumerate(found))
            if agrees and found.strip("*") and (best is None or found.count("*") < best.count("*")):
                best = found
    return best or "*" * 18


@pytest.mark.parametrize("who", ["member_a", "auditor_a", "officer"])
def test_no_role_without_the_clear_numbers_can_rebuild_an_id(client, request, school_a, roster, who):
    user = request.getfixturevalue(who)
    texts = _collect(client, user, school_a)
    assert len(texts) >= 3  # the attacker did read the pages
    for m in Member.objects.filter(org=school_a).exclude(id_number=""):
        dates = _known_dates(texts, m)
        left = candidates(_shown_id(texts, m), dates, m.gender)
        assert left >= ENOUGH, f"{who} narrows {m.name} 的身份证号 to {left} candidates"


def test_the_welfare_member_sees_birthdays_but_no_digit_of_the_id(client, school_a, roster):
    welfare = grant(UserFactory(username="welfare_a"), school_a, "welfare")
    texts = _collect(client, welfare, school_a)
    li = roster[0]
    assert _known_dates(texts, li) == [li.birth_date]  # the birthday list is theirs to use
    assert _shown_id(texts, li) == "*" * 18
    assert privacy.shown_id_number(welfare, school_a, li.id_number) == "*" * 18


def test_a_plain_member_sees_no_birthday_list_and_ages_by_year(client, member_a, school_a, roster):
    client.force_login(member_a)
    html = client.get(reverse("core:dashboard", args=[school_a.pk])).content.decode()
    assert "本月生日" not in html and "即将退休" not in html
    listed = client.get(reverse("members:list", args=[school_a.pk]) + "?list=birthdays").content.decode()
    assert "王芳" in listed  # the filter is ignored: the whole roster, not this month's birthdays
    today = timezone.localdate()
    wang = roster[1]
    assert privacy.shown_age(member_a, school_a, wang.birth_date, today) == today.year - 1992


def test_the_chair_still_sees_the_full_record(client, chair_a, school_a, roster):
    li = roster[0]
    client.force_login(chair_a)
    html = client.get(reverse("members:detail", args=[school_a.pk, li.pk])).content.decode()
    assert li.id_number in html and f"{li.birth_date:%Y-%m-%d}" in html
