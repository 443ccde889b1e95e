"""送温暖 pages: the hub, reporting a care event (any member, on a phone), the queue and one event
with its assignment and visit, my visits, the visit photo (permission-checked), greeting batches
(festivals, birthdays) with their sign-off sheets, and the retirees with their 座谈会.

Views parse, call one service or selector and render; a refused POST re-renders with 422.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.funds import caps as caps_rules
from jiaogong.members import privacy as member_privacy
from jiaogong.members.models import Member
from jiaogong.welfare import exporting, forms, selectors, services
from jiaogong.welfare.models import VisitPhoto

app_name = "welfare"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today():
    return timezone.localdate()


def _event_rows(org, events, today):
    labels = {k: t.label for k, t in selectors.triggers(org).items()}
    return [
        {
            "event": e,
            "label": labels.get(e.kind, e.kind),
            "overdue": e.is_overdue(today),
        }
        for e in events
    ]


# ---- the hub ------------------------------------------------------------------------------------------


def _more_links(user, org) -> list[tuple[str, str]]:
    """The rest of 送温暖/维权, each as its managers' page or, for everyone else, their own."""
    links = []
    for label, manage, managed, own in (
        ("体检与妇检", "checkups.manage", "checkups:home", "checkups:mine"),
        ("互助保障", "mutual_aid.manage", "mutual_aid:home", "mutual_aid:mine"),
    ):
        links.append((label, reverse(managed if can(user, org, manage) else own, args=[org.pk])))
    if can(user, org, "recuperation.apply"):
        links.append(("疗休养", reverse("recuperation:home", args=[org.pk])))
    if can(user, org, "rights.view"):
        links.append(("维权：调解与集体合同", reverse("rights:home", args=[org.pk])))
    return links


@login_required
@org_view("welfare.report", "welfare")
def home(request, org):
    today = _today()
    manager = can(request.user, org, "welfare.view")
    context = {
        "org": org,
        "page_title": "送温暖",
        "can_manage": manager,
        "can_hardship": can(request.user, org, "hardship.view"),
        "more": _more_links(request.user, org),
        "mine": _event_rows(org, selectors.my_visits(request.user, org).exclude(status="visited"), today),
        "reports": _event_rows(org, selectors.my_reports(request.user, org)[:5], today),
    }
    if manager:
        context["counts"] = selectors.queue_counts(org, today)
        context["queue"] = _event_rows(org, selectors.queue(org, today, "open")[:10], today)
        context["batches"] = selectors.batches_of(org)[:5]
    return render(request, "welfare/home.html", context)


# ---- care events --------------------------------------------------------------------------------------


