"""学习 pages: the sessions of the year (政治学习、业务学习) with my 心得; a new session with its
material; one session with the material, attendance (count, the organiser ticks it), my 心得 and,
for the organiser, who has and hasn't submitted; the material file after a permission check; the
读书活动 with my books, the year's ranking, the chair's selection of 先进个人 and its .docx.

Every member reads and submits (activities.view); organisers create sessions and tick attendance
(activities.manage); the chair and vice-chairs select the 先进个人 (clubs.approve).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view, perms, year_param
from jiaogong.members.selectors import own_member
from jiaogong.study import exporting, forms, selectors, services

SECTION = "activities"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@org_view("activities.view", SECTION)
def home(request, org):
    year = year_param(request)
    member = own_member(request.user, org)
    mine = selectors.my_reflection_ids(org, member)
    today = timezone.localdate()
    sessions = list(selectors.sessions_of(org, year))
    for s in sessions:
        s.mine = s.pk in mine
        s.open = services.may_edit_reflection(s, today)
    return render(
        request,
        "study/home.html",
        {
            "org": org,
            "page_title": "学习",
            "tab": "study",
            "year": year,
            "sessions": sessions,
            "member": member,
            **perms(request.user, org, "activities.manage"),
        },
    )


@login_required
@org_view("activities.manage", SECTION)
def create(request, org):
    today = timezone.localdate()
    form = forms.SessionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={
            "day": today,
            "start": datetime.time(16, 20),
            "end": datetime.time(17, 0),
            "reflection_due": today + datetime.timedelta(days=14),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            session = services.create_session(
                actor=request.user,
                org=org,
                kind=data["kind"],
                topic=data["topic"],
                starts_at=datetime.datetime.combine(data["day"], data["start"], tzinfo=tz),
                ends_at=datetime.datetime.combine(data["day"], data["end"], tzinfo=tz),
                location=data["location"],
                material_text=data["material_text"],
                material=data["material"],
                reflection_due=data["reflection_due"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已安排“{session.topic}”。")
            return redirect("study:session", org.pk, session.pk)
    return render(
        request,
        "study/create.html",
        {"org": org, "page_title": "安排学习", "tab": "study", "form": form},
        status=422 if form.errors else 200,
    )


def _session_page(request, org, session, *, form=None, status=200):
    member = own_member(request.user, org)
    organiser = can(request.user, org, "activities.manage")
    mine = selectors.reflection_of(session, member)
    today = timezone.localdate()
    day = timezone.localtime(session.activity.starts_at).date()
    context = {
        "org": org,
        "page_title": session.topic,
        "tab": "study",
        "session": session,
        "member": member,
        "mine": mine,
        "open": services.may_edit_reflection(session, today),
        "form": form or forms.ReflectionForm(initial={"text": mine.text if mine else ""}),
        "attendance": selectors.attendance_count(session),
        "organiser": organiser,
        "held": day <= today,
    }
    if organiser:
        present = selectors.present_ids(session)
        context["roster"] = [(m, m.pk in present) for m in selectors.expected_members(org)]
        context["submissions"] = selectors.submissions(session)
    return render(request, "study/session.html", context, status=status)


@login_required
@org_view("activities.view", SECTION)
def session_detail(request, org, session_id):
    return _session_page(request, org, selectors.session_or_404(org, session_id))


@login_required
@org_view("activities.view", SECTION)
@require_POST
def reflect(request, org, session_id):
    session = selectors.session_or_404(org, session_id)
    form = forms.ReflectionForm(request.POST)
    if form.is_valid():
        try:
            _r, created = services.submit_reflection(
                actor=request.user,
                session=session,
                member=own_member(request.user, org),
                text=form.cleaned_data["text"],
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "心得已提交。" if created else "心得已修改。")
            return redirect("study:session", org.pk, session.pk)
    return _session_page(request, org, session, form=form, status=422)


@login_required
@org_view("activities.manage", SECTION)
@require_POST
def attendance(request, org, session_id):
    session = selectors.session_or_404(org, session_id)
    try:
        done = services.tick_attendance(
            actor=request.user, session=session, member_ids=request.POST.getlist("members")
        )
    except DomainError as e:
        messages.error(request, "；".join(e.fields.values()) or e.message)
    else:
        messages.success(request, f"出勤已登记：{done['present']} 人。")
    return redirect(reverse("study:session", args=[org.pk, session.pk]) + "#attendance")


@login_required
@org_view("activities.view", SECTION)
def material(request, org, session_id):
    """The material file, only through this view (never a public URL), with a safe type."""
    session = selectors.session_or_404(org, session_id)
    if not session.material:
        raise Http404("这次学习没有上传材料文件。")
    try:
        handle = session.material.open("rb")
    except FileNotFoundError:
        raise Http404("材料文件不见了，请联系管理员。") from None
    response = FileResponse(handle, content_type=session.material_type, filename=session.material_name)
    if session.material_type == services.PDF:
        response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@org_view("activities.manage", SECTION)
@require_POST
def upload_material(request, org, session_id):
    session = selectors.session_or_404(org, session_id)
    try:
        services.replace_material(actor=request.user, session=session, material=request.FILES.get("material"))
    except DomainError as e:
        messages.error(request, "；".join(e.fields.values()) or e.message)
    else:
        messages.success(request, f"已上传材料“{session.material_name}”。")
    return redirect("study:session", org.pk, session.pk)


# ---- 读书活动 ---------------------------------------------------------------------------------------


def _reading_page(request, org, *, form=None, award_error="", status=200):
    year = year_param(request)
    member = own_member(request.user, org)
    approver = can(request.user, org, "clubs.approve")
    return render(
        request,
        "study/reading.html",
        {
            "org": org,
            "page_title": f"{year}年读书活动",
            "tab": "study",
            "year": year,
            "member": member,
            "logs": selectors.logs_of(member, year),
            "form": form or forms.BookForm(initial={"finished_on": timezone.localdate()}),
            "board": selectors.reading_board(org, year)
            if approver or can(request.user, org, "activities.manage")
            else None,
            "approver": approver,
            "award_error": award_error,
            "share": f"{services.award_share(org) * 100:.0f}%",
            "awardees": selectors.awardees(org, year),
        },
        status=status,
    )


@login_required
@org_view("activities.view", SECTION)
def reading(request, org):
    return _reading_page(request, org)


@login_required
@org_view("activities.view", SECTION)
@require_POST
def log_book(request, org):
    form = forms.BookForm(request.POST)
    if form.is_valid():
        try:
            log = services.log_book(
                actor=request.user, member=own_member(request.user, org), **form.cleaned_data
            )
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, f"已登记《{log.title}》。")
            return redirect(reverse("study:reading", args=[org.pk]) + f"?year={log.year}")
    return _reading_page(request, org, form=form, status=422)


@login_required
@org_view("clubs.approve", SECTION)
@require_POST
def select_awards(request, org):
    year = year_param(request)
    try:
        awards = services.select_awardees(
            actor=request.user, org=org, year=year, member_ids=request.POST.getlist("members")
        )
    except DomainError as e:
        return _reading_page(request, org, award_error="；".join(e.fields.values()) or e.message, status=422)
    messages.success(request, f"已评定 {year} 年读书活动先进个人 {len(awards)} 人。")
    return redirect(reverse("study:reading", args=[org.pk]) + f"?year={year}")


@login_required
@org_view("clubs.approve", SECTION)
def awards_docx(request, org):
    year = year_param(request)
    if not selectors.awardees(org, year).exists():
        raise Http404(f"{year} 年还没有评定读书活动先进个人。")
    response = HttpResponse(exporting.awards_docx(org, year), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年读书活动先进个人.docx")
    return response


app_name = "study"

urlpatterns = [
    path("o/<int:org_id>/study/", home, name="home"),
    path("o/<int:org_id>/study/new/", create, name="create"),
    path("o/<int:org_id>/study/<int:session_id>/", session_detail, name="session"),
    path("o/<int:org_id>/study/<int:session_id>/reflection/", reflect, name="reflect"),
    path("o/<int:org_id>/study/<int:session_id>/attendance/", attendance, name="attendance"),
    path("o/<int:org_id>/study/<int:session_id>/material/", material, name="material"),
    path("o/<int:org_id>/study/<int:session_id>/material/upload/", upload_material, name="upload_material"),
    path("o/<int:org_id>/study/reading/", reading, name="reading"),
    path("o/<int:org_id>/study/reading/books/", log_book, name="log_book"),
    path("o/<int:org_id>/study/reading/awards/", select_awards, name="select_awards"),
    path("o/<int:org_id>/study/reading/awards.docx", awards_docx, name="awards_docx"),
]
