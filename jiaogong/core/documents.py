"""A small toolkit for printable Word papers (python-docx): A4 pages, Chinese fonts, titles,
headings, paragraphs, bordered tables and page numbers in the footer.

Word picks the font of Chinese characters from `w:rFonts/@w:eastAsia`, not from the Latin font
name python-docx sets, and a theme attribute (`w:eastAsiaTheme`) overrides an explicit name. So
every style and run here names both fonts and drops the theme attributes; otherwise a paper
opened in Word or WPS shows Chinese in whatever the theme says (often 等线) instead of 宋体/黑体.
"""

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from jiaogong.core.text import xml_safe

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = 12  # 小四
TABLE_SIZE = 10.5  # 五号
HEADING_SIZES = {1: 16, 2: 14, 3: 12}  # 三号, 四号, 小四
TITLE_SIZE = 22  # 二号
BLACK = RGBColor(0, 0, 0)
TEXT_WIDTH = 15.6  # cm between the margins of an A4 page

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(
    target, east_asia: str, *, latin: str = LATIN_FONT, size: float | None = None, bold=None
) -> None:
    """Name the Chinese and the Latin font of a style or a run (see the module docstring)."""
    font = target.font
    font.name = latin
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_language(style) -> None:
    """Mark the text as Chinese so that LibreOffice and Word pick CJK fonts and line breaking."""
    rpr = style.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _plain_paragraph_style(style) -> None:
    """Drop the default template's decoration (borders, colour) from a style we reuse."""
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    style.font.color.rgb = BLACK


def new_document(title: str = "") -> DocumentObject:
    """An A4 portrait document with 公文-like margins, 宋体 body text and 黑体 headings."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(1.5)

    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, size=BODY_SIZE)
    _set_language(normal)
    normal.paragraph_format.line_spacing = 1.3
    normal.paragraph_format.space_after = Pt(3)

    for level, size in HEADING_SIZES.items():
        style = doc.styles[f"Heading {level}"]
        set_fonts(style, HEADING_FONT, size=size, bold=level == 3)
        _plain_paragraph_style(style)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        style.paragraph_format.space_after = Pt(6 if level == 1 else 4)
        style.paragraph_format.keep_with_next = True

    title_style = doc.styles["Title"]
    set_fonts(title_style, HEADING_FONT, size=TITLE_SIZE, bold=False)
    _plain_paragraph_style(title_style)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_before = Pt(6)
    title_style.paragraph_format.space_after = Pt(6)
    title_style.font.character_spacing = Pt(0)

    if title:
        doc.core_properties.title = xml_safe(title)
    doc.core_properties.language = "zh-CN"
    add_page_numbers(doc)
    return doc


def add_title(doc: DocumentObject, text: str, *, subtitle: str = "", size: float | None = None):
    """The centred title of a paper (黑体 二号), with an optional centred line under it."""
    paragraph = doc.add_paragraph(style="Title")
    run = paragraph.add_run(xml_safe(text))
    if size is not None:
        run.font.size = Pt(size)
    if subtitle:
        line = doc.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(12)
        set_fonts(line.add_run(xml_safe(subtitle)), "仿宋", size=14)
    return paragraph


def add_heading(doc: DocumentObject, text: str, level: int = 1, *, new_page: bool = False):
    """A heading (黑体); level 1–3. `new_page` starts it on a new page (no empty line left above)."""
    paragraph = doc.add_paragraph(xml_safe(text), style=f"Heading {level}")
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def add_paragraph(
    doc: DocumentObject, text: str = "", *, indent: bool = True, bold: bool = False, align: str = ""
):
    """A body paragraph, first line indented by two characters as Chinese prose is."""
    paragraph = doc.add_paragraph()
    if text:
        paragraph.add_run(xml_safe(text)).bold = bold or None
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    if align:
        paragraph.alignment = ALIGN[align]
    return paragraph


def add_text(doc: DocumentObject, text: str, *, indent: bool = True) -> None:
    """Free text typed by a user: one paragraph per non-empty line."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or ["（无）"]:
        add_paragraph(doc, line, indent=indent)


def add_field(doc: DocumentObject, label: str, value: str):
    """A "标签：内容" line with the label in bold, for the facts of an item."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(xml_safe(f"{label}：")).bold = True
    paragraph.add_run(xml_safe(value) or "—")
    return paragraph


def add_bullets(doc: DocumentObject, items: Iterable[str]) -> None:
    """A plain list (a "·" and a hanging indent; list numbering styles render unevenly in WPS)."""
    for item in items:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(BODY_SIZE * 2)
        paragraph.paragraph_format.first_line_indent = Pt(-BODY_SIZE)
        paragraph.add_run(xml_safe(f"· {item}"))


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_as_header(row) -> None:
    """Repeat the header row at the top of each page the table runs over."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _set_widths(table, widths: Sequence[float]) -> None:
    """Column widths in cm, on the grid (LibreOffice reads it) and on each cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _fill_cell(cell, text, *, bold: bool = False, align: str = "") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = None
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.15
    if align:
        paragraph.alignment = ALIGN[align]
    run = paragraph.add_run(xml_safe(text))
    run.font.size = Pt(TABLE_SIZE)
    if bold:
        run.bold = True


def add_table(
    doc: DocumentObject,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    widths: Sequence[float] | None = None,
    align: Sequence[str] | None = None,
):
    """A bordered table ("Table Grid") with a bold, shaded header row repeated on each page.

    `widths` are in centimetres; `align` gives each column's alignment ("left", "center", "right").
    """
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        _fill_cell(cell, text, bold=True, align="center")
        _shade(cell, "E7E6E6")
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _fill_cell(cell, value, align=align[i] if align else "")
    if widths:
        _set_widths(table, widths)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)  # keeps the next table apart
    return table


def add_form(doc: DocumentObject, pairs: Iterable[tuple[str, str]], *, label_width: float = 3.2):
    """A two-column bordered form (label | value), as on a paper 提案表."""
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for label, value in pairs:
        row = table.add_row()
        _fill_cell(row.cells[0], label, bold=True, align="center")
        _shade(row.cells[0], "F2F2F2")
        _fill_cell(row.cells[1], value or "—")
    _set_widths(table, [label_width, TEXT_WIDTH - label_width])
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def add_page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice fill in the number when laying out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, placeholder, end):
        run._r.append(element)
    set_fonts(run, BODY_FONT, size=TABLE_SIZE)


def add_page_numbers(doc: DocumentObject) -> None:
    """ "第 X 页 共 Y 页", centred in the footer of every section."""
    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, field in (("第 ", "PAGE"), (" 页 共 ", "NUMPAGES"), (" 页", None)):
            set_fonts(paragraph.add_run(text), BODY_FONT, size=TABLE_SIZE)
            if field:
                _field(paragraph, field)


def to_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def cn_date(day) -> str:
    """2026年12月10日 (no leading zeros, as printed on Chinese papers)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"
