"""工作计划 pages: the list (新建 / 复制去年 / 粘贴导入), one plan with its schedule grouped by
period (status badges, the link chooser), the edit pages, the import (paste → preview → save), the
remainder to place, and the .docx.

Members read published plans; the chair's office (plans.manage) writes. Views parse, call one
service or selector and render; a refused POST re-renders with 422 or redirects with the message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.plans import exporting, forms, links, selectors, services
from jiaogong.plans.models import Plan

app_name = "plans"
SECTION = "records"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today():
    return timezone.localdate()


def _manager(request, org) -> bool:
    return can(request.user, org, "plans.manage")


def _plan(request, org, plan_id) -> Plan:
    """The plan; a draft is the chair's office's: for everyone else it does not exist."""
    plan = selectors.plan_for(org, plan_id)
    if plan.status != Plan.Status.PUBLISHED and not _manager(request, org):
        raise Http404("没有找到该计划。")
    return plan


def _to_plan(org, plan, anchor: str = ""):
    return redirect(reverse("plans:detail", args=[org.pk, plan.pk]) + (f"#{anchor}" if anchor else ""))


# ---- the list ------------------------------------------------------------------------------------


@login_required
@org_view("plans.view", SECTION)
def home(request, org):
    manager = _manager(request, org)
    plans = selectors.plans_of(org)
    if not manager:
        plans = plans.filter(status=Plan.Status.PUBLISHED)
    plans = list(plans)
    this_year = _today().year
    last_year = [p for p in plans if p.year in (this_year - 1, this_year)]
    return render(
        request,
        "plans/home.html",
        {
            "org": org,
            "page_title": "工作计划",
            "tab": "plans",
            "plans": plans,
            "can_manage": manager,
            "copy_sources": last_year or plans[:5],
        },
    )


@login_required
@org_view("plans.manage", SECTION)
def new(request, org):
    form = forms.PlanForm(request.POST or None, initial={"kind": "annual", "year": _today().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "已新建计划，请添加工作内容和安排。")
            return _to_plan(org, plan)
    return render(
        request,
        "plans/plan_form.html",
        {"org": org, "page_title": "新建计划", "tab": "plans", "form": form, "heading": "新建计划"},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("plans.manage", SECTION)
@require_POST
def copy(request, org):
    source = (
        selectors.plan_for(org, request.POST.get("plan") or 0)
        if str(request.POST.get("plan", "")).isdigit()
        else None
    )
    if source is None:
        messages.error(request, "请选择要复制的计划。")
        return redirect("plans:home", org.pk)
    try:
        plan = services.copy_plan(actor=request.user, plan=source)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("plans:home", org.pk)
    messages.success(request, f"已复制为《{plan.title}》，日期已顺延一年，请核对开学日期后编辑。")
    return _to_plan(org, plan)


# ---- import --------------------------------------------------------------------------------------


@login_required
@org_view("plans.manage", SECTION)
def import_text(request, org):
    form = forms.ImportForm(request.POST or None)
    parsed = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "save":
                plan = services.import_plan(actor=request.user, org=org, **data)
                messages.success(
                    request,
                    f"已导入：{plan.sections.count()} 个部分、{plan.items.count()} 项工作安排"
                    + ("；有未识别的文字待归类。" if plan.remainder.strip() else "。"),
                )
                return _to_plan(org, plan)
            parsed = services.preview_import(data["text"])
        except DomainError as e:
            add_domain_errors(form, e)
            parsed = None
    if form.errors:
        status = 422
    groups = []
    if parsed is not None:
        from jiaogong.plans.parsing import period_label

        for item in parsed.items:
            label = period_label(item.period.kind, item.period.start, item.period.end)
            if groups and groups[-1][0] == label:
                groups[-1][1].append(item)
            else:
                groups.append((label, [item]))
    return render(
        request,
        "plans/import.html",
        {
            "org": org,
            "page_title": "粘贴导入计划",
            "tab": "plans",
            "form": form,
            "parsed": parsed,
            "groups": groups,
        },
        status=status,
    )


# ---- one plan -------------------------------------------------------------------------------------


@login_required
@org_view("plans.view", SECTION)
def detail(request, org, plan_id):
    plan = _plan(request, org, plan_id)
    today = _today()
    views = selectors.schedule(org, plan, today)
    return render(
        request,
        "plans/plan.html",
        {
            "org": org,
            "page_title": plan.title,
            "tab": "plans",
            "plan": plan,
            "sections": [(exporting.cn_ordinal(n), s) for n, s in enumerate(plan.sections.all(), start=1)],
            "groups": selectors.grouped(views),
            "counts": selectors.counts(views),
            "can_manage": _manager(request, org),
            "remainder_lines": [x for x in plan.remainder.split("\n") if x.strip()],
            "status_choices": forms.STATUS_CHOICES,
            "today": today,
        },
    )


@login_required
@org_view("plans.view", SECTION)
def docx(request, org, plan_id):
    plan = _plan(request, org, plan_id)
    response = HttpResponse(exporting.plan_docx(plan, today=_today()), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, exporting.filename(plan))
    return response


@login_required
@org_view("plans.manage", SECTION)
def edit(request, org, plan_id):
    plan = selectors.plan_for(org, plan_id)
    initial = {
        f: getattr(plan, f) for f in ("title", "kind", "year", "season", "starts_on", "guidance", "remainder")
    }
    form = forms.PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "已保存。")
            return _to_plan(org, plan)
    return render(
        request,
        "plans/plan_form.html",
        {
            "org": org,
            "page_title": "编辑计划",
            "tab": "plans",
            "form": form,
            "plan": plan,
            "heading": "编辑计划",
        },
        status=422 if form.errors else 200,
    )


def _simple_post(request, org, plan, call, done: str, anchor: str = ""):
    try:
        call()
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return _to_plan(org, plan, anchor)


@login_required
@org_view("plans.manage", SECTION)
@require_POST
def publish(request, org, plan_id):
    plan = selectors.plan_for(org, plan_id)
    if request.POST.get("undo"):
        return _simple_post(
            request,
            org,
            plan,
            lambda: services.unpublish_plan(actor=request.user, plan=plan),
            "已撤回发布，计划回到草稿。",
        )
    return _simple_post(
        request,
        org,
        plan,
        lambda: services.publish_plan(actor=request.user, plan=plan),
        "计划已发布，会员可以查看。",
    )


@login_required
@org_view("plans.manage", SECTION)
@require_POST
def delete(request, org, plan_id):
    plan = selectors.plan_for(org, plan_id)
    try:
        services.delete_plan(actor=request.user, plan=plan)
    except DomainError as e:
        messages.error(request, e.message)
        return _to_plan(org, plan)
    messages.success(request, "计划已删除。")
    return redirect("plans:home", org.pk)


# ---- sections -------------------------------------------------------------------------------------


@login_required
@org_view("plans.manage", SECTION)
def section_form(request, org, plan_id, section_id=None):
    plan = selectors.plan_for(org, plan_id)
    section = None
    if section_id is not None:
        section = plan.sections.filter(pk=section_id).first()
        if section is None:
            raise Http404("没有找到该部分。")
    initial = {"title": section.title, "text": section.text} if section else {}
    form = forms.SectionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if section is not None and action in ("up", "down"):
            services.move_section(actor=request.user, section=section, direction=action)
            return _to_plan(org, plan, "sections")
        if section is not None and action == "delete":
            services.delete_section(actor=request.user, section=section)
            messages.success(request, "已删除该部分。")
            return _to_plan(org, plan, "sections")
        if form.is_valid():
            try:
                if section is None:
                    services.add_section(actor=request.user, plan=plan, **form.cleaned_data)
                else:
                    services.update_section(actor=request.user, section=section, **form.cleaned_data)
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                messages.success(request, "已保存。")
                return _to_plan(org, plan, "sections")
    return render(
        request,
        "plans/section_form.html",
        {
            "org": org,
            "page_title": "编辑主要工作",
            "tab": "plans",
            "form": form,
            "plan": plan,
            "section": section,
        },
        status=422 if form.errors else 200,
    )


# ---- items ----------------------------------------------------------------------------------------


@login_required
@org_view("plans.manage", SECTION)
def item_form(request, org, plan_id, item_id=None):
    plan = selectors.plan_for(org, plan_id)
    item = selectors.item_for(org, item_id, plan=plan) if item_id is not None else None
    initial = (
        {
            "period_kind": item.period_kind,
            "period_start": item.period_start or "",
            "period_end": item.period_end or "",
            "text": item.text,
        }
        if item
        else {"period_kind": request.GET.get("kind", "month"), "period_start": request.GET.get("start", "")}
    )
    form = forms.ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.add_item(actor=request.user, plan=plan, **form.cleaned_data)
            else:
                services.update_item(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "已保存。")
            return _to_plan(org, plan, f"item-{item.pk}")
    return render(
        request,
        "plans/item_form.html",
        {"org": org, "page_title": "工作安排", "tab": "plans", "form": form, "plan": plan, "item": item},
        status=422 if form.errors else 200,
    )


@login_required
@org_view("plans.manage", SECTION)
@require_POST
def item_action(request, org, plan_id, item_id):
    """Move up/down, delete, or set the status by hand."""
    plan = selectors.plan_for(org, plan_id)
    item = selectors.item_for(org, item_id, plan=plan)
    action = request.POST.get("action", "")
    if action in ("up", "down"):
        return _simple_post(
            request,
            org,
            plan,
            lambda: services.move_item(actor=request.user, item=item, direction=action),
            "已调整顺序。",
            f"item-{item.pk}",
        )
    if action == "delete":
        return _simple_post(
            request,
            org,
            plan,
            lambda: services.delete_item(actor=request.user, item=item),
            "已删除该项安排。",
            "schedule",
        )
    if action == "status":
        status = request.POST.get("status", "")
        return _simple_post(
            request,
            org,
            plan,
            lambda: services.set_item_status(actor=request.user, item=item, status=status, today=_today()),
            "已更新完成情况。",
            f"item-{item.pk}",
        )
    if action == "unlink":
        return _simple_post(
            request,
            org,
            plan,
            lambda: services.unlink_item(actor=request.user, item=item),
            "已取消关联。",
            f"item-{item.pk}",
        )
    messages.error(request, "未知的操作。")
    return _to_plan(org, plan)


@login_required
@org_view("plans.manage", SECTION)
def item_link(request, org, plan_id, item_id):
    """The link chooser: the records of a kind near the item's dates; choose one to link."""
    plan = selectors.plan_for(org, plan_id)
    item = selectors.item_for(org, item_id, plan=plan)
    today = _today()
    kind = request.POST.get("kind") or request.GET.get("kind") or next(iter(links.REGISTRY))
    error = ""
    if request.method == "POST":
        try:
            services.link_item(
                actor=request.user, item=item, kind=kind, record_id=request.POST.get("record_id")
            )
        except DomainError as e:
            error = next(iter(e.fields.values()), e.message)
        else:
            messages.success(request, "已关联，完成情况将随关联的记录变化。")
            return _to_plan(org, plan, f"item-{item.pk}")
    if kind not in links.REGISTRY:
        kind = next(iter(links.REGISTRY))
    return render(
        request,
        "plans/link.html",
        {
            "org": org,
            "page_title": "关联记录",
            "tab": "plans",
            "plan": plan,
            "view": selectors.item_view(org, item, today, plan),
            "kinds": forms.link_kind_choices(),
            "kind": kind,
            "candidates": selectors.link_candidates(org, item, kind, today),
            "can_create_activity": can(request.user, org, "activities.manage"),
            "error": error,
        },
        status=422 if error else 200,
    )


