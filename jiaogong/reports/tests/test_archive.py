"""The 台帐 archive: the year's records under the 建家 categories, browse and search, the .zip
whose contents match the entries and whose index lists every entry with its files, and the API."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiaogong.reports import archive, exporting
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile
from jiaogong.reports.tests.conftest import YEAR
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


@pytest.fixture
def filed(year_records, school_a, chair_a):
    """The year_records plus a mediation case, a collective contract and a checkup round."""
    from jiaogong.checkups.models import Round
    from jiaogong.rights.models import CollectiveContract, MediationCase

    MediationCase.objects.create(
        org=school_a,
        year=YEAR,
        number=3,
        subject="pay",
        applied_on=datetime.date(YEAR, 6, 1),
        claim="补发课时费（私密）",
        facts="事实（私密）",
        created_by=chair_a,
    )
    CollectiveContract.objects.create(
        org=school_a,
        title="龙胜乡中心小学集体合同",
        signed_on=datetime.date(YEAR, 3, 12),
        starts_on=datetime.date(YEAR, 4, 1),
        ends_on=datetime.date(YEAR + 2, 3, 31),
        created_by=chair_a,
    )
    Round.objects.create(
        org=school_a,
        title="2026年女职工妇检",
        kind="gynaecology",
        year=YEAR,
        starts_on=datetime.date(YEAR, 5, 6),
        ends_on=datetime.date(YEAR, 5, 20),
        provider="县妇幼保健院",
        created_by=chair_a,
    )
    return year_records


def test_the_year_is_filed_under_the_categories(school_a, filed):
    entries = archive.collect(school_a, YEAR)
    by = {}
    for e in entries:
        by.setdefault(e.category, []).append(e.title)
    assert "2026年会员名册" in by["organization"] and "2026年会员会籍变动" in by["organization"]
    assert filed["congress"].title in by["democracy"]
    assert "提案第1号：改善教师食堂" in by["democracy"] and "提案第2号：增设教工活动室" in by["democracy"]
    assert "劳动争议调解 2026年第3号" in by["rights"] and "龙胜乡中心小学集体合同" in by["rights"]
    assert "2026年走访慰问登记" in by["welfare"]
    assert "2026年女职工妇检" in by["women"]
    assert "2026年经费收支账目和收支情况报告" in by["funds"]
    # categories in the inspection's order, school B's records nowhere
    order = list(archive.CATEGORIES)
    assert [order.index(e.category) for e in entries] == sorted(order.index(e.category) for e in entries)
    assert not any("外校" in e.title or "外校" in e.detail for e in entries)


def test_private_details_stay_out(school_a, filed):
    entries = archive.collect(school_a, YEAR)
    text = " ".join(f"{e.title} {e.detail}" for e in entries)
    assert "私密" not in text
    case = next(e for e in entries if e.kind == "调解案件")
    assert case.files == [] and case.detail.endswith(case.detail.split("·")[-1])
    assert "补发" not in case.detail
    visits = next(e for e in entries if e.kind == "走访慰问")
    sheet = load_workbook(io.BytesIO(visits.files[0].content())).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "李芳" not in cells and "赵强" not in cells and "500" in cells
    roster = next(e for e in entries if e.kind == "会员名册")
    cells = " ".join(
        str(c.value)
        for row in load_workbook(io.BytesIO(roster.files[0].content())).active.iter_rows()
        for c in row
    )
    assert "李芳" in cells and "身份证" not in cells and "138" not in cells


def test_search_and_category_filter(school_a, filed):
    assert [e.title for e in archive.collect(school_a, YEAR, q="食堂")] == ["提案第1号：改善教师食堂"]
    women = archive.collect(school_a, YEAR, category="women")
    assert [e.title for e in women] == ["2026年女职工妇检"]
    assert archive.collect(school_a, YEAR, q="没有这种记录") == []


def test_the_zip_holds_every_entrys_files_and_an_index_listing_them(school_a, filed):
    entries = archive.collect(school_a, YEAR)
    content = exporting.archive_zip(school_a, YEAR, entries)
    z = zipfile.ZipFile(io.BytesIO(content))
    names = set(z.namelist())
    index_name = f"{YEAR}年台帐/{exporting.INDEX_NAME}"
    assert index_name in names
    expected_files = sum(len(e.files) for e in entries)
    assert len(names) == expected_files + 1
    sheet = load_workbook(io.BytesIO(z.read(index_name))).active
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    assert len(rows) == len(entries)
    listed = set()
    for row, entry in zip(rows, entries, strict=True):
        assert row[3] == entry.title and row[1] == archive.CATEGORIES[entry.category]
        paths = [] if row[6].startswith("（无文件") else row[6].split("\n")
        assert len(paths) == len(entry.files)
        for path, f in zip(paths, entry.files, strict=True):
            assert path.endswith(f.name) and f"{archive.CATEGORIES[entry.category]}/" in path
            assert z.read(path) == f.content() or path.endswith((".docx", ".xlsx"))
            listed.add(path)
    assert listed == names - {index_name}
    for name in names:
        if name.endswith((".docx", ".xlsx")):
            assert z.read(name)[:2] == b"PK"


def test_two_files_of_the_same_name_do_not_collide():
    day = datetime.date(YEAR, 1, 1)
    entries = [
        ArchiveEntry("culture", day, "甲", "活动", files=[ArchiveFile("签到表.xlsx", lambda: b"1")]),
        ArchiveEntry("culture", day, "乙", "活动", files=[ArchiveFile("签到表.xlsx", lambda: b"2")]),
    ]
    planned = exporting.plan_files(YEAR, entries)
    paths = [p for _, placed in planned for p, _ in placed]
    assert len(set(paths)) == 2


def test_an_app_module_with_archive_entries_is_collected(school_a, monkeypatch):
    import sys
    import types

    module = types.ModuleType("jiaogong.study.archive")
    module.archive_entries = lambda org, year: [
        ArchiveEntry("study", datetime.date(year, 4, 23), "读书分享会", "读书")
    ]
    monkeypatch.setitem(sys.modules, "jiaogong.study.archive", module)
    assert "读书分享会" in [e.title for e in archive.collect(school_a, YEAR, category="study")]
    monkeypatch.setitem(
        sys.modules,
        "jiaogong.study.archive",
        types.SimpleNamespace(
            archive_entries=lambda org, year: [
                ArchiveEntry("no-such", datetime.date(year, 1, 1), "归到其他", "读书")
            ]
        ),
    )
    assert [e.category for e in archive.collect(school_a, YEAR) if e.title == "归到其他"] == ["other"]


def test_the_new_apps_archive_modules_are_wired_when_present():
    import importlib

    wired = archive.sources()
    for path in archive.APP_MODULES:
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError:
            continue
        assert module.archive_entries in wired, path


@needs_libreoffice
def test_libreoffice_opens_the_index_and_the_papers_of_the_zip(school_a, filed, tmp_path):
    entries = archive.collect(school_a, YEAR)
    z = zipfile.ZipFile(io.BytesIO(exporting.archive_zip(school_a, YEAR, entries)))
    files = []
    for i, name in enumerate(n for n in z.namelist() if n.endswith((".docx", ".xlsx"))):
        target = tmp_path / f"{i:02d}{Path(name).suffix}"
        target.write_bytes(z.read(name))
        files.append(target)
    libreoffice_pdfs(files, tmp_path / "pdf")
    pdfs = list((tmp_path / "pdf").glob("*.pdf"))
    assert len(pdfs) == len(files) and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


# ---- the pages ---------------------------------------------------------------------------------------


def test_the_archive_page_browses_and_searches(login, chair_a, school_a, filed):
    client = login(chair_a)
    page = client.get(url("archive", school_a.pk) + f"?year={YEAR}").content.decode()
    assert "组织建设" in page and "民主管理" in page and "改善教师食堂" in page and "导出2026年台帐" in page
    found = client.get(
        url("archive", school_a.pk) + f"?year={YEAR}&q=食堂", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "改善教师食堂" in found and "会员名册" not in found and "<html" not in found
    women = client.get(url("archive", school_a.pk) + f"?year={YEAR}&category=women").content.decode()
    assert "女职工妇检" in women and "会员名册</a>" not in women
    assert client.get(url("archive", school_a.pk) + "?year=abc").status_code == 404


def test_the_chair_downloads_the_zip_and_it_is_audited(login, chair_a, school_a, filed):
    from jiaogong.core.models import AuditEvent

    r = login(chair_a).get(url("archive_zip", school_a.pk, YEAR))
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(r.content)).testzip() is None
    assert AuditEvent.objects.filter(action="reports.archive.export", org=school_a).exists()


def test_a_reader_browses_but_cannot_export(login, auditor_a, school_a, filed):
    client = login(auditor_a)
    assert client.get(url("archive", school_a.pk)).status_code == 200
    assert client.get(url("archive_zip", school_a.pk, YEAR)).status_code == 403


# ---- the API -------------------------------------------------------------------------------------


def test_the_api_gives_the_summary_figures(api, chair_a, school_a, year_records):
    body = api(chair_a).get(f"/orgs/{school_a.pk}/summary/{YEAR}").json()
    by_key = {f["key"]: f for f in body["figures"]}
    assert by_key["visits"]["value"] == 2 and by_key["visits"]["count"] == 2
    assert by_key["expense"]["value"] == "1800.00" and by_key["expense"]["unit"] == "元"
    assert by_key["participants"]["value"] == 3
    assert by_key["activities"]["url"] == url("figure", school_a.pk, YEAR, "activities")
    assert body["drafted_at"] is None and body["sections"] == []


def test_the_api_lists_the_archive(api, chair_a, school_a, filed):
    body = api(chair_a).get(f"/orgs/{school_a.pk}/archive/{YEAR}", {"category": "democracy"}).json()
    assert body["count"] == len(body["items"]) == 3
    assert {i["category_label"] for i in body["items"]} == {"民主管理"}
    bad = api(chair_a).get(f"/orgs/{school_a.pk}/archive/{YEAR}", {"category": "x"})
    assert bad.status_code == 400 and "category" in bad.json()["error"]["fields"]
    assert api(chair_a).get(f"/orgs/{school_a.pk}/archive/1999").status_code == 404


@pytest.mark.parametrize("path", ["summary", "archive"])
def test_the_api_is_404_to_an_outsider_and_403_to_a_member(api, outsider_b, member_a, school_a, path):
    assert api(outsider_b).get(f"/orgs/{school_a.pk}/{path}/{YEAR}").status_code == 404
    assert api(member_a).get(f"/orgs/{school_a.pk}/{path}/{YEAR}").status_code == 403
    assert api().get(f"/orgs/{school_a.pk}/{path}/{YEAR}").status_code == 401
