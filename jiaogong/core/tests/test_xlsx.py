"""core/xlsx.py: every importer opens a workbook through open_workbook, which refuses a zip bomb,
an oversized sheet or a non-workbook before openpyxl parses any XML; writers drop illegal text."""

import io
import time
import zipfile

import openpyxl
import openpyxl.xml
import pytest

from jiaogong.core.xlsx import UnsafeWorkbook, check_archive, new_workbook, open_workbook
from jiaogong.factories import roster_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def with_sheet(sheet_writer) -> bytes:
    """A real workbook whose first sheet's XML is written by `sheet_writer(file)`."""
    source = zipfile.ZipFile(io.BytesIO(roster_xlsx([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in source.infolist():
            if info.filename == SHEET:
                with z.open(SHEET, "w", force_zip64=True) as f:
                    sheet_writer(f)
            else:
                z.writestr(info, source.read(info.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 100 KB that inflates to 100 MB of sheet XML: one cell with a huge inline string."""

    def write(f):
        f.write(
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        f.write(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
        chunk = b"A" * (1024 * 1024)
        for _ in range(100):
            f.write(chunk)
        f.write(b"</t></is></c></row></sheetData></worksheet>")

    return with_sheet(write)


def test_a_zip_bomb_is_refused_in_milliseconds(bomb):
    assert len(bomb) < 150 * 1024
    started = time.perf_counter()
    with pytest.raises(UnsafeWorkbook, match="解压后过大或压缩比异常"):
        open_workbook(bomb, max_rows=1000)
    assert time.perf_counter() - started < 0.5


def test_a_declared_dimension_past_the_row_limit_is_refused():
    def write(f):
        f.write(
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:C2000000"/><sheetData/></worksheet>'
        )

    with pytest.raises(UnsafeWorkbook, match="工作表有 2000000 行，超过上限 10001 行"):
        check_archive(with_sheet(write), max_rows=10001)


def test_a_plain_workbook_opens():
    wb = open_workbook(roster_xlsx([]), max_rows=100)
    assert wb.worksheets
    wb.close()


@pytest.mark.parametrize(
    "data", [b"", b"not a zip", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old"]
)
def test_what_is_not_a_workbook_is_refused_in_chinese(data):
    with pytest.raises(UnsafeWorkbook, match="不是有效的 Excel"):
        open_workbook(data, max_rows=100)


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


def test_the_writers_drop_what_excel_refuses():
    wb = new_workbook()
    wb.active.append(["心得\x00\x1b", 3])
    wb.active.cell(2, 1, "第二\x0b行")
    wb.create_sheet("二").cell(1, 1, "\x07响铃")
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert [c.value for c in back.worksheets[0]["A"]] == ["心得", "第二行"]
    assert back["二"]["A1"].value == "响铃"


def test_typed_text_is_never_a_formula_in_an_export():
    wb = new_workbook()
    wb.active.append(['=HYPERLINK("http://evil","点我")', "=1+1"])
    wb.active.cell(2, 1, "=cmd|' /C calc'!A0")
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.data_type for c in back[1]] == ["s", "s"] and back["A2"].data_type == "s"
    assert back["A1"].value == '=HYPERLINK("http://evil","点我")'
