"""学习 reads, scoped by org: another org's session is a 404."""

from dataclasses import dataclass

from django.db.models import Count
from django.shortcuts import get_object_or_404

from jiaogong.activities.models import Attendance
from jiaogong.members.models import Member
from jiaogong.study import rules, services
from jiaogong.study.models import ReadingAward, ReadingLog, Reflection, StudySession


def sessions_of(org, year: int | None = None):
    qs = StudySession.objects.filter(org=org).select_related("activity")
    if year is not None:
        qs = qs.filter(activity__starts_at__year=year)
    return qs.annotate(reflection_count=Count("reflections", distinct=True))


def session_or_404(org, session_id) -> StudySession:
    return get_object_or_404(StudySession.objects.select_related("activity", "org"), org=org, pk=session_id)


def attendance_count(session: StudySession) -> int:
    """Members present (any day of the session), each once."""
    return Attendance.objects.filter(activity=session.activity).values("member").distinct().count()


def present_ids(session: StudySession) -> set[int]:
    return set(Attendance.objects.filter(activity=session.activity).values_list("member_id", flat=True))


def expected_members(org):
    """Who a study session is for: the members on the roll."""
    return (
        Member.objects.filter(org=org, status=Member.Status.ACTIVE)
        .select_related("union_group")
        .order_by("name_pinyin", "pk")
    )


def reflection_of(session: StudySession, member) -> Reflection | None:
    if member is None:
        return None
    return Reflection.objects.filter(session=session, member=member).first()


@dataclass
class SubmissionList:
    submitted: list[Reflection]
    missing: list[Member]


def submissions(session: StudySession) -> SubmissionList:
    done = list(
        Reflection.objects.filter(session=session).select_related("member").order_by("member__name_pinyin")
    )
    ids = {r.member_id for r in done}
    return SubmissionList(done, [m for m in expected_members(session.org) if m.pk not in ids])


def my_reflection_ids(org, member) -> set[int]:
    if member is None:
        return set()
    return set(Reflection.objects.filter(org=org, member=member).values_list("session_id", flat=True))


def logs_of(member, year: int):
    if member is None:
        return ReadingLog.objects.none()
    return ReadingLog.objects.filter(member=member, year=year)


@dataclass
class RankedReader:
    candidate: rules.Candidate
    member: Member
    proposed: bool
    selected: bool


def reading_board(org, year: int) -> dict:
    ranking = services.ranking(org, year)
    cap = rules.award_cap(len(ranking), services.award_share(org))
    proposed = set(rules.propose(ranking, cap))
    selected = set(ReadingAward.objects.filter(org=org, year=year).values_list("member_id", flat=True))
    people = Member.objects.select_related("union_group").in_bulk([c.member_id for c in ranking])
    return {
        "rows": [
            RankedReader(c, people[c.member_id], c.member_id in proposed, c.member_id in selected)
            for c in ranking
        ],
        "cap": cap,
        "readers": len(ranking),
        "books": ReadingLog.objects.filter(org=org, year=year).count(),
        "selected": len(selected),
    }


def awardees(org, year: int):
    return ReadingAward.objects.filter(org=org, year=year).select_related("member", "member__union_group")
