"""The Word toolkit: A4 pages, Chinese fonts named for East Asian text, bordered tables, page numbers."""

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Cm

from jiaogong.core import documents as d


def reopen(content: bytes):
    return docx.Document(io.BytesIO(content))


def east_asia_font(style_or_run) -> str | None:
    rfonts = style_or_run.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia"))


def test_new_document_is_a4_with_chinese_fonts_and_no_theme_fonts():
    doc = reopen(d.to_bytes(d.new_document("测试")))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert east_asia_font(doc.styles["Normal"]) == "宋体"
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[name]
        assert east_asia_font(style) == "黑体"
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override 黑体
    assert doc.core_properties.title == "测试"


def test_footer_holds_page_and_page_count_fields():
    doc = reopen(d.to_bytes(d.new_document()))
    footer = doc.sections[0].footer.paragraphs[0]
    codes = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("第 ") and footer.text.endswith(" 页")


def test_table_has_grid_style_bold_repeated_header_and_widths():
    doc = d.new_document()
    d.add_table(
        doc, ["序号", "案由"], [[1, "关于食堂的建议"], [2, None]], widths=[2, 10], align=["center", "left"]
    )
    table = reopen(d.to_bytes(doc)).tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["序号", "案由"]
    assert [c.text for c in table.rows[1].cells] == ["1", "关于食堂的建议"]
    assert table.rows[2].cells[1].text == ""
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold is True
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert round(table.columns[1].width.cm) == round(Cm(10).cm)


def test_title_heading_paragraph_and_free_text():
    doc = d.new_document()
    d.add_title(doc, "第八届第一次教职工代表大会", subtitle="2026年12月10日")
    d.add_heading(doc, "一、概况", 1)
    d.add_field(doc, "案由", "关于食堂的建议")
    d.add_text(doc, "第一行\n\n  第二行 ")
    d.add_text(doc, "")
    doc = reopen(d.to_bytes(doc))
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert texts[0] == ("Title", "第八届第一次教职工代表大会")
    assert texts[1][1] == "2026年12月10日"
    assert ("Heading 1", "一、概况") in texts
    assert ("Normal", "案由：关于食堂的建议") in texts
    bodies = [t for _, t in texts]
    assert bodies[-3:] == ["第一行", "第二行", "（无）"]


def test_form_is_two_bordered_columns():
    doc = d.new_document()
    d.add_form(doc, [("案由", "关于食堂的建议"), ("附议人", "")])
    table = reopen(d.to_bytes(doc)).tables[0]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in r.cells] for r in table.rows] == [["案由", "关于食堂的建议"], ["附议人", "—"]]


def test_page_break_and_heading_on_a_new_page():
    doc = d.new_document()
    d.add_paragraph(doc, "甲")
    d.add_page_break(doc)
    d.add_heading(doc, "乙", 2, new_page=True)
    doc = reopen(d.to_bytes(doc))
    assert any('w:type="page"' in p._p.xml for p in doc.paragraphs)
    assert doc.paragraphs[-1].paragraph_format.page_break_before is True


def test_cn_date():
    import datetime

    assert d.cn_date(datetime.date(2026, 3, 5)) == "2026年3月5日"
    assert d.cn_date(None) == "—"
