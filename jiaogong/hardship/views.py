"""困难职工档案 pages: the list (with files not reviewed this year flagged), a new or changed file
with its household table, one file (its computed category and reasons, the reviews, the help
given, who has read it), the yearly review, help records, closing, and the chair's export.

Privacy: only the chair and the welfare member (hardship.view). A file's pages answer 404 to
anyone else — a wrong role too, never 403 — so a file's existence is not revealed; the list and
the export answer 403 to a wrong role of the same school. Every page that shows a file records
the read (selectors.open_file)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.hardship import exporting, selectors, services
from jiaogong.hardship.forms import (
    HOUSEHOLD_FIELDS,
    HOUSEHOLD_ROWS,
    ITEM_KINDS,
    ITEM_ROWS,
    CloseForm,
    FileForm,
    HelpForm,
    ReviewForm,
    household_rows,
    item_rows,
    rows_from,
)
from jiaogong.hardship.models import FileRead
from jiaogong.members.selectors import reveal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECTION = "welfare"


def file_view(capability: str):
    """Like org_view, but a wrong role is 404 (a file's pages never say a file exists)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_id, file_id, *args, **kwargs):
            org = selectors.file_org_for(request.user, org_id, capability)
            request.org = org
            request.nav_section = SECTION
            return view(request, org, file_id, *args, **kwargs)

        wrapper.capability = capability  # read by the permission matrix, as org_view's
        return wrapper

    return decorator


@login_required
@org_view("hardship.view", SECTION)
def file_list(request, org):
    today = timezone.localdate()
    show_closed = request.GET.get("closed") == "1"
    rows = list(selectors.files(org, include_closed=show_closed, year=today.year))
    for f in rows:
        f.due = f.is_open and not selectors.checked_in(f, today.year)
    return render(
        request,
        "hardship/list.html",
        {
            "org": org,
            "page_title": "困难职工档案",
            "rows": rows,
            "year": today.year,
            "show_closed": show_closed,
            "due_count": sum(1 for f in rows if f.due),
            "can_write": can(request.user, org, "hardship.write"),
            "can_export": can(request.user, org, "hardship.export"),
        },
    )


def _file_data(form, post) -> dict:
    data = dict(form.cleaned_data)
    data["household"] = rows_from(post, "h", HOUSEHOLD_FIELDS, HOUSEHOLD_ROWS)
    data["income_items"] = rows_from(post, "inc", ("kind", "amount"), ITEM_ROWS)
    data["expense_items"] = rows_from(post, "exp", ("kind", "amount"), ITEM_ROWS)
    return data


def _row_errors(error) -> list[str]:
    """The messages of the table rows (household.2.name, income_items.1.amount…)."""
    tables = ("household", "income_items", "expense_items")
    return [m for k, m in (error.fields or {}).items() if k.split(".")[0] in tables]


def _form_page(request, org, *, form, file, household, income, expense, row_errors, status=200):
    return render(
        request,
        "hardship/form.html",
        {
            "org": org,
            "page_title": "修改困难职工档案" if file else "新建困难职工档案",
            "form": form,
            "file": file,
            "household": household,
            "household_more": any(any(str(v) for v in row.values()) for row in household[3:]),
            "income": income,
            "expense": expense,
            "income_kinds": ITEM_KINDS["inc"],
            "expense_kinds": ITEM_KINDS["exp"],
            "row_errors": row_errors,
        },
        status=status,
    )


@login_required
@org_view("hardship.write", SECTION)
def create(request, org):
    today = timezone.localdate()
    post = request.POST if request.method == "POST" else None
    form = FileForm(
        post,
        org=org,
        initial={
            "opened_on": today,
            "hardship_costs": "0",
            "dibao_monthly": value_for(org, "hardship.dibao_monthly"),
            "member": request.GET.get("member", ""),
        },
    )
    row_errors: list[str] = []
    if post is not None and form.is_valid():
        data = _file_data(form, post)
        member = data.pop("member")
        try:
            file = services.create_file(actor=request.user, org=org, member=member or None, **data)
        except DomainError as e:
            add_domain_errors(form, e)
            row_errors = _row_errors(e)
        else:
            messages.success(
                request, f"已建立{file.member.name}的困难职工档案：{file.get_category_display()}。"
            )
            return redirect("hardship:detail", org.pk, file.pk)
    return _form_page(
        request,
        org,
        form=form,
        file=None,
        household=household_rows(post),
        income=item_rows(post, "inc"),
        expense=item_rows(post, "exp"),
        row_errors=row_errors,
        status=422 if form.errors else 200,
    )


@login_required
@file_view("hardship.write")
def edit(request, org, file_id):
    file = selectors.get_file(request.user, org, file_id)
    post = request.POST if request.method == "POST" else None
    if post is None:
        selectors.log_read(request.user, file, via=FileRead.Via.WEB)
    initial = {
        k: getattr(file, k)
        for k in (
            "household_size",
            "annual_income",
            "rigid_expenses",
            "hardship_costs",
            "dibao_monthly",
            "locality",
            "major_incident",
            "causes",
            "health",
            "housing",
            "housing_note",
            "opened_on",
            "note",
        )
    }
    # With items, the total is their sum: left blank, so a changed item changes it.
    if file.income_items:
        initial["annual_income"] = ""
    if file.expense_items:
        initial["rigid_expenses"] = ""
    form = FileForm(post, org=org, file=file, initial=initial)
    row_errors: list[str] = []
    if not file.is_open:
        messages.error(request, "该档案已销档，不能再修改。")
        return redirect("hardship:detail", org.pk, file.pk)
    if post is not None and form.is_valid():
        data = _file_data(form, post)
        if not any(i["kind"] or i["amount"] for i in data["income_items"]):
            data["income_items"] = []
        if not any(i["kind"] or i["amount"] for i in data["expense_items"]):
            data["expense_items"] = []
        try:
            file = services.update_file(actor=request.user, file=file, **data)
        except DomainError as e:
            add_domain_errors(form, e)
            row_errors = _row_errors(e)
        else:
            messages.success(request, f"已保存。重新认定的类别：{file.get_category_display()}。")
            return redirect("hardship:detail", org.pk, file.pk)
    return _form_page(
        request,
        org,
        form=form,
        file=file,
        household=household_rows(post, file),
        income=item_rows(post, "inc", file.income_items),
        expense=item_rows(post, "exp", file.expense_items),
        row_errors=row_errors,
        status=422 if form.errors else 200,
    )


def _detail(request, org, file, *, review_form=None, help_form=None, close_form=None, status=200):
    today = timezone.localdate()
    return render(
        request,
        "hardship/detail.html",
        {
            "org": org,
            "page_title": f"{file.member.name} · 困难职工档案",
            "file": file,
            "masked": reveal(request.user, org, file.member, via="web"),
            "household": file.household.all(),
            "history": selectors.category_history(file),
            "reviews": file.reviews.select_related("reviewer"),
            "helps": file.help_records.select_related("recorded_by", "ledger_entry"),
            "reads": selectors.reads(file),
            "year": today.year,
            "due": selectors.review_due(file, today.year),
            "can_write": can(request.user, org, "hardship.write") and file.is_open,
            "review_form": review_form or ReviewForm(initial={"reviewed_on": today, "conclusion": "keep"}),
            "help_form": help_form or HelpForm(initial={"given_on": today}),
            "close_form": close_form or CloseForm(initial={"closed_on": today}),
        },
        status=status,
    )


@login_required
@file_view("hardship.view")
def detail(request, org, file_id):
    file = selectors.open_file(request.user, org, file_id, via=FileRead.Via.WEB)
    return _detail(request, org, file)


def _post_to_file(request, org, file_id, form_class, call, success, form_key):
    file = selectors.get_file(request.user, org, file_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = success(call(file, form.cleaned_data))
        except DomainError as e:
            if not e.fields:
                messages.error(request, e.message)
                return redirect("hardship:detail", org.pk, file.pk)
            add_domain_errors(form, e)
        else:
            messages.success(request, message)
            return redirect("hardship:detail", org.pk, file.pk)
    selectors.log_read(request.user, file, via=FileRead.Via.WEB)  # the page shows the file again
    file.refresh_from_db()
    return _detail(request, org, file, status=422, **{form_key: form})


@login_required
@require_POST
@file_view("hardship.write")
def review(request, org, file_id):
    def call(file, data):
        return services.review_file(actor=request.user, file=file, **data)

    def success(r):
        return f"已记录{r.year}年度复核：{r.get_conclusion_display()}，类别{r.get_category_display()}。"

    return _post_to_file(request, org, file_id, ReviewForm, call, success, "review_form")


@login_required
@require_POST
@file_view("hardship.write")
def help_record(request, org, file_id):
    def call(file, data):
        return services.record_help(actor=request.user, file=file, **data)

    def success(h):
        if h.amount is not None:
            return f"已登记{h.get_kind_display()} {h.amount} 元，并已记账（凭证 {h.ledger_entry_id}）。"
        return f"已登记{h.get_kind_display()}。"

    return _post_to_file(request, org, file_id, HelpForm, call, success, "help_form")


@login_required
@require_POST
@file_view("hardship.write")
def close(request, org, file_id):
    def call(file, data):
        return services.close_file(
            actor=request.user, file=file, closed_on=data["closed_on"], reason=data["close_reason"]
        )

    return _post_to_file(request, org, file_id, CloseForm, call, lambda f: "档案已销档。", "close_form")


@login_required
@org_view("hardship.export", SECTION)
def export(request, org):
    today = timezone.localdate()
    files = list(selectors.files(org, year=today.year))
    content = exporting.workbook(org, files, today=today, user=request.user)
    services.log_export(request.user, files)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"困难职工档案_{today:%Y%m%d}.xlsx")
    return response


app_name = "hardship"
urlpatterns = [
    path("o/<int:org_id>/welfare/hardship/", file_list, name="list"),
    path("o/<int:org_id>/welfare/hardship/new/", create, name="create"),
    path("o/<int:org_id>/welfare/hardship/export.xlsx", export, name="export"),
    path("o/<int:org_id>/welfare/hardship/<int:file_id>/", detail, name="detail"),
    path("o/<int:org_id>/welfare/hardship/<int:file_id>/edit/", edit, name="edit"),
    path("o/<int:org_id>/welfare/hardship/<int:file_id>/review/", review, name="review"),
    path("o/<int:org_id>/welfare/hardship/<int:file_id>/help/", help_record, name="help"),
    path("o/<int:org_id>/welfare/hardship/<int:file_id>/close/", close, name="close"),
]
