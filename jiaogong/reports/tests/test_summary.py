"""The 工作总结: its figures equal what the test counts by hand from the records it built, every
figure's page lists exactly the records it counts, drafting and redrafting keep the chair's edits,
the .docx opens in LibreOffice."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.reports import charts, drafting, figures, services
from jiaogong.reports.models import AREAS, Summary, SummarySection
from jiaogong.reports.tests.conftest import YEAR
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

D = Decimal


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


# ---- the figures -----------------------------------------------------------------------------------


def test_the_summary_figures_equal_the_records_counted_by_hand(school_a, year_records):
    f = figures.year_figures(school_a, YEAR)
    # 组织建设: 张三, 李芳, 王敏, 赵强 and the two delegates; 钱调 was transferred out in August.
    assert f["members"].value == 6
    assert f["members_women"].value == 2  # 李芳, 王敏
    assert f["joined"].value == 1  # 王敏 joined in March
    assert f["left"].value == 1 and f["left"].groups == [("调出", 1, 1)]
    assert f["groups"].value == 2
    assert f["committee"].value == 2
    # 民主管理: one session; three proposals submitted (the one awaiting seconds is not received).
    assert f["congress_sessions"].value == 1
    assert f["proposals"].value == 3
    assert f["proposals_accepted"].value == 2
    assert f["proposals_replied"].value == 2
    assert f["proposals_rated"].value == 1 and f["proposals_satisfied"].value == 1
    # 送温暖: two visits, 500 元 between them (the second gave no money).
    assert f["visits"].value == 2
    assert f["visits_amount"].value == D("500.00")
    assert [(g, n) for g, _, n in f["visits"].groups] == [("生病住院", 2)]
    assert f["benefits"].value == D("500.00") and f["benefits"].count == 1
    # 文体活动: two held (the planned one is not); five check-ins of three people.
    assert f["activities"].value == 2
    assert {g: n for g, _, n in f["activities"].groups} == {"文体比赛": 1, "文体活动": 1}
    assert f["attendance"].value == len(year_records["present"]) == 5
    assert f["participants"].value == len({who.pk for _, _, who in year_records["present"]}) == 3
    # 经费: 10000 in; out 1200 − 1200 (reversed) + 1000 + 300, and the visit's 500 booked as 维权支出;
    # school B's 999 is not ours.
    assert f["income"].value == D("10000.00")
    assert f["expense"].value == D("1800.00")
    assert f["expense"].count == 5
    assert {g: v for g, v, _ in f["expense"].groups} == {
        "职工活动支出": D("1000.00"),
        "维权支出": D("500.00"),
        "业务支出": D("300.00"),
    }


def test_each_figure_is_the_rows_it_lists(school_a, year_records):
    for key, value in figures.year_figures(school_a, YEAR).items():
        fig, rows = figures.rows_of(school_a, YEAR, key)
        assert value.count == len(rows), key
        assert value.value == fig.value(rows), key
        for group, total, n in value.groups:
            _, grouped = figures.rows_of(school_a, YEAR, key, group)
            assert len(grouped) == n and fig.value(grouped) == total, (key, group)


def test_the_visit_rows_carry_no_names_or_notes(school_a, year_records):
    _, rows = figures.rows_of(school_a, YEAR, "visits")
    text = " ".join(f"{r.title} {r.detail}" for r in rows)
    assert "李芳" not in text and "赵强" not in text
    assert all(
        r.url.endswith(f"/events/{v.event_id}/") for r, v in zip(rows, year_records["visits"], strict=True)
    )


def test_the_page_of_a_figure_lists_its_records_with_links(login, chair_a, school_a, year_records):
    client = login(chair_a)
    page = client.get(url("figure", school_a.pk, YEAR, "attendance")).content.decode()
    assert "5 人次" in page
    assert page.count("<tr>") - 1 == 5  # the header row + one per check-in
    badminton = year_records["activities"][0]
    grouped = client.get(url("figure", school_a.pk, YEAR, "activities") + "?group=文体比赛").content.decode()
    assert badminton.title in grouped and "周五工会活动" not in grouped
    money = client.get(url("figure", school_a.pk, YEAR, "expense")).content.decode()
    assert "1,800.00 元" in money and "外校" not in money
    assert client.get(url("figure", school_a.pk, YEAR, "nonsense")).status_code == 404


def test_plan_items_done_against_planned_come_from_the_plans(school_a, chair_a):
    from jiaogong.plans import selectors as plan_selectors
    from jiaogong.plans import services as plans

    plan = plans.create_plan(
        actor=chair_a,
        org=school_a,
        title="2026年工会工作计划",
        kind="annual",
        year=YEAR,
        starts_on=datetime.date(YEAR, 1, 1),
    )
    items = [
        plans.add_item(actor=chair_a, plan=plan, text=text, period_kind="month", period_start=month)
        for text, month in (("三八妇女节活动", 3), ("羽毛球赛", 4), ("教师节庆祝", 9), ("元旦联欢", 12))
    ]
    today = datetime.date(YEAR, 11, 22)
    for item in items[:2]:
        plans.set_item_status(actor=chair_a, item=item, status="done", today=today)
    f = figures.year_figures(school_a, YEAR)
    assert f["plan_items"].value == 4 and f["plan_done"].value == 2
    progress = plan_selectors.plan_progress(school_a, YEAR)
    assert progress["total"] == 4 and progress["done"] == 2
    text = drafting.plan(f, year=YEAR)
    assert "共安排 4 项工作，已完成 2 项，完成率 50.0%" in text


def test_competitions_clubs_and_study_are_counted_in_the_culture_area(school_a, chair_a, year_records):
    from jiaogong.clubs.models import Club
    from jiaogong.competitions.models import Competition
    from jiaogong.study.models import Reflection, StudySession

    badminton, friday = year_records["activities"]
    Competition.objects.create(
        org=school_a, activity=badminton, sport="羽毛球", entry_kind="individual", created_by=chair_a
    )
    session = StudySession.objects.create(
        org=school_a,
        activity=friday,
        topic="学习《教师法》",
        reflection_due=datetime.date(YEAR, 9, 30),
        created_by=chair_a,
    )
    li, zhao = year_records["members"]["li"], year_records["members"]["zhao"]
    for who in (li, zhao):
        Reflection.objects.create(org=school_a, session=session, member=who, text="心得")
    Club.objects.create(org=school_a, name="书法兴趣小组", created_by=chair_a)
    f = figures.year_figures(school_a, YEAR)
    assert (f["competitions"].value, f["study_sessions"].value, f["reflections"].value, f["clubs"].value) == (
        1,
        1,
        2,
        1,
    )
    text = drafting.culture(f, year=YEAR)
    assert "举办教职工比赛 1 项" in text and "组织政治、业务学习 1 次，教职工提交学习心得 2 篇" in text
    assert "成立兴趣小组 1 个" in text


# ---- the draft ---------------------------------------------------------------------------------------


def test_the_draft_writes_the_figures_into_the_text(school_a, chair_a, year_records):
    summary = services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    texts = {s.area: s.text for s in summary.sections.all()}
    assert set(texts) == set(AREAS)
    assert "在册会员 6 人" in texts["organization"] and "新发展会员 1 人" in texts["organization"]
    assert "教职工代表大会 1 次" in texts["democracy"] and "收到提案和意见建议 3 件" in texts["democracy"]
    assert "满意率 100.0%" in texts["democracy"]
    assert "走访慰问教职工 2 人次" in texts["welfare"] and "500.00 元" in texts["welfare"]
    assert "举办活动 2 项" in texts["culture"] and "参加活动 5 人次" in texts["culture"]
    assert "参与活动的会员 3 人，占在册会员的 50.0%" in texts["culture"]
    assert "支出 1,800.00 元" in texts["funds"]
    assert AuditEvent.objects.filter(action="reports.summary.draft", org=school_a).count() == 1


def test_a_redraft_keeps_the_chairs_edits_unless_asked(school_a, chair_a, year_records):
    summary = services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    services.save_section(
        actor=chair_a, org=school_a, summary=summary, area="culture", text="主席改写的文体活动。"
    )
    from jiaogong.activities.models import Activity

    Activity.objects.filter(org=school_a, title="元旦联欢").update(status="held")
    services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    culture = SummarySection.objects.get(summary=summary, area="culture")
    assert culture.text == "主席改写的文体活动。" and culture.edited
    assert "举办活动 3 项" in culture.draft  # the new draft is kept beside it
    services.draft_summary(actor=chair_a, org=school_a, year=YEAR, overwrite=True)
    culture.refresh_from_db()
    assert "举办活动 3 项" in culture.text and not culture.edited
    assert Summary.objects.filter(org=school_a, year=YEAR).count() == 1


def test_saving_the_draft_text_unchanged_is_not_an_edit_and_too_long_is_refused(
    school_a, chair_a, year_records
):
    summary = services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    section = summary.sections.get(area="funds")
    services.save_section(actor=chair_a, org=school_a, summary=summary, area="funds", text=section.text)
    section.refresh_from_db()
    assert not section.edited
    with pytest.raises(InvalidInput) as e:
        services.save_section(actor=chair_a, org=school_a, summary=summary, area="funds", text="字" * 20001)
    assert "不能超过" in e.value.fields["text"]
    with pytest.raises(InvalidInput):
        services.save_section(actor=chair_a, org=school_a, summary=summary, area="nonsense", text="x")
    section.refresh_from_db()
    assert not section.edited


def test_an_empty_year_says_what_to_complete(school_a, chair_a):
    f = figures.year_figures(school_a, YEAR)
    assert "尚未登记已举行的活动" in drafting.culture(f, year=YEAR)
    assert "尚未登记经费收支" in drafting.funds(f, year=YEAR)
    assert "工作计划尚未录入" in drafting.plan(f, year=YEAR) or f["plan_items"].count


def test_the_year_must_be_a_year(school_a, chair_a):
    with pytest.raises(InvalidInput):
        services.draft_summary(actor=chair_a, org=school_a, year="二〇二六")
    with pytest.raises(InvalidInput):
        services.draft_summary(actor=chair_a, org=school_a, year=1999)
    assert not Summary.objects.exists()


# ---- the charts ------------------------------------------------------------------------------------


def test_the_charts_show_the_figures_groups(school_a, year_records):
    f = figures.year_figures(school_a, YEAR)
    by_key = {c.key: c for c in charts.summary_charts(f, YEAR)}
    assert [(b.label, b.value_text) for b in by_key["activities"].bars] == [
        ("文体比赛", "1 项"),
        ("文体活动", "1 项"),
    ]
    assert [t.text for t in by_key["activities"].ticks] == ["0", "1"]  # counts: whole-number gridlines
    expense = by_key["expense"]
    assert expense.bars[0].label == "职工活动支出" and expense.bars[0].value_text.startswith("1,000.00 元")
    assert expense.bars[0].length > expense.bars[1].length > 0
    png = charts.png(expense)
    assert png.startswith(b"\x89PNG")


def test_a_budget_chart_marks_the_limit_and_the_overrun():
    chart = charts.bar_chart("b", "预算", [("甲", 50, "50%"), ("乙", 130, "130%")], axis_max=150, limit=100)
    assert chart.limit_x == pytest.approx(charts.PAD + chart.plot_width * 100 / 150, abs=0.1)
    assert [b.over for b in chart.bars] == [False, True]
    empty = charts.bar_chart("e", "空", [], empty_text="没有")
    assert empty.empty and empty.empty_text == "没有"


# ---- the pages ---------------------------------------------------------------------------------------


def test_the_chair_drafts_edits_in_place_and_exports(login, chair_a, school_a, year_records):
    client = login(chair_a)
    page = client.get(url("summary", school_a.pk, YEAR)).content.decode()
    assert "起草2026年工作总结" in page and "<svg" in page
    assert url("figure", school_a.pk, YEAR, "visits") in page
    r = client.post(url("summary_draft", school_a.pk, YEAR))
    assert r.status_code == 302
    page = client.get(url("summary", school_a.pk, YEAR)).content.decode()
    assert "走访慰问教职工 2 人次" in page and "导出 Word" in page
    form = client.get(url("section", school_a.pk, YEAR, "welfare") + "?edit=1", HTTP_HX_REQUEST="true")
    assert "<textarea" in form.content.decode()
    saved = client.post(
        url("section", school_a.pk, YEAR, "welfare"),
        {"text": "一、送温暖。\n\n二、走访 2 人次。"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        saved.status_code == 200
        and "已修改" in saved.content.decode()
        and "<textarea" not in saved.content.decode()
    )
    bad = client.post(
        url("section", school_a.pk, YEAR, "welfare"), {"text": "字" * 20001}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400 and "不能超过" in bad.content.decode()
    assert SummarySection.objects.get(area="welfare").text == "一、送温暖。\n\n二、走访 2 人次。"
    docx = client.get(url("summary_docx", school_a.pk, YEAR))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "二、走访 2 人次。" in text and "龙胜乡中心小学工会2026年工作总结" in text
    assert len(Document(io.BytesIO(docx.content)).inline_shapes) >= 2  # the charts
    chart = client.get(url("chart", school_a.pk, YEAR, "expense"))
    assert chart.status_code == 200 and chart["Content-Type"] == "image/png"


def test_editing_works_without_htmx_too(login, chair_a, school_a, year_records):
    services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    client = login(chair_a)
    form = client.get(url("section", school_a.pk, YEAR, "plan") + "?edit=1")
    assert (
        form.status_code == 200 and "<textarea" in form.content.decode() and "<html" in form.content.decode()
    )
    r = client.post(url("section", school_a.pk, YEAR, "plan"), {"text": "计划完成较好。"})
    assert r.status_code == 302 and r["Location"].endswith("#area-plan")
    section = SummarySection.objects.get(area="plan")
    assert section.text == "计划完成较好。" and section.edited
    client.post(url("section", school_a.pk, YEAR, "plan"), {"restore": "1", "text": ""})
    section.refresh_from_db()
    assert section.text == section.draft and not section.edited
    assert client.get(url("section", school_a.pk, YEAR, "nonsense")).status_code == 404


def test_the_summary_home_opens_last_year_in_january(login, chair_a, school_a, monkeypatch):
    from jiaogong.reports import selectors

    assert selectors.default_year(datetime.date(2027, 1, 15)) == 2026
    assert selectors.default_year(datetime.date(2026, 11, 22)) == 2026
    r = login(chair_a).get(url("summary_home", school_a.pk))
    assert r.status_code == 302


def test_a_reader_sees_the_summary_but_cannot_draft_edit_or_export(
    login, auditor_a, chair_a, school_a, year_records
):
    services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    client = login(auditor_a)
    page = client.get(url("summary", school_a.pk, YEAR))
    assert page.status_code == 200 and "修改这一部分" not in page.content.decode()
    assert client.get(url("figure", school_a.pk, YEAR, "visits")).status_code == 200
    assert client.post(url("summary_draft", school_a.pk, YEAR)).status_code == 403
    assert client.post(url("section", school_a.pk, YEAR, "funds"), {"text": "x"}).status_code == 403
    assert client.get(url("summary_docx", school_a.pk, YEAR)).status_code == 403


PAGES = [
    ("summary_home", ()),
    ("summary", (YEAR,)),
    ("figure", (YEAR, "visits")),
    ("chart", (YEAR, "expense")),
    ("summary_docx", (YEAR,)),
    ("section", (YEAR, "funds")),
    ("archive", ()),
    ("archive_zip", (YEAR,)),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_an_outsider_gets_404_on_every_page(login, outsider_b, school_a, chair_a, name, args):
    services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    assert login(outsider_b).get(url(name, school_a.pk, *args)).status_code == 404
    if name in ("summary_draft", "section"):
        assert login(outsider_b).post(url(name, school_a.pk, *args)).status_code == 404


@pytest.mark.parametrize(("name", "args"), [*PAGES, ("summary_draft", (YEAR,))])
def test_a_plain_member_gets_403_on_every_page(login, member_a, school_a, chair_a, name, args):
    services.draft_summary(actor=chair_a, org=school_a, year=YEAR)
    method = "post" if name == "summary_draft" else "get"
    assert getattr(login(member_a), method)(url(name, school_a.pk, *args)).status_code == 403


def test_the_draft_page_needs_a_post_and_an_undrafted_year_has_no_docx(login, chair_a, school_a):
    client = login(chair_a)
    assert client.get(url("summary_draft", school_a.pk, YEAR)).status_code == 405
    assert client.get(url("summary_docx", school_a.pk, YEAR)).status_code == 404
    assert client.get(url("summary", school_a.pk, 1999)).status_code == 404


@needs_libreoffice
def test_libreoffice_opens_the_summary(login, chair_a, school_a, year_records, tmp_path):
    client = login(chair_a)
    client.post(url("summary_draft", school_a.pk, YEAR))
    (tmp_path / "summary.docx").write_bytes(client.get(url("summary_docx", school_a.pk, YEAR)).content)
    libreoffice_pdfs([tmp_path / "summary.docx"], tmp_path)
    pdf = tmp_path / "summary.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "工作总结" in text and "走访慰问" in text


def test_the_demo_drafts_the_year_and_rewrites_the_opening(school_a, chair_a, year_records):
    from jiaogong.reports.demo import load_reports

    load_reports(actor=chair_a, school=school_a, members=[], today=datetime.date(YEAR + 1, 1, 12), seed=1)
    summary = Summary.objects.get(org=school_a, year=YEAR)
    intro = summary.sections.get(area="intro")
    assert intro.edited and "全心全意依靠教职工办学" in intro.text
    assert "走访慰问教职工 2 人次" in summary.sections.get(area="welfare").text


def test_the_dues_figure_is_the_dues_paid_in_the_year_counted_by_hand(school_a, school_b):
    """收缴会费: 2026's payments only, ours only — three of 21.45 元 (base 2830 + 1467 → 4290 × 0.5%)."""
    from jiaogong.factories import MemberFactory, UserFactory, grant
    from jiaogong.funds import services as funds_services

    components = {"岗位工资": "2830", "薪级工资": "1467"}
    for org, count in ((school_a, 2), (school_b, 1)):
        finance = grant(UserFactory(), org, "finance")
        staff = [MemberFactory(org=org) for _ in range(count)]
        for month in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)):
            funds_services.put_salary_bases(
                actor=finance,
                org=org,
                month=month,
                rows=[{"member": m.pk, "components": components} for m in staff],
            )
        for m in staff:
            # December's dues paid in December 2025 (last year) for the first, in January 2026 for the rest.
            funds_services.collect_individual(
                actor=finance,
                org=org,
                member=m,
                month=datetime.date(2025, 12, 1),
                paid_on=datetime.date(2025, 12, 20) if m == staff[0] else datetime.date(2026, 1, 5),
            )
            funds_services.collect_individual(
                actor=finance,
                org=org,
                member=m,
                month=datetime.date(2026, 1, 1),
                paid_on=datetime.date(2026, 1, 20),
            )
    f = figures.year_figures(school_a, 2026)["dues"]
    assert f.count == 3  # A's first member: January; A's second: December (paid in January) and January
    assert f.value == D("64.35")  # 3 × 21.45
