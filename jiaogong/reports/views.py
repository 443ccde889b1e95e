"""工作总结 and 台帐 pages.

The summary page shows the year's figures area by area (each links to the records it counts),
the text drafted from them and the charts. The chair (records.manage) drafts, edits an area in
place (htmx) and exports the .docx. The archive lists the year's records under the 建家 categories,
searches them and exports the year as a .zip. Readers need records.view.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core import audit
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import org_view
from jiaogong.funds.charts import FontMissing
from jiaogong.reports import archive, charts, documents, exporting, figures, selectors, services
from jiaogong.reports.models import AREAS, Summary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
ROWS_PER_PAGE = 100


def _year_or_404(year: int) -> int:
    if not services.FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404("没有这个年度。")
    return year


def _require_manage(request, org):
    if not can(request.user, org, "records.manage"):
        raise PermissionDenied("只有工会主席、副主席和组织委员可以起草、修改和导出工作总结与台帐。")


def _tabs() -> bool:
    """plans/_tabs.html (the 计划总结台帐 section's tabs) once the plans app has it."""
    try:
        get_template("plans/_tabs.html")
    except TemplateDoesNotExist:
        return False
    return True


def _years(today) -> list[int]:
    return list(range(today.year, today.year - 5, -1))


def _context(request, org, *, tab: str = "summary", **extra) -> dict:
    """`tab` marks this page's tab in plans/_tabs.html ("summary" or "archive")."""
    today = timezone.localdate()
    return {
        "org": org,
        "tab": tab,
        "today": today,
        "years": _years(today),
        "plans_tabs": _tabs(),
        "can_manage": can(request.user, org, "records.manage"),
        **extra,
    }


# ---- 工作总结 ----------------------------------------------------------------------------------------


@login_required
@org_view("records.view", "records")
def summary_home(request, org):
    return redirect("reports:summary", org.pk, selectors.default_year(timezone.localdate()))


@login_required
@org_view("records.view", "records")
def summary(request, org, year):
    year = _year_or_404(year)
    values = figures.year_figures(org, year)
    summary = selectors.summary_of(org, year)
    return render(
        request,
        "reports/summary.html",
        _context(
            request,
            org,
            page_title=f"{year}年工作总结",
            year=year,
            summary=summary,
            areas=selectors.areas(org, year, values, summary),
            kept=sum(1 for s in summary.sections.all() if s.edited) if summary else 0,
        ),
    )


@login_required
@require_POST
@org_view("records.view", "records")
def summary_draft(request, org, year):
    _require_manage(request, org)
    year = _year_or_404(year)
    overwrite = request.POST.get("overwrite") == "1"
    summary = services.draft_summary(actor=request.user, org=org, year=year, overwrite=overwrite)
    kept = [AREAS[s.area] for s in summary.sections.all() if s.edited]
    if kept:
        messages.success(request, f"已按最新记录重新起草；保留了您修改过的：{'、'.join(kept)}。")
    else:
        messages.success(request, f"已根据{year}年的记录起草工作总结，请逐段修改。")
    return redirect("reports:summary", org.pk, year)


def _summary_or_404(org, year) -> Summary:
    summary = selectors.summary_of(org, year)
    if summary is None:
        raise Http404("这一年还没有起草工作总结。")
    return summary


@login_required
@org_view("records.view", "records")
def section(request, org, year, area):
    """GET: the area's text (or, with ?edit=1, its form) — htmx swaps it in place. POST saves."""
    _require_manage(request, org)
    year = _year_or_404(year)
    if area not in AREAS:
        raise Http404("没有这一部分。")
    summary = _summary_or_404(org, year)
    section = next((s for s in summary.sections.all() if s.area == area), None)
    error = ""
    editing = request.GET.get("edit") == "1"
    text = section.text if section else ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        if request.POST.get("restore") == "1" and section is not None:
            text = section.draft
        try:
            section = services.save_section(
                actor=request.user, org=org, summary=summary, area=area, text=text
            )
        except DomainError as e:
            error = next(iter(e.fields.values()), e.message) if e.fields else e.message
            editing = True
        else:
            editing = False
            if not request.htmx:
                messages.success(request, f"“{AREAS[area]}”已保存。")
                return redirect(reverse("reports:summary", args=[org.pk, year]) + f"#area-{area}")
    context = _context(
        request,
        org,
        year=year,
        a={"key": area, "label": AREAS[area], "section": section},
        editing=editing,
        text=text,
        error=error,
        page_title=f"修改：{AREAS[area]}",
    )
    if request.htmx:
        return render(request, "reports/_section.html", context, status=400 if error else 200)
    return render(request, "reports/section_edit.html", context, status=400 if error else 200)


@login_required
@org_view("records.view", "records")
def summary_docx(request, org, year):
    _require_manage(request, org)
    year = _year_or_404(year)
    summary = _summary_or_404(org, year)
    values = figures.year_figures(org, year)
    content = documents.summary_docx(
        org,
        year,
        texts=selectors.texts_of(summary),
        values=values,
        charts=charts.summary_charts(values, year),
        today=timezone.localdate(),
    )
    audit.record(
        actor=request.user, org=org, action="reports.summary.export", obj=summary, changes={"year": year}
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{org.name}{year}年工作总结.docx")
    return response


@login_required
@org_view("records.view", "records")
def summary_chart(request, org, year, key):
    year = _year_or_404(year)
    values = figures.year_figures(org, year)
    chart = next((c for c in charts.summary_charts(values, year) if c.key == key), None)
    if chart is None:
        raise Http404("没有这张图表。")
    try:
        content = charts.png(chart)
    except FontMissing as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(content, content_type="image/png")


@login_required
@org_view("records.view", "records")
def figure(request, org, year, key):
    """The records a figure counts (of one group with ?group=): the number shown is these rows."""
    year = _year_or_404(year)
    group = request.GET.get("group", "")
    fig, rows = selectors.figure_rows(org, year, key, group)
    value = figures.evaluate(fig, rows)
    # The total counts every row; the rows listed are those the reader may open.
    shown = figures.rows_shown(request.user, org, fig, rows)
    page = Paginator(shown or [], ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/figure.html",
        _context(
            request,
            org,
            page_title=f"{year}年{fig.label}",
            year=year,
            fig=fig,
            value=value,
            group=group,
            page=page,
            rows_closed=shown is None,
            area_label=AREAS[fig.area],
        ),
    )


# ---- 台帐 --------------------------------------------------------------------------------------------


def _archive_year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or selectors.default_year(today))
    except ValueError:
        raise Http404("没有这个年度。") from None
    return _year_or_404(year)


@login_required
@org_view("records.view", "records")
def archive_page(request, org):
    year = _archive_year(request)
    category = request.GET.get("category", "")
    if category and category not in archive.CATEGORIES:
        category = ""
    q = request.GET.get("q", "").strip()[:50]
    everything = archive.collect(org, year)
    shown = [e for e in everything if (not category or e.category == category)]
    if q:
        shown = [e for e in shown if q in e.title or q in e.detail or q in e.kind]
    counts = {key: 0 for key in archive.CATEGORIES}
    for e in everything:
        counts[e.category] += 1
    groups = [
        {"key": key, "label": label, "entries": [e for e in shown if e.category == key]}
        for key, label in archive.CATEGORIES.items()
    ]
    context = _context(
        request,
        org,
        tab="archive",
        page_title=f"{year}年台帐",
        year=year,
        category=category,
        q=q,
        groups=[g for g in groups if g["entries"]],
        shown=len(shown),
        total=len(everything),
        files=sum(len(e.files) for e in everything),
        categories=[(key, label, counts[key]) for key, label in archive.CATEGORIES.items()],
    )
    template = "reports/_archive_results.html" if request.htmx else "reports/archive.html"
    return render(request, template, context)


@login_required
@org_view("records.view", "records")
def archive_zip(request, org, year):
    _require_manage(request, org)
    year = _year_or_404(year)
    entries = archive.readable_by(request.user, org, archive.collect(org, year))
    content = exporting.archive_zip(org, year, entries)
    audit.record(
        actor=request.user,
        org=org,
        action="reports.archive.export",
        obj=None,
        changes={"year": year, "entries": len(entries), "bytes": len(content)},
        object_repr=f"{year}年台帐",
    )
    response = HttpResponse(content, content_type=ZIP)
    response["Content-Disposition"] = content_disposition_header(True, f"{org.name}{year}年台帐.zip")
    return response