@login_required
@org_view("welfare.report", "welfare")
def report(request, org):
    me = getattr(request.user, "member", None)
    initial = {"occurred_on": _today(), "member": str(me.pk) if me and me.org_id == org.pk else ""}
    if request.GET.get("member", "").isdigit():
        initial["member"] = request.GET["member"]
    form = forms.ReportForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.report_event(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request,
                f"已报告：{event.member.name}·{selectors.kind_label(org, event.kind)}。"
                f"生活委员会在 {event.visit_due_on:%Y-%m-%d} 前安排走访，谢谢您！",
            )
            return redirect("welfare:home", org.pk)
    return render(
        request,
        "welfare/report.html",
        {"org": org, "page_title": "报告慰问事项", "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("welfare.view", "welfare")
def queue(request, org):
    today = _today()
    state = request.GET.get("state", "open")
    if state not in selectors.QUEUE_FILTERS:
        state = "open"
    counts = selectors.queue_counts(org, today)
    return render(
        request,
        "welfare/queue.html",
        {
            "org": org,
            "page_title": "慰问事项",
            "state": state,
            "filters": [
                (k, label, counts.get(k) if k != "visited" else None)
                for k, label in selectors.QUEUE_FILTERS.items()
            ],
            "rows": _event_rows(org, selectors.queue(org, today, state), today),
            "today": today,
        },
    )


@login_required
@org_view("welfare.report", "welfare")
def mine(request, org):
    today = _today()
    return render(
        request,
        "welfare/mine.html",
        {
            "org": org,
            "page_title": "我的走访",
            "rows": _event_rows(org, selectors.my_visits(request.user, org), today),
            "has_member": getattr(request.user, "member_id", None) is not None,
        },
    )


def _event_page(request, org, event, *, assign_form=None, visit_form=None, status=200):
    today = _today()
    manager = can(request.user, org, "welfare.manage")
    visit = selectors.visit_of(event)
    can_record = visit is None and services.may_record_visit(request.user, org, event)
    can_override = can(request.user, org, "funds.benefits.override")
    if manager and visit is None and assign_form is None:
        leader = selectors.group_leader_of(event.member)
        default = event.visitor or leader
        assign_form = forms.AssignForm(
            org=org, initial={"visitor": str(default.pk) if default else "", "due_on": event.visit_due_on}
        )
    if can_record and visit_form is None:
        initial = {"visited_on": today}
        if event.visitor_id:
            initial["visitors"] = [str(event.visitor_id)]
        elif getattr(request.user, "member_id", None):
            initial["visitors"] = [str(request.user.member_id)]
        visit_form = forms.VisitForm(org=org, event=event, can_override=can_override, initial=initial)
    trigger = selectors.triggers(org).get(event.kind)
    caps = None
    if trigger and can_record:
        from jiaogong.funds.benefits import caps_in_force

        in_force = caps_in_force(org)
        caps = [
            {
                "label": caps_rules.KIND_LABELS[k],
                "cap": in_force.cap_for(k),
                "forms": "、".join(caps_rules.FORM_LABELS[f] for f in sorted(in_force.allowed_forms[k])),
            }
            for k in trigger.caps_kinds
        ]
    return render(
        request,
        "welfare/event.html",
        {
            "org": org,
            "page_title": f"慰问 {event.member.name}",
            "event": event,
            "label": trigger.label if trigger else event.kind,
            "trigger": trigger,
            "overdue": event.is_overdue(today),
            "visit": visit,
            "manager": manager,
            "assign_form": assign_form if manager and visit is None else None,
            "visit_form": visit_form if can_record else None,
            "caps": caps,
            "can_funds": can(request.user, org, "funds.view"),
            "leader": selectors.group_leader_of(event.member),
        },
        status=status,
    )


@login_required
@org_view("org.view", "welfare")  # the event decides: the managers and its visitor, whatever their role
def event(request, org, event_id):
    return _event_page(request, org, selectors.event_for(request.user, org, event_id))


@login_required
@org_view("welfare.manage", "welfare")
@require_POST
def assign(request, org, event_id):
    the_event = selectors.event_for(request.user, org, event_id)
    form = forms.AssignForm(request.POST, org=org)
    if form.is_valid():
        try:
            the_event = services.assign_visitor(
                actor=request.user, org=org, event=the_event, **form.cleaned_data
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(
                request, f"已请 {the_event.visitor.name} 在 {the_event.visit_due_on:%Y-%m-%d} 前走访。"
            )
            return redirect("welfare:event", org.pk, the_event.pk)
    return _event_page(request, org, the_event, assign_form=form, status=422)


@login_required
@org_view("org.view", "welfare")  # the event decides: the managers and its visitor, whatever their role
@require_POST
def visit(request, org, event_id):
    the_event = selectors.event_for(request.user, org, event_id)
    if not services.may_record_visit(request.user, org, the_event):
        raise PermissionDenied("只有被分派的走访人、生活委员或工会主席可以登记走访。")
    can_override = can(request.user, org, "funds.benefits.override")
    form = forms.VisitForm(request.POST, request.FILES, org=org, event=the_event, can_override=can_override)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.record_visit(actor=request.user, org=org, event=the_event, **data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            text = f"已登记走访（{saved.visited_on:%Y-%m-%d}）。"
            if saved.benefit_id:
                text += f"慰问 {saved.amount:.2f} 元已记入账簿（第 {saved.benefit.entry_id} 号凭证）。"
            messages.success(request, text)
            return redirect("welfare:event", org.pk, the_event.pk)
    return _event_page(request, org, the_event, visit_form=form, status=422)


@login_required
@org_view("org.view", "welfare")  # the event decides: the managers and its visitor, whatever their role
def photo(request, org, photo_id):
    """A visit photo, only through this view after the same check as its event (never a public file)."""
    item = get_object_or_404(VisitPhoto.objects.select_related("visit__event"), visit__org=org, pk=photo_id)
    selectors.event_for(request.user, org, item.visit.event_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件不见了，请联系管理员。") from None
    response = FileResponse(handle, content_type=item.content_type, filename=item.name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- greeting batches ----------------------------------------------------------------------------------


@login_required
@org_view("welfare.view", "welfare")
def batches(request, org):
    return render(
        request,
        "welfare/batches.html",
        {"org": org, "page_title": "节日与生日慰问", "rows": selectors.batches_of(org)},
    )


@login_required
@org_view("welfare.manage", "welfare")
def batch_new(request, org):
    today = _today()
    festivals = services.festivals_of(org)
    form = forms.FestivalBatchForm(
        request.POST or None,
        festivals=festivals,
        initial={
            "given_on": today,
            "handler": request.user.get_full_name() or request.user.username,
            "festival": request.GET.get("festival") if request.GET.get("festival") in festivals else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.create_batch(
                actor=request.user,
                org=org,
                kind="festival",
                festival=data["festival"],
                given_on=data["given_on"],
                item=data["item"],
                amounts={"active": data["amount_active"], "retired": data["amount_retired"]},
                hardship_extra=data["hardship_extra"],
                handler=data["handler"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已生成“{batch.title}”名单，请核对后发放。")
            return redirect("welfare:batch", org.pk, batch.pk)
    return render(
        request,
        "welfare/batch_new.html",
        {"org": org, "page_title": "新建节日慰问", "form": form, "hardship": selectors.hardship_available()},
        status=422 if form.errors else 200,
    )


def _batch_page(request, org, batch, *, error="", status=200, needs_confirmation=False):
    return render(
        request,
        "welfare/batch.html",
        {
            "org": org,
            "page_title": batch.title,
            "batch": batch,
            "preview": selectors.preview(batch),
            "can_manage": can(request.user, org, "welfare.manage"),
            "can_funds": can(request.user, org, "funds.view"),
            "error": error,
            "needs_confirmation": needs_confirmation,
        },
        status=status,
    )


@login_required
@org_view("welfare.view", "welfare")
def batch(request, org, batch_id):
    return _batch_page(request, org, selectors.batch_for(org, batch_id))


@login_required
@org_view("welfare.manage", "welfare")
@require_POST
def batch_edit(request, org, batch_id):
    the_batch = selectors.batch_for(org, batch_id)
    recipient = request.POST.get("recipient")
    try:
        if request.POST.get("action") == "remove":
            services.remove_recipient(actor=request.user, org=org, batch=the_batch, recipient_id=recipient)
            messages.success(request, "已从名单中移除。")
        else:
            services.set_amount(
                actor=request.user,
                org=org,
                batch=the_batch,
                recipient_id=recipient,
                amount=request.POST.get("amount"),
            )
            messages.success(request, "金额已修改。")
    except DomainError as e:
        message = "；".join(e.fields.values()) if e.fields else e.message
        return _batch_page(request, org, the_batch, error=message, status=422)
    return redirect("welfare:batch", org.pk, the_batch.pk)


@login_required
@org_view("welfare.manage", "welfare")
@require_POST
def batch_post(request, org, batch_id):
    the_batch = selectors.batch_for(org, batch_id)
    try:
        the_batch = services.post_batch(
            actor=request.user,
            org=org,
            batch=the_batch,
            confirm_warnings=request.POST.get("confirm_warnings") == "on",
        )
    except DomainError as e:
        message = "；".join(e.fields.values()) if e.fields else e.message
        if e.code == "needs_confirmation":
            message = f"{e.message}{message}"
        return _batch_page(
            request,
            org,
            the_batch,
            error=message,
            status=409 if e.code == "needs_confirmation" else 422,
            needs_confirmation=e.code == "needs_confirmation",
        )
    messages.success(
        request, f"已发放并记入账簿（第 {the_batch.entry_id} 号凭证，合计 {the_batch.entry.amount:.2f} 元）。"
    )
    return redirect("welfare:batch", org.pk, the_batch.pk)


@login_required
@org_view("welfare.view", "welfare")
def batch_sheet(request, org, batch_id, fmt):
    the_batch = selectors.batch_for(org, batch_id)
    if fmt not in ("xlsx", "docx"):
        raise Http404("没有这种格式。")
    if fmt == "xlsx":
        body, content_type = exporting.signoff_xlsx(the_batch), XLSX
    else:
        body, content_type = exporting.signoff_docx(the_batch), DOCX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{the_batch.title}签领表.{fmt}")
    return response


@login_required
@org_view("welfare.view", "welfare")
def birthdays(request, org):
    today = _today()
    try:
        month = int(request.GET.get("month") or request.POST.get("month") or today.month)
    except ValueError:
        month = today.month
    month = month if 1 <= month <= 12 else today.month
    form = forms.BirthdayBatchForm(
        request.POST or None,
        initial={
            "month": month,
            "given_on": today,
            "item": "生日蛋糕券一张",
            "handler": request.user.get_full_name() or request.user.username,
        },
    )
    if request.method == "POST":
        if not can(request.user, org, "welfare.manage"):
            raise PermissionDenied("只有生活委员或工会主席可以发放生日慰问。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                the_batch = services.create_batch(
                    actor=request.user,
                    org=org,
                    kind="birthday",
                    month=data["month"],
                    given_on=data["given_on"],
                    form=data["form"],
                    item=data["item"],
                    amounts={"birthday": data["amount_birthday"]},
                    handler=data["handler"],
                )
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                messages.success(request, f"已生成“{the_batch.title}”名单，请核对后发放。")
                return redirect("welfare:batch", org.pk, the_batch.pk)
    people = list(selectors.birthdays_in(org, month))
    given = selectors.received_by(org, [m.pk for m in people], today.year)
    rows = [{"member": m, "given": [b for b in given.get(m.pk, []) if b.kind == "birthday"]} for m in people]
    return render(
        request,
        "welfare/birthdays.html",
        {
            "org": org,
            "page_title": "生日慰问",
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "form": form,
            "can_manage": can(request.user, org, "welfare.manage"),
            "batches": selectors.batches_of(org, "birthday")[:6],
            "year": today.year,
        },
        status=422 if form.errors else 200,
    )


@login_required
@org_view("welfare.view", "welfare")
def retirees(request, org):
    people = list(selectors.retirees(org))
    ids = [m.pk for m in people]
    received = selectors.received_by(org, ids)
    events = selectors.events_by_member(org, ids)
    year = _today().year
    attended = selectors.meetings_attended(org, ids, year)
    labels = {k: t.label for k, t in selectors.triggers(org).items()}
    rows = [
        {
            "member": m,
            "phone": member_privacy.shown_phone(request.user, org, m.phone),
            "received": received.get(m.pk, [])[:4],
            "events": [(e, labels.get(e.kind, e.kind)) for e in events.get(m.pk, [])],
            "meetings": attended.get(m.pk, 0),
        }
        for m in people
    ]
    return render(
        request,
        "welfare/retirees.html",
        {
            "org": org,
            "page_title": "退休教职工",
            "rows": rows,
            "can_manage": can(request.user, org, "welfare.manage"),
            "retired_status": Member.Status.RETIRED,
            "meetings": selectors.meetings_of(org)[:20],
            "year": year,
            "can_funds": can(request.user, org, "funds.view"),
        },
    )


@login_required
@org_view("welfare.manage", "welfare")
def meeting_new(request, org):
    form = forms.MeetingForm(request.POST or None, org=org, initial={"held_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            text = f"已登记座谈会“{meeting.title}”（{meeting.held_on:%Y-%m-%d}）。"
            if meeting.entry_id:
                text += f"费用 {meeting.cost:.2f} 元已记入账簿（第 {meeting.entry_id} 号凭证）。"
            messages.success(request, text)
            return redirect("welfare:meeting", org.pk, meeting.pk)
    return render(
        request,
        "welfare/meeting_new.html",
        {"org": org, "page_title": "登记退休教职工座谈会", "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("welfare.manage", "welfare")
def meeting(request, org, meeting_id):
    the_meeting = selectors.meeting_for(org, meeting_id)
    return render(
        request,
        "welfare/meeting.html",
        {
            "org": org,
            "page_title": the_meeting.title,
            "meeting": the_meeting,
            "attendees": selectors.meeting_attendees(the_meeting),
            "can_funds": can(request.user, org, "funds.view"),
        },
    )


urlpatterns = [
    path("o/<int:org_id>/welfare/", home, name="home"),
    path("o/<int:org_id>/welfare/report/", report, name="report"),
    path("o/<int:org_id>/welfare/events/", queue, name="queue"),
    path("o/<int:org_id>/welfare/events/<int:event_id>/", event, name="event"),
    path("o/<int:org_id>/welfare/events/<int:event_id>/assign/", assign, name="assign"),
    path("o/<int:org_id>/welfare/events/<int:event_id>/visit/", visit, name="visit"),
    path("o/<int:org_id>/welfare/mine/", mine, name="mine"),
    path("o/<int:org_id>/welfare/photos/<int:photo_id>/", photo, name="photo"),
    path("o/<int:org_id>/welfare/greetings/", batches, name="batches"),
    path("o/<int:org_id>/welfare/greetings/new/", batch_new, name="batch_new"),
    path("o/<int:org_id>/welfare/greetings/<int:batch_id>/", batch, name="batch"),
    path("o/<int:org_id>/welfare/greetings/<int:batch_id>/edit/", batch_edit, name="batch_edit"),
    path("o/<int:org_id>/welfare/greetings/<int:batch_id>/post/", batch_post, name="batch_post"),
    path("o/<int:org_id>/welfare/greetings/<int:batch_id>/sheet.<str:fmt>", batch_sheet, name="batch_sheet"),
    path("o/<int:org_id>/welfare/birthdays/", birthdays, name="birthdays"),
    path("o/<int:org_id>/welfare/retirees/", retirees, name="retirees"),
    path("o/<int:org_id>/welfare/retirees/meetings/new/", meeting_new, name="meeting_new"),
    path("o/<int:org_id>/welfare/retirees/meetings/<int:meeting_id>/", meeting, name="meeting"),
]
