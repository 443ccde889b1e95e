"""活动 pages: the list, one activity (sign up, check in, roster, photos, cost), the 行事历 (month and
year), participation, and the calendar feeds.

Views parse, call one service or selector and render; a refused POST re-renders with 422.
"""

import datetime
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.activities import calendars, exporting, forms, ics, recurrence, selectors, services
from jiaogong.activities.models import Activity, CalendarFeed, Photo, Registration
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view

app_name = "activities"

UPCOMING_DAYS = 45


def _now():
    return timezone.now()


def _int(value, default, lo, hi):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if lo <= number <= hi else default


# ---- the list -----------------------------------------------------------------------------------------

STATUS_FILTERS = [("", "全部"), *Activity.Status.choices]


@login_required
@org_view("activities.view", "activities")
def home(request, org):
    today = timezone.localdate(_now())
    status = request.GET.get("status", "")
    if status not in Activity.Status.values:
        status = ""
    member = selectors.member_of(request.user, org)
    return render(
        request,
        "activities/home.html",
        {
            "org": org,
            "page_title": "活动",
            "can_manage": can(request.user, org, "activities.manage"),
            "upcoming": selectors.occurrences_between(
                org, today, today + datetime.timedelta(days=UPCOMING_DAYS)
            )[:30],
            "horizon": UPCOMING_DAYS,
            "mine": selectors.my_registrations(org, member),
            "status": status,
            "status_filters": STATUS_FILTERS,
            "activities": selectors.activities_of(org, status=status)[:100],
        },
    )


# ---- 行事历 -------------------------------------------------------------------------------------------


def _day_cells(org, start: datetime.date, end: datetime.date):
    occurrences = selectors.occurrences_between(org, start, end)
    by_day: dict[datetime.date, list] = {}
    for o in occurrences:
        by_day.setdefault(o.date, []).append(o)
    marks = selectors.day_marks(start, end)
    return by_day, marks


def _phone_days(dates, by_day, marks) -> list[dict]:
    rows: list[dict] = []
    for d in dates:
        items, mark = by_day.get(d, []), marks.get(d)
        last = rows[-1] if rows else None
        if (
            last
            and not items
            and not last["occurrences"]
            and last["mark"] == mark
            and (d - last["end"]).days == 1
        ):
            last["end"] = d
            continue
        rows.append(
            {
                "date": d,
                "end": d,
                "weekday": "一二三四五六日"[d.weekday()],
                "occurrences": items,
                "mark": mark,
            }
        )
    return rows


@login_required
@org_view("activities.view", "activities")
def calendar(request, org):
    today = timezone.localdate(_now())
    view = "year" if request.GET.get("view") == "year" else "month"
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    context = {"org": org, "tab": "calendar", "view": view, "year": year, "today": today}
    if view == "month":
        month = _int(request.GET.get("month"), today.month if year == today.year else 1, 1, 12)
        weeks = calendars.month_weeks(year, month)
        by_day, marks = _day_cells(org, weeks[0][0], weeks[-1][-1])
        context.update(
            page_title=f"行事历 {year}年{month}月",
            month=month,
            prev=calendars.shift_month(year, month, -1),
            next=calendars.shift_month(year, month, 1),
            weeks=[
                [
                    {
                        "date": d,
                        "in_month": d.month == month,
                        "occurrences": by_day.get(d, []),
                        "mark": marks.get(d),
                        "weekend": d.weekday() >= 5,
                    }
                    for d in week
                ]
                for week in weeks
            ],
            # The phone list: the month's days that have something (an activity or a holiday mark);
            # a run of holiday days with nothing on them is one line ("10月1日–7日 国庆节").
            days=_phone_days(
                [d for week in weeks for d in week if d.month == month and (by_day.get(d) or marks.get(d))],
                by_day,
                marks,
            ),
        )
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        by_day, marks = _day_cells(org, start, end)
        months = []
        for m in range(1, 13):
            items = [o for d, os in sorted(by_day.items()) if d.month == m for o in os]
            holidays = []
            for d, mark in sorted(marks.items()):
                if d.month == m and (
                    not holidays or holidays[-1]["label"] != mark.label or (d - holidays[-1]["end"]).days > 1
                ):
                    holidays.append({"label": mark.label, "start": d, "end": d, "off": mark.off})
                elif d.month == m:
                    holidays[-1]["end"] = d
            months.append({"month": m, "occurrences": items, "holidays": holidays})
        context.update(page_title=f"行事历 {year}年", months=months, prev_year=year - 1, next_year=year + 1)
    return render(request, "activities/calendar.html", context)


