"""困难职工档案 pages: who may open what (a file is 404 to everyone but the chair and the welfare
member), every read logged, the forms (household rows), bad input, help and reviews, the export."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from jiaogong.funds.models import LedgerEntry
from jiaogong.hardship.models import FileRead, HardshipFile, HelpRecord, HouseholdMember, Review
from jiaogong.testing import libreoffice_pdfs

TODAY = datetime.date.today()


@pytest.fixture
def plain_member(member_a):
    return member_a


def detail_url(f):
    return reverse("hardship:detail", args=[f.org_id, f.pk])


# ---- privacy ---------------------------------------------------------------------------------------


def test_the_chair_opens_a_file_and_the_read_is_logged(login, chair_a, a_file):
    response = login(chair_a).get(detail_url(a_file))
    assert response.status_code == 200
    assert "深度困难" in response.content.decode()
    read = FileRead.objects.get()
    assert (read.user, read.file, read.via) == (chair_a, a_file, "web")


def test_the_file_page_shows_who_has_read_it(login, chair_a, welfare, a_file, client):
    login(welfare).get(detail_url(a_file))
    page = login(chair_a).get(detail_url(a_file)).content.decode()
    reads = page.split("查阅记录")[1]
    assert "李生活" in reads and "王主席" in reads


@pytest.mark.parametrize("who", ["leader", "finance", "plain_member", "officer", "outsider_b"])
def test_nobody_else_can_open_a_file(request, login, a_file, who):
    user = request.getfixturevalue(who)
    client = login(user)
    for name in ("detail", "edit"):
        assert client.get(reverse(f"hardship:{name}", args=[a_file.org_id, a_file.pk])).status_code == 404
    for name in ("review", "help", "close"):
        assert (
            client.post(reverse(f"hardship:{name}", args=[a_file.org_id, a_file.pk]), {}).status_code == 404
        )
    assert FileRead.objects.count() == 0


def test_a_file_is_not_found_through_another_schools_address(login, outsider_b, school_b, a_file):
    assert login(outsider_b).get(reverse("hardship:detail", args=[school_b.pk, a_file.pk])).status_code == 404


def test_the_member_page_does_not_reveal_a_file_to_a_group_leader(login, leader, a_file):
    # same answer for a file that exists and one that does not
    client = login(leader)
    missing = client.get(reverse("hardship:detail", args=[a_file.org_id, a_file.pk + 999]))
    present = client.get(detail_url(a_file))
    assert missing.status_code == present.status_code == 404


@pytest.mark.parametrize("who", ["leader", "finance", "plain_member", "officer"])
def test_the_list_is_forbidden_to_other_roles(request, login, school_a, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("hardship:list", args=[school_a.pk])).status_code == 403
    assert client.get(reverse("hardship:create", args=[school_a.pk])).status_code == 403
    assert client.get(reverse("hardship:export", args=[school_a.pk])).status_code == 403


def test_the_list_is_not_found_for_an_outsider(login, outsider_b, school_a):
    client = login(outsider_b)
    for name in ("list", "create", "export"):
        assert client.get(reverse(f"hardship:{name}", args=[school_a.pk])).status_code == 404


def test_the_welfare_member_sees_ids_masked_and_the_chair_in_clear(login, welfare, chair_a, a_file):
    member = a_file.member
    page = login(welfare).get(detail_url(a_file)).content.decode()
    # The welfare member sees birthdays, so no digit of the ID (members/privacy.py).
    assert member.id_number not in page and member.id_number[:6] not in page and "*" * 18 in page
    page = login(chair_a).get(detail_url(a_file)).content.decode()
    assert member.id_number in page


# ---- the list ---------------------------------------------------------------------------------------


def test_the_list_flags_files_not_reviewed_this_year(login, welfare, make_file, teacher, school_a):
    make_file(teacher, opened_on=datetime.date(TODAY.year - 1, 11, 5), causes=["illness"])
    page = login(welfare).get(reverse("hardship:list", args=[school_a.pk])).content.decode()
    assert "陈静" in page and "未复核" in page and "因病" in page
    assert FileRead.objects.count() == 0  # the list shows no file's details


# ---- the form ---------------------------------------------------------------------------------------


def form_body(member, **overrides):
    body = {
        "member": str(member.pk),
        "household_size": "",
        "annual_income": "",
        "rigid_expenses": "",
        "hardship_costs": "0",
        "dibao_monthly": "800",
        "locality": "龙胜县",
        "causes": ["single_parent", "schooling"],
        "health": "健康",
        "housing": "rent",
        "opened_on": TODAY.isoformat(),
        "h-1-name": "林小雨",
        "h-1-relation": "女儿",
        "h-1-birth_year": "2014",
        "h-1-occupation": "学生",
        "inc-1-kind": "工资收入",
        "inc-1-amount": "36000",
        "exp-1-kind": "教育",
        "exp-1-amount": "4800",
    }
    return body | overrides


def test_the_welfare_member_creates_a_file_with_household_rows(login, welfare, teacher, school_a):
    response = login(welfare).post(reverse("hardship:create", args=[school_a.pk]), form_body(teacher))
    file = HardshipFile.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(file)
    # (36000 − 4800) / 12 / 2 = 1300: relative
    assert (file.household_size, file.category, file.per_capita_monthly) == (
        2,
        "relative",
        Decimal("1300.00"),
    )
    assert file.causes == ["schooling", "single_parent"]
    assert list(file.household.values_list("name", "relation", "birth_year")) == [("林小雨", "女儿", 2014)]


def test_a_bad_form_is_refused_with_chinese_messages_and_writes_nothing(login, welfare, teacher, school_a):
    body = form_body(teacher, dibao_monthly="abc", **{"h-2-name": "无关系的人", "inc-1-amount": "-3"})
    response = login(welfare).post(reverse("hardship:create", args=[school_a.pk]), body)
    assert response.status_code == 422
    page = response.content.decode()
    assert "当地低保标准应填写数字" in page
    assert "家庭成员第 2 行：请填写与职工的关系" in page
    assert "收入明细第 1 行金额不能为负数" in page
    assert HardshipFile.objects.count() == HouseholdMember.objects.count() == 0


def test_editing_recomputes_the_category(login, welfare, a_file):
    body = {
        "household_size": "3",
        "annual_income": "80000",
        "rigid_expenses": "6000",
        "hardship_costs": "0",
        "dibao_monthly": "800",
        "opened_on": a_file.opened_on.isoformat(),
        "h-1-name": "王强",
        "h-1-relation": "配偶",
    }
    response = login(welfare).post(reverse("hardship:edit", args=[a_file.org_id, a_file.pk]), body)
    assert response.status_code == 302
    a_file.refresh_from_db()
    assert a_file.category == "none" and a_file.household.get().name == "王强"
    assert list(a_file.category_history.values_list("category", flat=True)) == ["none", "deep"]


# ---- reviews, help, closing ---------------------------------------------------------------------------


def test_a_review_is_recorded_from_the_file_page(login, welfare, a_file):
    url = reverse("hardship:review", args=[a_file.org_id, a_file.pk])
    response = login(welfare).post(
        url, {"reviewed_on": TODAY.isoformat(), "conclusion": "keep", "note": "入户走访核实"}
    )
    assert response.status_code == 302
    assert Review.objects.get().note == "入户走访核实"


def test_a_bad_review_re_renders_the_file_with_422(login, welfare, a_file):
    url = reverse("hardship:review", args=[a_file.org_id, a_file.pk])
    response = login(welfare).post(url, {"reviewed_on": TODAY.isoformat(), "conclusion": "close", "note": ""})
    assert response.status_code == 422
    assert "销档请在复核说明中写明原因" in response.content.decode()
    assert Review.objects.count() == 0


def test_help_given_from_the_page_is_posted_to_the_ledger(login, welfare, a_file):
    url = reverse("hardship:help", args=[a_file.org_id, a_file.pk])
    body = {
        "kind": "living",
        "given_on": TODAY.isoformat(),
        "form": "cash",
        "amount": "1000",
        "note": "春节慰问",
    }
    assert login(welfare).post(url, body).status_code == 302
    help_ = HelpRecord.objects.get()
    assert help_.ledger_entry.amount == help_.amount == Decimal("1000.00")
    assert LedgerEntry.objects.get().subcategory == "困难帮扶"


def test_bad_help_is_refused_and_posts_nothing(login, welfare, a_file):
    url = reverse("hardship:help", args=[a_file.org_id, a_file.pk])
    body = {"kind": "living", "given_on": TODAY.isoformat(), "form": "cash", "amount": ""}
    response = login(welfare).post(url, body)
    assert response.status_code == 422
    assert "现金或转账帮扶请填写金额" in response.content.decode()
    assert HelpRecord.objects.count() == LedgerEntry.objects.count() == 0


def test_closing_a_file(login, welfare, a_file):
    url = reverse("hardship:close", args=[a_file.org_id, a_file.pk])
    assert (
        login(welfare)
        .post(url, {"closed_on": TODAY.isoformat(), "close_reason": "子女工作，收入稳定"})
        .status_code
        == 302
    )
    a_file.refresh_from_db()
    assert a_file.closed_on == TODAY


# ---- export --------------------------------------------------------------------------------------------


def test_the_chair_exports_the_open_files_and_each_is_logged(
    login, chair_a, a_file, make_file, school_a, welfare
):
    from jiaogong.factories import MemberFactory

    other = make_file(
        MemberFactory(org=school_a, name="黄丽"), household=[{"name": "黄父", "relation": "父亲"}]
    )
    response = login(chair_a).get(reverse("hardship:export", args=[school_a.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["困难职工档案", "家庭成员", "帮扶记录"]
    names = [row[1] for row in book["困难职工档案"].iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(["陈静", "黄丽"])
    assert book["家庭成员"]["B3"].value == "黄父"
    assert set(FileRead.objects.filter(via="export").values_list("file_id", flat=True)) == {
        a_file.pk,
        other.pk,
    }


def test_the_welfare_member_cannot_export(login, welfare, school_a, a_file):
    assert login(welfare).get(reverse("hardship:export", args=[school_a.pk])).status_code == 403
    assert FileRead.objects.count() == 0


def test_editing_an_item_changes_the_total_it_sums(login, welfare, make_file, teacher):
    file = make_file(
        teacher,
        annual_income="",
        income_items=[{"kind": "工资收入", "amount": "30000"}],
        rigid_expenses="6000",
    )
    client = login(welfare)
    url = reverse("hardship:edit", args=[file.org_id, file.pk])
    page = client.get(url).content.decode()
    assert 'name="annual_income" value=' not in page  # blank: the items give it
    body = {
        "household_size": "3",
        "annual_income": "",
        "rigid_expenses": "6000",
        "hardship_costs": "0",
        "dibao_monthly": "800",
        "opened_on": file.opened_on.isoformat(),
        "inc-1-kind": "工资收入",
        "inc-1-amount": "30000",
        "inc-2-kind": "配偶收入",
        "inc-2-amount": "40000",
    }
    assert client.post(url, body).status_code == 302
    file.refresh_from_db()
    # (70000 − 6000) / 36 = 1777.78: none
    assert (file.annual_income, file.category) == (Decimal("70000.00"), "none")
    assert FileRead.objects.filter(file=file, via="web").count() == 1  # the edit page's GET


def test_libreoffice_opens_the_export(login, chair_a, a_file, school_a, tmp_path):
    import os
    import shutil

    content = login(chair_a).get(reverse("hardship:export", args=[school_a.pk])).content
    if shutil.which("libreoffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it)")
    path = tmp_path / "困难职工档案.xlsx"
    path.write_bytes(content)
    libreoffice_pdfs([path], tmp_path)
