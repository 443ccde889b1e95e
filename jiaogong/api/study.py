"""API v1: 学习 — the study sessions of a year and submitting one's 心得 (not in API.md)."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from jiaogong.api.schemas import ErrorOut
from jiaogong.core.permissions import org_for
from jiaogong.members.selectors import own_member
from jiaogong.study import selectors, services
from jiaogong.study.models import StudySession

router = Router(tags=["学习"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StudySessionOut(Schema):
    id: int
    activity: int = Field(description="对应的活动 id（签到、出勤在活动接口）")
    kind: str = Field(description="political_study 政治学习、professional_study 业务学习")
    topic: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    material_text: str
    has_material_file: bool
    reflection_due: datetime.date
    reflections: int = Field(description="已提交心得的人数")
    attendance: int = Field(description="出勤人数")
    my_reflection: bool = Field(description="我是否已提交心得")


class StudySessionsOut(Schema):
    count: int
    items: list[StudySessionOut]


class ReflectionIn(Schema):
    text: str = Field(description="心得体会，不超过 5000 字；截止前再次提交即为修改")


class ReflectionOut(Schema):
    id: int
    session: int
    member: int
    text: str
    submitted_at: datetime.datetime
    updated_at: datetime.datetime


def session_out(session: StudySession, mine: set[int]) -> dict:
    return {
        "id": session.pk,
        "activity": session.activity_id,
        "kind": session.activity.kind,
        "topic": session.topic,
        "starts_at": session.activity.starts_at,
        "ends_at": session.activity.ends_at,
        "location": session.activity.location,
        "material_text": session.material_text,
        "has_material_file": bool(session.material),
        "reflection_due": session.reflection_due,
        "reflections": session.reflections.count(),
        "attendance": selectors.attendance_count(session),
        "my_reflection": session.pk in mine,
    }


@router.get("/orgs/{int:org}/study-sessions", response={200: StudySessionsOut, **ERRORS}, summary="学习安排")
def list_sessions(request, org: int, year: int | None = None):
    """`year` 默认为今年。"""
    the_org = org_for(request.auth, org, "activities.view")
    if year is None or not 2000 <= year <= 2100:  # a year the calendar holds (a 500 before)
        year = timezone.localdate().year
    mine = selectors.my_reflection_ids(the_org, own_member(request.auth, the_org))
    items = [session_out(s, mine) for s in selectors.sessions_of(the_org, year)]
    return {"count": len(items), "items": items}


@router.put(
    "/study-sessions/{int:id}/reflection",
    response={200: ReflectionOut, 201: ReflectionOut, **ERRORS},
    summary="提交或修改我的心得",
)
def submit_reflection(request, id: int, payload: ReflectionIn):
    """本人（账号须关联本单位会员）。首次提交 201，截止前修改 200；截止后 409 `past_deadline`。"""
    org_id = StudySession.objects.filter(pk=id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该学习安排。")
    org = org_for(request.auth, org_id, "activities.view")
    session = selectors.session_or_404(org, id)
    reflection, created = services.submit_reflection(
        actor=request.auth, session=session, member=own_member(request.auth, org), text=payload.text
    )
    body = {
        "id": reflection.pk,
        "session": session.pk,
        "member": reflection.member_id,
        "text": reflection.text,
        "submitted_at": reflection.submitted_at,
        "updated_at": reflection.updated_at,
    }
    return Status(201 if created else 200, body)
