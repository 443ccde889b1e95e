"""Excel files in and out, safely.

In: `open_workbook` is the one door every importer uses. An .xlsx is a zip of XML; a 75 KB file
whose sheet expands to hundreds of megabytes kept a worker busy for 15 s before any row was read.
So the zip's directory is checked first — member count, total uncompressed size, compression
ratio — then each sheet's declared <dimension>, all before openpyxl parses a byte of XML (and
openpyxl parses with defusedxml, which refuses entity tricks). Python's zipfile never inflates a
member past its declared size, so the declared sizes are a true bound.

Out: `new_workbook` gives an openpyxl workbook whose cells drop the control characters Excel
refuses (core/text.py), so text stored with them still exports instead of failing the whole file,
and whose text is never a formula ("=HYPERLINK(…)" typed as a name stays text).
"""

import io
import re
import zipfile

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jiaogong.core.text import xml_safe

MAX_MEMBERS = 200  # files inside the zip: a workbook of a few sheets has a few dozen
MAX_UNCOMPRESSED = 40 * 1024 * 1024  # all XML together; a 10,000-row roster is about 4 MB
MAX_RATIO = 100  # uncompressed / compressed for a member over 1 MB; sheets compress about 10:1
RATIO_FLOOR = 1024 * 1024
MAX_COLUMNS = 200

NOT_XLSX = "文件不是有效的 Excel（.xlsx）工作簿，请在 Excel 或 WPS 中另存为 .xlsx 后再试。"
BOMB = "文件解压后过大或压缩比异常（可能是恶意文件），已拒绝；请另存为普通的 .xlsx 后再试。"

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


class UnsafeWorkbook(ValueError):
    """The file is refused before parsing; the message is Chinese and names the reason."""


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_archive(data: bytes, *, max_rows: int) -> None:
    """Refuse (UnsafeWorkbook) a zip that is not a plausible workbook of at most `max_rows` rows."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsafeWorkbook(NOT_XLSX + "（这是旧版 .xls 文件，请在 Excel 或 WPS 中“另存为” .xlsx。）")
    if not data.startswith(b"PK"):
        raise UnsafeWorkbook(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook(NOT_XLSX) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeWorkbook(BOMB)
        if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise UnsafeWorkbook(BOMB)
        for info in infos:
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UnsafeWorkbook(BOMB)
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _check_dimension(archive, info, max_rows=max_rows)


def _check_dimension(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, max_rows: int) -> None:
    try:
        with archive.open(info) as f:
            head = f.read(4096)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise UnsafeWorkbook(NOT_XLSX) from None
    m = _DIMENSION.search(head)
    if not m:
        return  # no declared dimension: the importer's own row count limit applies
    last_col, last_row = m[3] or m[1], m[4] or m[2]
    if last_row and int(last_row) > max_rows:
        raise UnsafeWorkbook(f"工作表有 {int(last_row)} 行，超过上限 {max_rows} 行，请分成几个文件导入。")
    if last_col and _column_number(last_col.decode()) > MAX_COLUMNS:
        raise UnsafeWorkbook(f"工作表的列数超过上限 {MAX_COLUMNS} 列，请删除多余的列。")


def open_workbook(data: bytes, *, max_rows: int):
    """The workbook (read-only, values not formulas) of an uploaded .xlsx, after `check_archive`.
    UnsafeWorkbook with a Chinese message when it is refused or unreadable."""
    check_archive(data, max_rows=max_rows)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any zip that openpyxl cannot read as a workbook, whatever the reason
        raise UnsafeWorkbook(NOT_XLSX) from None


def bounded_rows(ws, *, max_rows: int, **kwargs):
    """ws.iter_rows(values_only=True, …), refusing (UnsafeWorkbook) past `max_rows` rows: a sheet
    that declares no dimension is still read no further than that."""
    for count, row in enumerate(ws.iter_rows(values_only=True, **kwargs), start=1):
        if count > max_rows:
            raise UnsafeWorkbook(f"数据行过多（超过 {max_rows} 行），请分成几个文件导入。")
        yield row


# ---- writing ------------------------------------------------------------------------------------


class _SafeCell(Cell):
    __slots__ = ()

    def check_string(self, value):
        if isinstance(value, bytes):
            value = value.decode(self.encoding, errors="replace")
        return super().check_string(None if value is None else xml_safe(value))

    def _bind_value(self, value):
        super()._bind_value(value)
        if self.data_type == "f":  # openpyxl reads "=…" as a formula: typed text must never run
            self.data_type = "s"


class _SafeWorksheet(Worksheet):
    def _get_cell(self, row, column):
        if not 0 < row < 1048577:
            raise ValueError(f"Row numbers must be between 1 and 1048576. Row number supplied was {row}")
        if (row, column) not in self._cells:
            self._add_cell(_SafeCell(self, row=row, column=column))
        return self._cells[(row, column)]

    def append(self, iterable):
        if isinstance(iterable, dict):
            iterable = {k: xml_safe(v) if isinstance(v, str) else v for k, v in iterable.items()}
        elif isinstance(iterable, list | tuple) or hasattr(iterable, "__iter__"):
            iterable = [xml_safe(v) if isinstance(v, str) else v for v in iterable]
        super().append(iterable)
        row = self._current_row
        for column in range(1, self.max_column + 1):
            cell = self._cells.get((row, column))
            if cell is not None and cell.data_type == "f":  # text, never a formula (see _SafeCell)
                cell.data_type = "s"


class SafeWorkbook(Workbook):
    """An openpyxl Workbook whose sheets drop the characters Excel refuses (see the module)."""

    def __init__(self):
        super().__init__()
        self._sheets = [_SafeWorksheet(self)]

    def create_sheet(self, title=None, index=None):
        sheet = _SafeWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def new_workbook() -> Workbook:
    return SafeWorkbook()
