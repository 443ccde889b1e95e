"""A year of the 台帐 as a .zip: a folder per 建家 category with each entry's papers, and an
index workbook (台帐目录.xlsx) listing every entry and the names of its files in the zip."""

import io
import zipfile

from jiaogong.reports.archive import CATEGORIES, ArchiveEntry

INDEX_NAME = "台帐目录.xlsx"


def folder(year: int, category: str) -> str:
    number = list(CATEGORIES).index(category) + 1
    return f"{year}年台帐/{number:02d}{CATEGORIES[category]}"


def plan_files(year: int, entries: list[ArchiveEntry]) -> list[tuple[ArchiveEntry, list[tuple[str, object]]]]:
    """Where each entry's files go in the zip: (entry, [(path, ArchiveFile)]). Numbered within the
    category folder ("03-…"), so two papers of the same name never collide."""
    out = []
    seq: dict[str, int] = {}
    used: set[str] = set()
    for entry in entries:
        placed = []
        for f in entry.files:
            seq[entry.category] = seq.get(entry.category, 0) + 1
            path = f"{folder(year, entry.category)}/{seq[entry.category]:03d}-{f.name}"
            while path in used:  # pragma: no cover  (the sequence number already makes paths unique)
                path += "_"
            used.add(path)
            placed.append((path, f))
        out.append((entry, placed))
    return out


def index_xlsx(org, year: int, planned) -> bytes:
    from openpyxl.styles import Alignment, Border, Font, Side

    from jiaogong.core.xlsx import new_workbook

    wb = new_workbook()
    ws = wb.active
    ws.title = "台帐目录"
    ws.cell(1, 1, f"{org.name}{year}年工会工作台帐目录").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    headers = ["序号", "类别", "日期", "名称", "类型", "说明", "文件（压缩包内）"]
    widths = [6, 10, 12, 36, 12, 40, 60]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = ws.cell(2, col, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = border
        ws.column_dimensions[cell.column_letter].width = width
    row = 3
    for i, (entry, placed) in enumerate(planned, 1):
        values = [
            i,
            CATEGORIES[entry.category],
            entry.date,
            entry.title,
            entry.kind,
            entry.detail,
            "\n".join(path for path, _ in placed) or "（无文件，见系统记录）",
        ]
        for col, value in enumerate(values, 1):
            cell = ws.cell(row, col, value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=col in (4, 6, 7))
            if col == 3 and value:
                cell.number_format = "yyyy-mm-dd"
        row += 1
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def archive_zip(org, year: int, entries: list[ArchiveEntry]) -> bytes:
    planned = plan_files(year, entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{year}年台帐/{INDEX_NAME}", index_xlsx(org, year, planned))
        for _, placed in planned:
            for path, f in placed:
                z.writestr(path, f.content())
    return out.getvalue()