# ---- 参与统计 -----------------------------------------------------------------------------------------


def _participation_args(request, org):
    today = timezone.localdate(_now())
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    group = request.GET.get("group", "")
    group_id = _int(group, None, 0, 2**31) if group != "" else None
    from jiaogong.members.models import UnionGroup

    groups = list(UnionGroup.objects.filter(org=org).order_by("name"))
    if group_id not in (None, 0) and group_id not in {g.pk for g in groups}:
        group_id = None
    return year, group_id, groups


@login_required
@org_view("activities.manage", "activities")
def participation(request, org):
    year, group_id, groups = _participation_args(request, org)
    stats = selectors.participation(org, year, group_id=group_id)
    context = {
        "org": org,
        "tab": "participation",
        "page_title": f"{year}年活动参与统计",
        "year": year,
        "years": range(timezone.localdate(_now()).year + 1, timezone.localdate(_now()).year - 5, -1),
        "group_id": group_id,
        "groups": groups,
        "stats": stats,
        "query": request.GET.urlencode(),
    }
    template = "activities/_participation.html" if request.htmx else "activities/participation.html"
    return render(request, template, context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ICS = "text/calendar; charset=utf-8"


def _message(error: DomainError) -> str:
    return "；".join(error.fields.values()) if error.fields else error.message


def _qr_svg(data: str, scale: int = 6) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2)
    return buffer.getvalue().decode()


# ---- one activity ---------------------------------------------------------------------------------------


def _activity_page(request, org, activity, *, forms_in=None, status=200):
    now = _now()
    manager = can(request.user, org, "activities.manage")
    member = selectors.member_of(request.user, org)
    mine = selectors.registration_of(activity, member)
    upcoming = selectors.next_occurrence(activity, now)
    today = timezone.localdate(now)
    today_occurrence = selectors.occurrence_on(activity, today)
    checkin_url = request.build_absolute_uri(
        reverse("activities:checkin", args=[org.pk, activity.checkin_token])
    )
    counts = selectors.counts(activity)
    deadline_passed = bool(activity.registration_deadline and now > activity.registration_deadline)
    forms_in = forms_in or {}
    context = {
        "org": org,
        "page_title": activity.title,
        "activity": activity,
        "can_manage": manager,
        "can_post": can(request.user, org, "funds.write"),
        "can_funds": can(request.user, org, "funds.view"),
        "member": member,
        "mine": mine,
        "position": selectors.waitlist_position(mine) if mine else None,
        "counts": counts,
        "places_left": None if activity.capacity is None else max(activity.capacity - counts["confirmed"], 0),
        "deadline_passed": deadline_passed,
        "can_register": activity.registration
        and activity.status != Activity.Status.CANCELLED
        and not deadline_passed
        and (activity.rrule or (activity.status == Activity.Status.PLANNED and now < activity.starts_at)),
        "repeat": recurrence.describe(activity.rrule, timezone.localtime(activity.starts_at).tzinfo),
        "upcoming": upcoming,
        "today_occurrence": today_occurrence,
        "checked_in_today": bool(
            member
            and today_occurrence
            and activity.attendances.filter(occurs_on=today, member=member).exists()
        ),
        "photos": activity.photos.all(),
        "attendance_days": selectors.attendance_days(activity),
    }
    if manager:
        qr_occurrence = today_occurrence or upcoming
        context.update(
            checkin_url=checkin_url,
            qr=_qr_svg(checkin_url) if activity.status != Activity.Status.CANCELLED else "",
            qr_occurrence=qr_occurrence,
            summary_form=forms_in.get("summary") or forms.SummaryForm(initial={"summary": activity.summary}),
            photo_form=forms_in.get("photo") or forms.PhotoForm(),
            cost_form=forms_in.get("cost") or forms.CostForm(initial={"cost": activity.cost}),
            cancel_form=forms_in.get("cancel") or forms.CancelForm(),
            registrations=selectors.registrations(activity).exclude(status=Registration.Status.CANCELLED),
        )
    if context["can_post"] and activity.cost and not activity.ledger_entry_id:
        context["post_form"] = forms_in.get("post") or forms.PostCostForm(
            initial={"subcategory": services._default_subcategory(activity.kind), "date": today}
        )
    context["error"] = forms_in.get("error", "")
    return render(request, "activities/activity.html", context, status=status)


