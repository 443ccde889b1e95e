"""API v1: 活动与行事历 (API.md, "Activities and calendar")."""

import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status

from jiaogong.activities import ics, selectors, services
from jiaogong.activities.models import Activity
from jiaogong.api.schemas import ErrorOut
from jiaogong.core.permissions import org_for

router = Router(tags=["活动与行事历"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ActivityIn(Schema):
    title: str
    kind: str = Field(description="类型：" + "、".join(f"{v} {label}" for v, label in Activity.Kind.choices))
    starts_at: datetime.datetime = Field(description="开始时间（ISO 8601，带时区），重复活动为第一次")
    ends_at: datetime.datetime
    capacity: int | None = Field(None, description="名额；给出名额即需要报名，满额后报名进入候补")
    rrule: str = Field("", description="RFC 5545 RRULE，如每两周周五 FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")
    registration: bool | None = Field(None, description="是否需要报名（默认：给出名额或截止时间即需要）")
    registration_deadline: datetime.datetime | None = None
    location: str = ""
    description: str = ""
    skip_dates: list[datetime.date] = Field(
        default_factory=list, description="重复活动中不举行的日期（EXDATE）"
    )


class ActivityOut(Schema):
    id: int
    org: int
    title: str
    kind: str
    kind_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    rrule: str
    skip_dates: list[str]
    location: str
    description: str
    registration: bool
    capacity: int | None
    registration_deadline: datetime.datetime | None
    status: str = Field(description="planned 筹备中、held 已举行、cancelled 已取消")
    confirmed: int
    waitlisted: int


class ActivitiesOut(Schema):
    count: int
    items: list[ActivityOut]


class RegistrationOut(Schema):
    id: int
    activity: int
    member: int
    status: str = Field(description="confirmed 报名成功、waitlisted 候补")
    position: int | None = Field(None, description="候补的位次（1 为下一个递补）")


def activity_out(activity: Activity) -> dict:
    counts = selectors.counts(activity)
    return {
        "id": activity.pk,
        "org": activity.org_id,
        "title": activity.title,
        "kind": activity.kind,
        "kind_label": activity.get_kind_display(),
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "rrule": activity.rrule,
        "skip_dates": list(activity.skip_dates or []),
        "location": activity.location,
        "description": activity.description,
        "registration": activity.registration,
        "capacity": activity.capacity,
        "registration_deadline": activity.registration_deadline,
        "status": activity.status,
        "confirmed": counts["confirmed"],
        "waitlisted": counts["waitlisted"],
    }


def _activity(user, activity_id: int, capability: str) -> tuple[object, Activity]:
    """The activity and its org for the caller: another org's activity is a 404, a wrong role 403."""
    org_id = Activity.objects.filter(pk=activity_id).values_list("org_id", flat=True).first()
    if org_id is None:
        raise Http404("没有找到该活动。")
    org = org_for(user, org_id, capability)
    return org, selectors.activity_for(org, activity_id)


@router.post("/orgs/{int:org}/activities", response={201: ActivityOut, **ERRORS}, summary="新建活动")
def create_activity(request, org: int, payload: ActivityIn):
    """工会主席、副主席、组织/宣传/文体/女工委员。重复活动写 RRULE；名额满后报名进入候补。"""
    the_org = org_for(request.auth, org, "activities.manage")
    activity = services.create_activity(actor=request.auth, org=the_org, **payload.dict())
    return Status(201, activity_out(activity))


@router.get("/orgs/{int:org}/activities", response={200: ActivitiesOut, **ERRORS}, summary="活动列表")
def list_activities(request, org: int, status: str = "", year: int | None = None):
    """`status`：planned、held、cancelled（默认全部）；`year`：开始年份。"""
    the_org = org_for(request.auth, org, "activities.view")
    if status and status not in Activity.Status.values:
        status = "__none__"
    if year is not None and not 1900 <= year <= 2100:  # no activity then (a calendar error before)
        return {"count": 0, "items": []}
    items = [activity_out(a) for a in selectors.activities_of(the_org, status=status, year=year)[:500]]
    return {"count": len(items), "items": items}


@router.get("/activities/{int:id}", response={200: ActivityOut, **ERRORS}, summary="一项活动")
def get_activity(request, id: int):
    _org, activity = _activity(request.auth, id, "activities.view")
    return activity_out(activity)


@router.post(
    "/activities/{int:id}/registrations", response={201: RegistrationOut, **ERRORS}, summary="报名（本人）"
)
def register(request, id: int):
    """调用者本人报名：有名额为 confirmed，满额为 waitlisted（按报名先后递补）。已截止、已取消 409；
    账号未关联本会在册会员 422 `not_a_member`。"""
    org, activity = _activity(request.auth, id, "activities.view")
    reg = services.register(actor=request.auth, org=org, activity=activity)
    return Status(
        201,
        {
            "id": reg.pk,
            "activity": activity.pk,
            "member": reg.member_id,
            "status": reg.status,
            "position": selectors.waitlist_position(reg),
        },
    )


@router.delete(
    "/activities/{int:id}/registrations/me", response={204: None, **ERRORS}, summary="取消本人报名"
)
def unregister(request, id: int):
    """取消后名额让给候补名单上的第一位（自动转为 confirmed）。"""
    org, activity = _activity(request.auth, id, "activities.view")
    services.cancel_registration(actor=request.auth, org=org, activity=activity)
    return Status(204, None)


@router.get(
    "/orgs/{int:org}/calendar.ics",
    response={200: None, **ERRORS},
    summary="本校行事历（iCalendar）",
    openapi_extra={"responses": {"200": {"description": "RFC 5545", "content": {"text/calendar": {}}}}},
)
def calendar_ics(request, org: int):
    """RFC 5545 日历：重复活动为一条 VEVENT 加 RRULE（不举行的日期为 EXDATE），时区 Asia/Shanghai。"""
    the_org = org_for(request.auth, org, "activities.view")

    def url_for(activity):
        return request.build_absolute_uri(reverse("activities:detail", args=[the_org.pk, activity.pk]))

    body = ics.calendar_ics(the_org, name=f"{the_org.name}行事历", url_for=url_for)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "calendar.ics")
    return response