# ---- the remainder ------------------------------------------------------------------------------


@login_required
@org_view("plans.manage", SECTION)
def remainder(request, org, plan_id):
    plan = selectors.plan_for(org, plan_id)
    error_line, error = None, ""
    if request.method == "POST":
        form = forms.PlaceForm(request.POST, plan=plan)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.place_remainder(actor=request.user, plan=plan, **data)
            except DomainError as e:
                error_line, error = data["line"], "；".join(e.fields.values()) or e.message
            else:
                messages.success(request, "已放入计划。")
                return redirect("plans:remainder", org.pk, plan.pk)
        else:
            error = "请选择放到哪里。"
    plan.refresh_from_db()
    lines = [(n, text) for n, text in enumerate(plan.remainder.split("\n")) if text.strip()]
    return render(
        request,
        "plans/remainder.html",
        {
            "org": org,
            "page_title": "归类未识别的文字",
            "tab": "plans",
            "plan": plan,
            "lines": lines,
            "sections": list(plan.sections.all()),
            "targets": forms.PlaceForm.TARGETS,
            "periods": forms.PERIOD_CHOICES,
            "error_line": error_line,
            "error": error,
        },
        status=422 if error else 200,
    )


urlpatterns = [
    path("o/<int:org_id>/plans/", home, name="home"),
    path("o/<int:org_id>/plans/new/", new, name="new"),
    path("o/<int:org_id>/plans/copy/", copy, name="copy"),
    path("o/<int:org_id>/plans/import/", import_text, name="import"),
    path("o/<int:org_id>/plans/<int:plan_id>/", detail, name="detail"),
    path("o/<int:org_id>/plans/<int:plan_id>/plan.docx", docx, name="docx"),
    path("o/<int:org_id>/plans/<int:plan_id>/edit/", edit, name="edit"),
    path("o/<int:org_id>/plans/<int:plan_id>/publish/", publish, name="publish"),
    path("o/<int:org_id>/plans/<int:plan_id>/delete/", delete, name="delete"),
    path("o/<int:org_id>/plans/<int:plan_id>/remainder/", remainder, name="remainder"),
    path("o/<int:org_id>/plans/<int:plan_id>/sections/new/", section_form, name="section_new"),
    path("o/<int:org_id>/plans/<int:plan_id>/sections/<int:section_id>/", section_form, name="section_edit"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/new/", item_form, name="item_new"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/<int:item_id>/", item_form, name="item_edit"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/<int:item_id>/do/", item_action, name="item_action"),
    path("o/<int:org_id>/plans/<int:plan_id>/items/<int:item_id>/link/", item_link, name="item_link"),
]