@login_required
@org_view("activities.view", "activities")
def detail(request, org, activity_id):
    return _activity_page(request, org, selectors.activity_for(org, activity_id))


def _activity_form_page(request, org, form, activity=None, status=200, plan_item=None):
    return render(
        request,
        "activities/activity_form.html",
        {
            "org": org,
            "page_title": f"修改：{activity.title}" if activity else "新建活动",
            "form": form,
            "activity": activity,
            "plan_item": plan_item,
        },
        status=status,
    )


@login_required
@org_view("activities.manage", "activities")
def new(request, org):
    """A new activity; from a plan's schedule item (?plan_item=) the form starts from the item and
    the activity is linked to it when saved."""
    item = _plan_item(request, org)
    initial = {"start_time": "16:20", "end_time": "17:00"}
    if item is not None:
        from jiaogong.plans import selectors as plan_selectors

        start = plan_selectors.item_range(item)
        initial.update(title=item.text[:100], date=start[0] if start else None)
    form = forms.ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is not None:
                from jiaogong.plans import services as plan_services

                activity = plan_services.create_activity_for_item(
                    actor=request.user, item=item, **form.service_kwargs
                )
            else:
                activity = services.create_activity(actor=request.user, org=org, **form.service_kwargs)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            done = "，并已关联到工作计划" if item is not None else ""
            messages.success(request, f"已创建活动“{activity.title}”{done}。")
            return redirect("activities:detail", org.pk, activity.pk)
    page = _activity_form_page(request, org, form, status=422 if form.errors else 200, plan_item=item)
    return page


def _plan_item(request, org):
    """The plan item an activity is created for (404 for another org's; 403 without plans.manage)."""
    item_id = request.POST.get("plan_item") or request.GET.get("plan_item")
    if not item_id:
        return None
    if not can(request.user, org, "plans.manage"):
        raise PermissionDenied("您的角色不能修改工作计划。")
    from jiaogong.plans import selectors as plan_selectors

    try:
        return plan_selectors.item_for(org, int(item_id))
    except (TypeError, ValueError):
        raise Http404("没有找到该项目。") from None


