"""Text people type, paste or import, made safe for the database and for every paper we write.

XML 1.0 (the inside of every .docx, .xlsx and of the 台帐 zip's papers) allows only #x9, #xA, #xD,
#x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF: a NUL, an ESC or a vertical tab pasted from Word
in one member's 心得 made the chair's whole 台帐 export fail. So:

- at the edges (web forms, the API, the importers) text goes through `clean`: a multi-line text
  keeps its line breaks and tabs (Word's line and page breaks become line breaks), a single-line
  text has its breaks and tabs turned into spaces; every other control character is dropped;
- the API refuses such characters instead (`illegal_characters` names them), since a program
  sending them has a bug worth telling about;
- the writers pass every string through `xml_safe`, so text stored before this check, or by a
  path that forgot it, still exports.

DEL and the C1 controls (U+007F–U+009F) are legal XML but never meant in Chinese office text
(they come from mis-decoded bytes), so they go too.
"""

import re

# Never legal in XML 1.0 (C0 but \t \n \r, surrogates, U+FFFE/U+FFFF), plus DEL and C1.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Line breaks other than \n: \r\n, \r, Word's manual line break (VT), page break (FF), NEL, LS, PS.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SINGLE_LINE_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def xml_safe(value) -> str:
    """The text with every character XML 1.0 (and so Word/Excel) refuses dropped; \\t \\n \\r kept.
    For the writers: whatever is stored, the paper can be written."""
    return _ILLEGAL.sub("", "" if value is None else str(value))


def clean(value, *, multiline: bool) -> str:
    """Text as typed, with the invisible control characters gone (rule: this module's docstring).

    multiline: line breaks become \\n (Word's VT/FF breaks too) and tabs stay; otherwise every
    break or tab becomes a space. Leading and trailing whitespace is left to the caller."""
    text = "" if value is None else str(value)
    text = _BREAKS.sub("\n", text) if multiline else _SINGLE_LINE_BREAKS.sub(" ", text)
    return _ILLEGAL.sub("", text)


def illegal_characters(value: str) -> list[str]:
    """The control characters in the text, as U+XXXX (each once, in order): for a message."""
    seen: list[str] = []
    for match in _ILLEGAL.finditer(value):
        code = f"U+{ord(match.group()):04X}"
        if code not in seen:
            seen.append(code)
    return seen


def illegal_message(value: str) -> str:
    """The Chinese reason a text with control characters is refused."""
    codes = illegal_characters(value)
    shown = "、".join(codes[:3]) + ("等" if len(codes) > 3 else "")
    return f"含有不可见的控制字符（{shown}），请删除后重试。"
