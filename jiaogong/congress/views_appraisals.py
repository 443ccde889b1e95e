"""教代会 pages: 民主评议 — set up the subjects, the phone ballot, the results and the report."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header

from jiaogong.congress import appraisals, crypto, scrutiny, sessions
from jiaogong.congress.models import Appraisal, AppraisalSubject, AppraisalTurnout, Attendance
from jiaogong.congress.views import ballot_keys, congress_in, posted_ballot
from jiaogong.core import audit
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SubjectsForm(forms.Form):
    subjects = forms.CharField(
        label="被评议人（每行一位：姓名 职务）",
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "王建国 校长\n李红梅 副校长（分管教学）"}),
        error_messages={"required": "请列出被评议的领导。"},
    )


class NotesForm(forms.Form):
    subject = forms.IntegerField(widget=forms.HiddenInput)
    strengths = forms.CharField(label="主要优点", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    weaknesses = forms.CharField(label="主要不足", required=False, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@org_view("congress.manage", "congress")
def appraisal_new(request, org, congress_id):
    congress = congress_in(org, congress_id)
    form = SubjectsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = appraisals.create_appraisal(
                actor=request.user,
                congress=congress,
                subjects=appraisals.parse_subjects(form.cleaned_data["subjects"]),
            )
        except DomainError as e:
            form.add_error("subjects", "；".join(e.fields.values()) or e.message)
        else:
            messages.success(request, "已建立民主评议，代表签到后可在手机上评议。")
            return redirect("congress:appraisal", org.pk, appraisal.pk)
    return render(
        request,
        "congress/appraisals/new.html",
        {
            "org": org,
            "page_title": "民主评议",
            "congress": congress,
            "form": form,
            "existing": congress.appraisals.all(),
        },
    )


@login_required
@org_view("congress.view", "congress")
def appraisal_detail(request, org, appraisal_id):
    appraisal = appraisals.appraisal_in(org, appraisal_id)
    congress = appraisal.congress
    can_manage = can(request.user, org, "congress.manage")
    notes_form = NotesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您的角色无权管理民主评议。")
        if request.POST.get("action") == "close":
            try:
                appraisals.close_appraisal(actor=request.user, appraisal=appraisal)
                messages.success(request, "民主评议已结束，待监票人解密计票后公布结果。")
            except DomainError as e:
                messages.error(request, e.message)
            return redirect("congress:appraisal", org.pk, appraisal.pk)
        if notes_form.is_valid():
            subject = AppraisalSubject.objects.filter(
                appraisal=appraisal, pk=notes_form.cleaned_data["subject"]
            ).first()
            if subject is None:
                notes_form.add_error(None, "没有找到该被评议人。")
            else:
                try:
                    appraisals.set_notes(
                        actor=request.user,
                        subject=subject,
                        strengths=notes_form.cleaned_data["strengths"],
                        weaknesses=notes_form.cleaned_data["weaknesses"],
                    )
                except DomainError as e:
                    add_domain_errors(notes_form, e)
                else:
                    messages.success(request, f"已保存{subject.name}的优点和不足。")
                    return redirect("congress:appraisal", org.pk, appraisal.pk)
    context = {
        "org": org,
        "page_title": "民主评议",
        "appraisal": appraisal,
        "congress": congress,
        "subjects": appraisal.subjects.all(),
        "turnout": appraisal.turnout.count(),
        "status": sessions.quorum_status(congress),
        "result": appraisals.kept_result(appraisal),
        "can_manage": can_manage,
        "is_delegate": sessions.delegate_for_user(congress, request.user) is not None,
        "notes_form": notes_form,
        "pending": scrutiny.pending_scrutineers(appraisal)
        if appraisal.state == Appraisal.State.COUNTING
        else [],
        "is_scrutineer": scrutiny.scrutineer_for(congress, request.user) is not None,
    }
    if request.htmx and request.htmx.target == "appraisal-turnout":
        return render(request, "congress/appraisals/_turnout.html", context)
    return render(request, "congress/appraisals/detail.html", context)


@login_required
@org_view("congress.view", "congress")
def appraisal_vote(request, org, appraisal_id):
    """The phone ballot: one row of choices per leader, then the receipt."""
    appraisal = appraisals.appraisal_in(org, appraisal_id)
    congress = appraisal.congress
    delegate = sessions.delegate_for_user(congress, request.user)
    subjects = list(appraisal.subjects.all())
    chosen = (
        {str(s.pk): request.POST.get(f"s{s.pk}", "") for s in subjects} if request.method == "POST" else {}
    )
    tracker = error = None
    status = 200
    field_errors = {}
    if request.method == "POST":
        try:
            ratings, encrypted = posted_ballot(request, chosen)
            tracker = appraisals.cast_appraisal_ballot(
                user=request.user, appraisal=appraisal, ratings=ratings, encrypted=encrypted
            )
        except PermissionDenied as e:
            error, status = str(e), 403
        except DomainError as e:
            error, status = e.message, e.status
            field_errors = {k.removeprefix("ratings."): v for k, v in e.fields.items()}
            # What no subject's row shows (a garbled encrypted ballot) is said with the summary.
            error += "".join(v for k, v in e.fields.items() if not k.startswith("ratings."))
    voted = (
        delegate is not None
        and AppraisalTurnout.objects.filter(appraisal=appraisal, delegate=delegate).exists()
    )
    rows = [
        {"s": s, "chosen": chosen.get(str(s.pk), ""), "error": field_errors.get(str(s.pk))} for s in subjects
    ]
    return render(
        request,
        "congress/appraisals/vote.html",
        {
            "org": org,
            "page_title": "民主评议",
            "appraisal": appraisal,
            "congress": congress,
            "delegate": delegate,
            "present": delegate is not None
            and Attendance.objects.filter(congress=congress, delegate=delegate).exists(),
            "voted": voted,
            "rows": rows,
            "tracker": tracker,
            "short_tracker": crypto.short_tracker(tracker) if tracker else "",
            "error": error,
            "keys": ballot_keys(congress),
            "descriptor": crypto.canonical_json(appraisal.descriptor).decode()
            if appraisal.descriptor
            else "",
            "questions": json.dumps([f"s{s.pk}" for s in subjects]),
            "labels": json.dumps([s.name for s in subjects], ensure_ascii=False),
        },
        status=status,
    )


@login_required
@org_view("congress.manage", "congress")
def appraisal_report(request, org, appraisal_id):
    appraisal = appraisals.appraisal_in(org, appraisal_id)
    if appraisal.state != Appraisal.State.CLOSED:
        messages.error(request, "评议结束后才能导出结果。")
        return redirect("congress:appraisal", org.pk, appraisal.pk)
    audit.record(actor=request.user, org=org, action="congress.appraisal.report", obj=appraisal)
    response = HttpResponse(appraisals.report_xlsx(appraisal), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{appraisal.congress.title}-民主评议结果.xlsx"
    )
    return response


urlpatterns = [
    path("o/<int:org_id>/congress/<int:congress_id>/appraisals/new/", appraisal_new, name="appraisal_new"),
    path("o/<int:org_id>/appraisals/<int:appraisal_id>/", appraisal_detail, name="appraisal"),
    path("o/<int:org_id>/appraisals/<int:appraisal_id>/vote/", appraisal_vote, name="appraisal_vote"),
    path(
        "o/<int:org_id>/appraisals/<int:appraisal_id>/report.xlsx", appraisal_report, name="appraisal_report"
    ),
]
