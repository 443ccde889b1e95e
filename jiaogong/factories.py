"""Test data factories (factory-boy) for the tests and the benchmarks; dev-only, never imported by the app."""

import datetime
import io

import factory
import openpyxl

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.core.models import Org
from jiaogong.demo import REGIONS, make_id_number, random_birth  # noqa: F401  (re-exported for the tests)
from jiaogong.members.models import Member, UnionGroup

# The 实名制 collection columns of the roster template (issue #2), written out here rather than
# taken from the importer, so that a change to the importer's columns is caught by the tests.
ROSTER_HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机",
    "入职日期",
    "是否教师",
    "工会小组",
    "入会日期",
    "状态",
]


def roster_xlsx(rows, headers=ROSTER_HEADERS, sheet: str = "会员名册") -> bytes:
    """A roster workbook: a header row, then one row a person (lists, or dicts keyed by header)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org

    name = factory.Sequence(lambda n: f"第{n}小学工会")
    kind = Org.Kind.SCHOOL
    province = "广西"


class UnionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionGroup

    org = factory.SubFactory(OrgFactory)
    name = factory.Sequence(lambda n: f"教研组{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    org = factory.SubFactory(OrgFactory)
    name = factory.Iterator(["张三", "李四", "王五", "赵六", "陈静", "刘洋", "黄丽", "周敏"])
    gender = "M"
    birth_date = factory.LazyFunction(lambda: datetime.date(1985, 5, 20))
    hire_date = factory.LazyFunction(lambda: datetime.date(2008, 9, 1))
    joined_on = factory.LazyFunction(lambda: datetime.date(2008, 10, 1))
    status = Member.Status.ACTIVE
    is_teacher = True
    id_number = factory.LazyAttributeSequence(lambda o, n: make_id_number(o.birth_date, o.gender, n))
    phone = factory.Sequence(lambda n: f"138{n % 100000000:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, org: Org, *roles: str) -> User:
    for role in roles:
        RoleGrant.objects.get_or_create(user=user, org=org, role=role)
    user.__dict__.pop("_roles_cache", None)
    return user


# ---- 教代会 ---------------------------------------------------------------------------------------


def congress_with_delegates(
    org, count: int, *, opens_on=None, number: int = 1, actor=None, present: int = 0, scrutineers: int = 2
):
    """A term and its first session with `count` formal delegates (new active members), for tests;
    the first `present` of them checked in, and the last `scrutineers` of them 监票人 whose key
    shares the server generated (as for API clients): their backup codes are kept in
    SCRUTINEER_CODES for `decrypt()`. `scrutineers=0` leaves the session without a key.

    Returns (congress, delegates). Built directly, not through the services, so that each
    module's tests stand on their own (the 监票人 through theirs: the key must be real)."""
    from jiaogong.congress.models import Attendance, Congress, CongressTerm, Delegate

    opens_on = opens_on or datetime.date(2026, 12, 10)
    term = CongressTerm.objects.create(org=org, number=number, started_on=opens_on, years=5)
    congress = Congress.objects.create(
        org=org, term=term, number=1, title=f"第{number}届第一次教职工代表大会", opens_on=opens_on
    )
    delegates = [
        Delegate.objects.create(org=org, term=term, member=MemberFactory(org=org), elected_on=opens_on)
        for _ in range(count)
    ]
    Attendance.objects.bulk_create(
        Attendance(congress=congress, delegate=d, method="api") for d in delegates[:present]
    )
    if scrutineers and count >= 2:
        appoint_scrutineers(congress, delegates[-min(scrutineers, count) :])
    return congress, delegates


# The backup codes of the 监票人 that the tests appointed, by session: the tests play their phones.
SCRUTINEER_CODES: dict[int, dict[int, str]] = {}


def appoint_scrutineers(congress, delegates) -> dict[int, str]:
    """Name these delegates 监票人 and have each register a server-generated share; returns (and
    keeps) {member id: backup code}."""
    from jiaogong.congress import scrutiny

    scrutiny.name_scrutineers(actor=None, congress=congress, members=[d.member_id for d in delegates])
    codes = {
        d.member_id: scrutiny.register_key_share(user=delegate_user(d), congress=congress) for d in delegates
    }
    SCRUTINEER_CODES[congress.pk] = codes
    congress.refresh_from_db()
    return codes


def decrypt(target, *, skip: int = 0):
    """Every 监票人 (but the last `skip`) decrypts `target` (a Poll or an Appraisal in counting) with
    their backup code, as an API client would. Returns the target, refreshed."""
    from jiaogong.congress import appraisals, voting
    from jiaogong.congress.models import Poll, Scrutineer

    codes = SCRUTINEER_CODES[target.congress_id]
    scrutineers = list(Scrutineer.objects.filter(congress_id=target.congress_id).order_by("position"))
    for s in scrutineers[: len(scrutineers) - skip]:
        user = User.objects.filter(member_id=s.member_id).first()
        if isinstance(target, Poll):
            voting.submit_partial_decryption(user=user, poll=target, backup_code=codes[s.member_id])
        else:
            appraisals.submit_partial_decryption(user=user, appraisal=target, backup_code=codes[s.member_id])
    target.refresh_from_db()
    return target


def close_and_count_appraisal(actor, appraisal) -> dict:
    """Close a 民主评议 and have its 监票人 decrypt it: the published result."""
    from jiaogong.congress import appraisals

    appraisals.close_appraisal(actor=actor, appraisal=appraisal)
    return appraisals.kept_result(decrypt(appraisal))


def close_and_count(actor, poll) -> dict:
    """Close a poll; a secret one is then decrypted by its 监票人. The published result."""
    from jiaogong.congress import voting

    outcome = voting.close_poll(actor=actor, poll=poll)
    if poll.kind == "named":
        return outcome
    return voting.result(decrypt(poll))


def delegate_user(delegate) -> User:
    """A login for a delegate's member (role: member), so the delegate can act through the API.
    The same user every time for the same member (a member has one login)."""
    existing = User.objects.filter(member=delegate.member).first()
    if existing is not None:
        return existing
    user = UserFactory(member=delegate.member)
    return grant(user, delegate.org, "member")