@login_required
@org_view("activities.manage", "activities")
def edit(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    form = forms.ActivityForm(request.POST or None, initial=forms.ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.update_activity(
                actor=request.user, org=org, activity=activity, **form.service_kwargs
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "活动已修改。")
            return redirect("activities:detail", org.pk, activity.pk)
    return _activity_form_page(request, org, form, activity, status=422 if form.errors else 200)


@login_required
@org_view("activities.manage", "activities")
@require_POST
def cancel(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    form = forms.CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid", "；".join(e for errs in form.errors.values() for e in errs))
        services.cancel_activity(
            actor=request.user, org=org, activity=activity, reason=form.cleaned_data["reason"]
        )
    except DomainError as e:
        return _activity_page(
            request, org, activity, forms_in={"cancel": form, "error": _message(e)}, status=422
        )
    messages.success(request, f"活动“{activity.title}”已取消。")
    return redirect("activities:detail", org.pk, activity.pk)


@login_required
@org_view("activities.manage", "activities")
@require_POST
def held(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    try:
        services.mark_held(actor=request.user, org=org, activity=activity)
    except DomainError as e:
        return _activity_page(request, org, activity, forms_in={"error": _message(e)}, status=422)
    messages.success(request, "已标记为已举行。")
    return redirect("activities:detail", org.pk, activity.pk)


@login_required
@org_view("activities.view", "activities")
@require_POST
def register(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    try:
        reg = services.register(actor=request.user, org=org, activity=activity)
    except DomainError as e:
        return _activity_page(request, org, activity, forms_in={"error": _message(e)}, status=422)
    if reg.status == Registration.Status.CONFIRMED:
        messages.success(request, f"报名成功：{activity.title}。")
    else:
        messages.success(request, "名额已满，您已进入候补名单；有人取消时按顺序递补，递补成功会通知您。")
    return redirect("activities:detail", org.pk, activity.pk)


@login_required
@org_view("activities.view", "activities")
@require_POST
def unregister(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    try:
        services.cancel_registration(actor=request.user, org=org, activity=activity)
    except DomainError as e:
        return _activity_page(request, org, activity, forms_in={"error": _message(e)}, status=422)
    messages.success(request, "已取消报名。")
    return redirect("activities:detail", org.pk, activity.pk)


@login_required
@org_view("activities.manage", "activities")
@require_POST
def withdraw(request, org, activity_id, registration_id):
    """The organiser withdraws a member's sign-up (they asked, or cannot come); the first waitlisted
    member moves up, as when a member cancels themself."""
    activity = selectors.activity_for(org, activity_id)
    reg = get_object_or_404(
        Registration.objects.select_related("member"), pk=registration_id, activity=activity, org=org
    )
    try:
        promoted = services.cancel_registration(
            actor=request.user, org=org, activity=activity, member=reg.member
        )
    except DomainError as e:
        return _activity_page(request, org, activity, forms_in={"error": _message(e)}, status=422)
    moved = f"，{promoted.member.name}由候补转为报名成功" if promoted else ""
    messages.success(request, f"已取消{reg.member.name}的报名{moved}。")
    return redirect("activities:detail", org.pk, activity.pk)


@login_required
@org_view("activities.manage", "activities")
@require_POST
def summary(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    form = forms.SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.save_summary(
                actor=request.user, org=org, activity=activity, summary=form.cleaned_data["summary"]
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "活动小结已保存。")
            return redirect("activities:detail", org.pk, activity.pk)
    return _activity_page(request, org, activity, forms_in={"summary": form}, status=422)


@login_required
@org_view("activities.manage", "activities")
@require_POST
def photo_add(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                actor=request.user,
                org=org,
                activity=activity,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "照片已上传。")
            return redirect("activities:detail", org.pk, activity.pk)
    return _activity_page(request, org, activity, forms_in={"photo": form}, status=422)


@login_required
@org_view("activities.view", "activities")
def photo(request, org, photo_id):
    """An activity photo, only through this view after the org check (never a public file)."""
    item = get_object_or_404(Photo, org=org, pk=photo_id)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件不见了，请联系管理员。") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@org_view("activities.manage", "activities")
@require_POST
def cost(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    form = forms.CostForm(request.POST)
    if form.is_valid():
        try:
            services.set_cost(actor=request.user, org=org, activity=activity, cost=form.cleaned_data["cost"])
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request,
                "活动费用已保存，请财务委员记账。" if form.cleaned_data["cost"] else "已清除活动费用。",
            )
            return redirect("activities:detail", org.pk, activity.pk)
    return _activity_page(request, org, activity, forms_in={"cost": form}, status=422)


@login_required
@org_view("funds.write", "activities")
@require_POST
def post_cost(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    form = forms.PostCostForm(request.POST)
    if form.is_valid():
        try:
            entry = services.post_cost(actor=request.user, org=org, activity=activity, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request, f"已记入账簿：第 {entry.pk} 号凭证，职工活动支出 {entry.amount:.2f} 元。"
            )
            return redirect("activities:detail", org.pk, activity.pk)
    return _activity_page(request, org, activity, forms_in={"post": form}, status=422)


# ---- check-in and the roster --------------------------------------------------------------------------


def _checkin_page(request, org, activity, *, error="", status=200):
    now = _now()
    today = timezone.localdate(now)
    occurrence = selectors.occurrence_on(activity, today)
    member = selectors.member_of(request.user, org)
    done = None
    if member is not None and occurrence is not None:
        done = activity.attendances.filter(occurs_on=today, member=member).first()
    window = services.checkin_window(occurrence) if occurrence else None
    return render(
        request,
        "activities/checkin.html",
        {
            "org": org,
            "page_title": f"签到：{activity.title}",
            "activity": activity,
            "occurrence": occurrence,
            "member": member,
            "done": done,
            "open": bool(window and window[0] <= now <= window[1])
            and activity.status != Activity.Status.CANCELLED,
            "window": window,
            "next": selectors.next_occurrence(activity, now) if occurrence is None else None,
            "error": error,
        },
        status=status,
    )


@login_required
@org_view("activities.view", "activities")
def checkin(request, org, token):
    """What the QR code opens: the member taps 签到 (a wrong token is a 404)."""
    activity = selectors.activity_by_token(org, token)
    if request.method == "POST":
        try:
            services.check_in(actor=request.user, org=org, activity=activity)
        except DomainError as e:
            return _checkin_page(request, org, activity, error=_message(e), status=422)
        return redirect("activities:checkin", org.pk, token)
    return _checkin_page(request, org, activity)


def _roster_days(activity, today):
    """The dates the roster can be kept for: the activity's occurrences up to today (latest first)."""
    start = timezone.localtime(activity.starts_at)
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    return [o.date for o in reversed(selectors.occurrences_of(activity, start, end))]


@login_required
@org_view("activities.manage", "activities")
def roster(request, org, activity_id):
    activity = selectors.activity_for(org, activity_id)
    today = timezone.localdate(_now())
    days = _roster_days(activity, today)
    try:
        day = datetime.date.fromisoformat(request.POST.get("day") or request.GET.get("day") or "")
    except ValueError:
        day = days[0] if days else None
    error, status = "", 200
    if request.method == "POST":
        try:
            result = services.set_attendance(
                actor=request.user,
                org=org,
                activity=activity,
                day=day,
                member_ids=request.POST.getlist("present"),
            )
        except DomainError as e:
            error, status = _message(e), 422
        else:
            messages.success(request, f"{day:%m-%d} 出勤已保存：{result['present']} 人。")
            return redirect(
                reverse("activities:roster", args=[org.pk, activity.pk]) + f"?day={day.isoformat()}"
            )
    from jiaogong.members.models import Member

    present = {}
    if day is not None:
        present = {a.member_id: a for a in selectors.attendance_on(activity, day)}
    registered = {
        r.member_id: r
        for r in selectors.registrations(activity).exclude(status=Registration.Status.CANCELLED)
    }
    people = Member.objects.filter(
        org=org, status__in=[Member.Status.ACTIVE, Member.Status.RETIRED]
    ).select_related("union_group")
    rows = [
        {"member": m, "registration": registered.get(m.pk), "attendance": present.get(m.pk)} for m in people
    ]
    # Those who signed up first, then the rest; present people among the others show too.
    rows.sort(key=lambda r: (r["registration"] is None, r["member"].name_pinyin))
    return render(
        request,
        "activities/roster.html",
        {
            "org": org,
            "page_title": f"出勤：{activity.title}",
            "activity": activity,
            "days": days,
            "day": day,
            "rows": rows,
            "present_count": len(present),
            "error": error,
        },
        status=status,
    )


@login_required
@org_view("activities.manage", "activities")
def signin_sheet(request, org, activity_id, fmt):
    activity = selectors.activity_for(org, activity_id)
    if fmt not in ("xlsx", "docx"):
        raise Http404("没有这种格式。")
    body = exporting.signin_xlsx(activity) if fmt == "xlsx" else exporting.signin_docx(activity)
    response = HttpResponse(body, content_type=XLSX if fmt == "xlsx" else DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{activity.title}签到表.{fmt}")
    return response


@login_required
@org_view("activities.manage", "activities")
def participation_xlsx(request, org):
    year, group_id, _groups = _participation_args(request, org)
    body = exporting.participation_xlsx(selectors.participation(org, year, group_id=group_id), org=org)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年活动参与统计.xlsx")
    return response


# ---- calendar feeds -----------------------------------------------------------------------------------


def _ics_response(request, org, *, member=None, name: str):
    def url_for(activity):
        return request.build_absolute_uri(reverse("activities:detail", args=[org.pk, activity.pk]))

    body = ics.calendar_ics(org, name=name, url_for=url_for, member=member)
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = content_disposition_header(False, "calendar.ics")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@org_view("activities.view", "activities")
def org_feed(request, org):
    """The org's calendar for whoever is logged in (download, or import once)."""
    return _ics_response(request, org, name=f"{org.name}行事历")


def member_feed(request, token):
    """A member's private feed: the secret in the address is the credential (no login, as a phone's
    calendar app fetches it); a reset token is a 404."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("member", "org"), token=str(token))
    if not feed.member.is_member or feed.member.org_id != feed.org_id:
        raise Http404("订阅地址已失效。")
    return _ics_response(request, feed.org, member=feed.member, name=f"{feed.org.name}行事历")


@login_required
@org_view("activities.view", "activities")
def subscribe(request, org):
    """My private subscription: the webcal:// link, and a button that gives it a new address."""
    if selectors.member_of(request.user, org) is None:
        raise PermissionDenied("您的账号没有关联本校会员档案，不能订阅个人日历；可以下载本校行事历。")
    if request.method == "POST":
        feed = services.calendar_feed(
            actor=request.user, org=org, reset=request.POST.get("action") == "reset"
        )
        if request.POST.get("action") == "reset":
            messages.success(request, "已换成新的订阅地址；旧地址不再可用，请在手机上重新订阅。")
        return redirect("activities:subscribe", org.pk)
    feed = CalendarFeed.objects.filter(member=request.user.member).first()
    https_url = (
        request.build_absolute_uri(reverse("activities:member_feed", args=[feed.token]))
        if feed is not None
        else ""
    )
    return render(
        request,
        "activities/subscribe.html",
        {
            "org": org,
            "tab": "calendar",
            "page_title": "订阅行事历",
            "feed": feed,
            "https_url": https_url,
            "webcal_url": "webcal://" + https_url.split("://", 1)[1] if https_url else "",
        },
    )


urlpatterns = [
    path("o/<int:org_id>/activities/", home, name="home"),
    path("o/<int:org_id>/activities/new/", new, name="new"),
    path("o/<int:org_id>/activities/<int:activity_id>/", detail, name="detail"),
    path("o/<int:org_id>/activities/<int:activity_id>/edit/", edit, name="edit"),
    path("o/<int:org_id>/activities/<int:activity_id>/cancel/", cancel, name="cancel"),
    path("o/<int:org_id>/activities/<int:activity_id>/held/", held, name="held"),
    path("o/<int:org_id>/activities/<int:activity_id>/register/", register, name="register"),
    path("o/<int:org_id>/activities/<int:activity_id>/unregister/", unregister, name="unregister"),
    path(
        "o/<int:org_id>/activities/<int:activity_id>/registrations/<int:registration_id>/withdraw/",
        withdraw,
        name="withdraw",
    ),
    path("o/<int:org_id>/activities/<int:activity_id>/summary/", summary, name="summary"),
    path("o/<int:org_id>/activities/<int:activity_id>/photos/", photo_add, name="photo_add"),
    path("o/<int:org_id>/activities/<int:activity_id>/cost/", cost, name="cost"),
    path("o/<int:org_id>/activities/<int:activity_id>/post-cost/", post_cost, name="post_cost"),
    path("o/<int:org_id>/activities/<int:activity_id>/roster/", roster, name="roster"),
    path("o/<int:org_id>/activities/<int:activity_id>/sign-in.<str:fmt>", signin_sheet, name="signin_sheet"),
    path("o/<int:org_id>/activities/photos/<int:photo_id>/", photo, name="photo"),
    path("o/<int:org_id>/activities/checkin/<str:token>/", checkin, name="checkin"),
    path("o/<int:org_id>/activities/participation.xlsx", participation_xlsx, name="participation_xlsx"),
    path("o/<int:org_id>/activities/calendar.ics", org_feed, name="org_feed"),
    path("o/<int:org_id>/activities/calendar/subscribe/", subscribe, name="subscribe"),
    path("calendar/feed/<str:token>.ics", member_feed, name="member_feed"),
    path("o/<int:org_id>/activities/calendar/", calendar, name="calendar"),
    path("o/<int:org_id>/activities/participation/", participation, name="participation"),
]
