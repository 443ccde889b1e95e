"""The papers: the results sheet (.xlsx) and the 荣誉证书 (.docx, one page a winner), both opened by
LibreOffice headless."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from jiaogong.competitions import exporting, selectors, services
from jiaogong.competitions.models import Entry, Match
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice


@pytest.fixture
def finished(badminton, school_a, organiser):
    """Group stage in four groups, all played (the entry entered first wins), then prizes."""
    services.draw_divisions(actor=organiser, org=school_a, competition=badminton, groups=4, seed=11)
    rnd = services.add_round(
        actor=organiser,
        org=school_a,
        competition=badminton,
        name="小组赛",
        kind="round_robin",
        by_division=True,
    )
    services.generate_round_robin(actor=organiser, org=school_a, round=rnd)
    for m in Match.objects.filter(round=rnd):
        first = m.home_id < m.away_id
        services.record_match_result(
            actor=organiser,
            org=school_a,
            match=m,
            home_score=21 if first else 15,
            away_score=15 if first else 21,
        )
    timed = services.add_round(
        actor=organiser, org=school_a, competition=badminton, name="颠球赛", kind="scores"
    )
    services.record_scores(
        actor=organiser,
        org=school_a,
        round=timed,
        values={str(e.pk): str(10 + i) for i, e in enumerate(Entry.objects.filter(competition=badminton))},
    )
    services.set_prizes(
        actor=organiser, org=school_a, competition=badminton, tiers=[("一等奖", 4), ("二等奖", 4)]
    )
    services.award_from_ranking(actor=organiser, org=school_a, competition=badminton)
    return badminton


def test_the_results_sheet_has_the_ranking_and_a_sheet_a_round(finished):
    view = selectors.overview(finished)
    wb = openpyxl.load_workbook(io.BytesIO(exporting.results_xlsx(view)))
    assert wb.sheetnames == ["总成绩", "小组赛", "颠球赛"]
    ranking = wb["总成绩"]
    assert ranking["A1"].value == "2026年教职工羽毛球比赛成绩表"
    assert [c.value for c in ranking[3]] == ["名次", "姓名", "工会小组", "分组", "奖项"]
    rows = [[c.value for c in r] for r in ranking.iter_rows(min_row=4)]
    assert len(rows) == 12
    assert [r[4] for r in rows].count("一等奖") == 4 and [r[4] for r in rows].count("二等奖") == 4
    group = [[c.value for c in r] for r in wb["小组赛"].iter_rows(min_row=4, max_row=15)]
    assert all(r[3] in {"21 : 15", "15 : 21"} for r in group)
    assert any(c.value == "积分表" for row in wb["小组赛"].iter_rows() for c in row)


def test_one_certificate_page_a_winner(finished):
    awards = selectors.awards_of(finished)
    doc = Document(
        io.BytesIO(exporting.certificates_docx(finished, awards, issued_on=finished.activity.ends_at.date()))
    )
    titles = [p for p in doc.paragraphs if p.text == "荣 誉 证 书"]
    assert len(titles) == len(awards) == 8
    assert [bool(p.paragraph_format.page_break_before) for p in titles] == [False] + [True] * 7
    text = "\n".join(p.text for p in doc.paragraphs)
    for a in awards:
        assert f"{a.entry.name} 同志：" in text
    assert "在龙胜乡中心小学工会举办的2026年教职工羽毛球比赛（第" in text and "荣获一等奖" in text
    assert "2026年10月16日" in text and "特发此证，以资鼓励。" in text
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_a_team_certificate_names_the_team_and_its_members(make_competition, school_a, organiser, players):
    comp = make_competition(title="拔河比赛", sport="拔河", entry_kind="team")
    teams = [
        services.add_entry(
            actor=organiser, org=school_a, competition=comp, members=[p.pk for p in players[i::3]], name=n
        )
        for i, n in enumerate(["语文组队", "数学组队", "英语组队"])
    ]
    rnd = services.add_round(actor=organiser, org=school_a, competition=comp, name="决赛", kind="placings")
    services.record_scores(
        actor=organiser, org=school_a, round=rnd, values={str(t.pk): str(i + 1) for i, t in enumerate(teams)}
    )
    services.set_prizes(actor=organiser, org=school_a, competition=comp, tiers=[("一等奖", 1)])
    services.award_from_ranking(actor=organiser, org=school_a, competition=comp)
    doc = Document(
        io.BytesIO(
            exporting.certificates_docx(
                comp, selectors.awards_of(comp), issued_on=comp.activity.ends_at.date()
            )
        )
    )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "语文组队：" in text and "队员：" in text and "李明" in text


@needs_libreoffice
def test_libreoffice_opens_the_results_sheet_and_the_certificates(finished, tmp_path):
    files = {
        "results.xlsx": exporting.results_xlsx(selectors.overview(finished)),
        "certificates.docx": exporting.certificates_docx(
            finished, selectors.awards_of(finished), issued_on=finished.activity.ends_at.date()
        ),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    libreoffice_pdfs((tmp_path / name for name in files), tmp_path / "pdf")
    for name in files:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, name
    certificates = tmp_path / "pdf" / "certificates.pdf"
    if os.environ.get("COMPETITION_PDF_DIR"):  # to look at a page: pdftoppm -png -f 1 -l 1
        shutil.copy(certificates, os.environ["COMPETITION_PDF_DIR"])
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(certificates)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Pages:\s+8$", info, re.M), info  # one page a winner
