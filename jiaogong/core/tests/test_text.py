"""core/text.py: whatever is typed or stored, the cleaned text is valid XML 1.0 and survives a trip
through Excel (openpyxl) and Word (python-docx)."""

import io
import re
from xml.etree import ElementTree

import openpyxl
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.core.text import clean, illegal_characters, illegal_message, xml_safe

# Any code point, surrogates included (hypothesis leaves them out unless asked).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _xml_roundtrip(text: str) -> str:
    element = ElementTree.Element("t")
    element.text = text
    return ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode")).text or ""


@given(ANY_TEXT)
def test_xml_safe_output_is_always_xml_1_0_text(text):
    out = xml_safe(text)
    assert XML_CHAR.fullmatch(out)
    assert not re.search("[\x7f-\x9f]", out)


@given(ANY_TEXT, st.booleans())
def test_clean_output_is_always_xml_1_0_text_without_stray_breaks(text, multiline):
    out = clean(text, multiline=multiline)
    assert XML_CHAR.fullmatch(out)
    assert "\r" not in out
    if not multiline:
        assert "\n" not in out and "\t" not in out


@given(st.text(max_size=60))
def test_text_without_control_characters_is_unchanged(text):
    text = re.sub("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]", "", text)
    assert xml_safe(text) == text
    assert clean(text, multiline=True) == text
    assert clean(text, multiline=False) == text


@settings(max_examples=40, deadline=None)
@given(ANY_TEXT)
def test_xml_safe_text_round_trips_through_openpyxl(text):
    safe = xml_safe(text)
    wb = openpyxl.Workbook()
    wb.active["A1"] = safe
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A1"].value
    assert (back or "") == safe


@settings(max_examples=40, deadline=None)
@given(ANY_TEXT)
def test_xml_safe_text_round_trips_through_python_docx(text):
    safe = clean(text, multiline=False)
    doc = Document()
    doc.add_paragraph(safe)
    out = io.BytesIO()
    doc.save(out)
    back = Document(io.BytesIO(out.getvalue())).paragraphs[-1].text
    assert back == safe


def test_a_pasted_word_text_keeps_its_lines():
    assert clean("第一行\x0b第二行\r\n第三行\x00\x1b", multiline=True) == "第一行\n第二行\n第三行"
    assert clean("张\t三\n\x00", multiline=False) == "张 三 "


def test_the_message_names_the_characters():
    assert illegal_characters("a\x00b\x1bc\x00") == ["U+0000", "U+001B"]
    assert illegal_message("a\x00b") == "含有不可见的控制字符（U+0000），请删除后重试。"
    assert _xml_roundtrip(xml_safe("心得\x00\x0b\x1b")) == "心得"
