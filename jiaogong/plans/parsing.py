"""Pasted plan text → a structured 工作计划: title, 指导思想, sections of 主要工作, schedule items, and
the remainder the parser could not place (kept as text for the chair). Pure: no I/O, no Django.

The text is read line by line. A line may hold several things run together (text copied out of a
Word table or a web page: "1、部署工作。2024年3月", "第七周 征求建议 第八周 庆祝五一"), so each
line is first cut into segments at the points where a new thing starts. Each segment is then one of:

- a period header: a month ("九月份：", "2024年3月", "XX年元月份：", "八、九月份：", "七至八月"),
  a quarter ("一季度：") or a week ("第一周"), possibly followed by its first item on the same line;
- a schedule heading ("三、主要活动安排", "活动安排：", "附：…工会工作要点"): what follows are items
  even before a period header (their period then stays 待定 for the chair to set);
- a title ("2024年冷水溪小学工会工作计划", "篇三：…"): the first is the plan's title, the others
  (a paste of several plans) go to the remainder;
- a heading: "一、指导思想", "二、主要工作" (a container: its "（一）…" sub-headings are the
  sections), "三、…" / "（二）…" (a section);
- text: an item under a period, a line of 指导思想, of the current section, or the remainder.

Schedule item: one numbered entry ("1、…", "1.…", "（1）…") under a period, or the unnumbered text of
a line under a period. A numbered line of a section ending with a month ("…比赛 十二月份") is both
kept in the section and scheduled in that month.

Nothing is lost: every segment of every line is recorded in `placements` with where it went.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

MONTH = "month"
QUARTER = "quarter"
WEEK = "week"
NONE = ""
PERIOD_LABELS = {MONTH: "月", QUARTER: "季度", WEEK: "周", NONE: "待定"}
MAX_WEEK = 30


def cn_number(text: str) -> int | None:
    """ "九" → 9, "十二" → 12, "二十" → 20, "12" → 12, "元"/"正" → 1; None when it is no number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text in ("元", "正"):
        return 1
    if "十" in text:
        head, _, tail = text.partition("十")
        if head and head not in CN_DIGITS or tail and tail not in CN_DIGITS or len(text) > 3:
            return None
        return (CN_DIGITS[head] if head else 1) * 10 + (CN_DIGITS[tail] if tail else 0)
    if len(text) == 1 and text in CN_DIGITS:
        return CN_DIGITS[text]
    return None


@dataclass(frozen=True)
class Period:
    """Where an item sits in the year: month 9, months 8–9, quarter 1, week 3, or 待定 (kind "")."""

    kind: str = NONE
    start: int | None = None
    end: int | None = None

    @property
    def label(self) -> str:
        return period_label(self.kind, self.start, self.end)


def period_label(kind: str, start: int | None, end: int | None = None) -> str:
    if kind == MONTH:
        return f"{start}月" if not end or end == start else f"{start}—{end}月"
    if kind == QUARTER:
        return f"第{'一二三四'[start - 1]}季度" if start and 1 <= start <= 4 else "季度"
    if kind == WEEK:
        return f"第{start}周" if not end or end == start else f"第{start}—{end}周"
    return "时间待定"


@dataclass
class ParsedItem:
    period: Period
    text: str
    line: int


@dataclass
class ParsedSection:
    title: str
    lines: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Placement:
    """One segment of one input line and where it went: title, guidance, section, item, heading
    (a period header or a structural heading, represented by the plan's structure), remainder, or
    duplicate (a truncated copy of the next line, "…" at its end)."""

    line: int
    text: str
    where: str


@dataclass
class ParsedPlan:
    title: str = ""
    guidance: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    remainder: list[str] = field(default_factory=list)
    year: int | None = None
    kind: str = "annual"
    placements: list[Placement] = field(default_factory=list)

    @property
    def remainder_text(self) -> str:
        return "\n".join(self.remainder)


# ---- patterns --------------------------------------------------------------------------------------

CN = "一二三四五六七八九十"
_YEAR = r"(?:\d{4}|20[Xx×]{2}|[Xx×]{2})年?"
_MNUM = rf"(?:\d{{1,2}}|[{CN}]{{1,3}}|元|正)"
_MONTH = rf"(?:{_YEAR})?\s*(?P<m1>{_MNUM})(?:\s*[、，,至到\-—~～]\s*(?P<m2>{_MNUM}))?\s*月份?"
_QUARTER = r"第?(?P<q>[一二三四1-4])季度"
_WEEK = rf"第\s*(?P<w1>\d{{1,2}}|[{CN}]{{1,3}})\s*(?:[至到\-—~～、]\s*第?\s*(?P<w2>\d{{1,2}}|[{CN}]{{1,3}})\s*)?周(?!年|岁|期)"
_NUMBERED = r"(?:\d{1,2}\s*[、.．](?!\d)|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])"
# A month or quarter header ends with a colon, whitespace, the end, or the first numbered item.
_HEAD_END = rf"(?:\s*[：:]|\s+|$|(?={_NUMBERED}))"
HEADER_RE = re.compile(rf"^\s*(?:(?P<month>{_MONTH})|(?P<quarter>{_QUARTER})){_HEAD_END}\s*")
WEEK_RE = re.compile(rf"^\s*(?P<week>{_WEEK})\s*[：:]?\s*")
NUMBERED_RE = re.compile(rf"^\s*{_NUMBERED}\s*")
TOP_HEADING_RE = re.compile(rf"^\s*(?P<n>[{CN}]{{1,3}})\s*[、.．]\s*(?P<rest>.*)$")
SUB_HEADING_RE = re.compile(rf"^\s*[（(]\s*(?P<n>[{CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*(?P<rest>.*)$")
GUIDANCE_RE = re.compile(r"^\s*指导思想\s*[：:]?\s*(?P<rest>.*)$")
DOC_MARKER_RE = re.compile(rf"^\s*(?:第[{CN}]{{1,3}}篇|篇[{CN}]{{1,3}})\s*[：:]")
SCHEDULE_WORDS = re.compile(
    r"活动安排|工作安排|月份安排|行事历|工作要点|月份工作|日程安排|进度安排|活动计划表|工作日程"
)
CONTAINER_WORDS = re.compile(
    r"^(?:主要工作|工作思路|工作重点|工作目标和措施|主要工作及措施|工作措施|主要任务|具体工作|工作内容)"
)
TITLE_END = re.compile(r"(?:工作计划|工作总结|工作要点|计划|总结|要点)")
TITLE_MARKERS = re.compile(r"\d{4}|[Xx×]{2}|学年|学期|学校|小学|中学|中心校|幼儿园|[县乡镇区市]")
TITLE_EXTRAS = re.compile(rf"篇[{CN}\d]|范文|精选|【|有哪些|实用")
SIGNATURE_RE = re.compile(
    r"(?<=[)）。；;])\s*(?P<sig>[\u4e00-\u9fff]{2,15}(?:中心小学|小学|中学|中心校|学校|幼儿园))\s*$"
)
NOTE_RE = re.compile(r"^\s*(?:备注|注[：:]|说明[：:])")
ANNOTATION_RE = re.compile(
    rf"^(?P<body>\s*{_NUMBERED}.*?)(?:[。；;]|\s)\s*(?P<m>\d{{1,2}}|[{CN}]{{1,3}})月份?\s*$"
)
ELLIPSIS_RE = re.compile(r"(?:\.{3,}|…+)\s*$")
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
TRAILING_PUNCT = "。；;，,、 \t"

# Where a new segment starts inside a line.
_BOUNDARY = r"(?:(?<=[。；;！!？?）)\s])|(?<=安排)|(?<=要点)|(?<=行事历)|(?<=[：:]))"
_SPLITTERS = [
    re.compile(rf"(?=(?:第[{CN}]{{1,3}}篇|篇[{CN}]{{1,3}})\s*[：:])"),
    re.compile(r"(?<=[。；;！!？?\s])(?=附\s*[：:])"),
    re.compile(rf"{_BOUNDARY}(?=(?:{_MONTH}|{_QUARTER})\s*[：:])"),
    re.compile(rf"(?:(?<=[。；;！!？?）)])|(?<=\s))(?=(?:{_MONTH}|{_QUARTER})(?:\s|$|{_NUMBERED}))"),
    re.compile(rf"(?:{_BOUNDARY}|(?<=周))(?={_WEEK})"),
    re.compile(rf"(?<=[。])(?=[（(][{CN}]{{1,3}}[)）])"),
    re.compile(rf"(?<=[。])(?=[{CN}]{{1,2}}、)"),
    re.compile(
        r"(?:(?<=[。；;])|(?<=\s))(?=(?:\d{4}|[Xx]{2})年[^\s。，,；;]{0,24}(?:工作计划|工作总结)(?:[（(]\d[)）])?\s*$)"
    ),
]
_INLINE_NUMBER = re.compile(r"(?:(?<=[。；;！!？?])|(?<=\s))(?=\d{1,2}\s*[、.．](?!\d))")


def _valid_month(m: int | None) -> bool:
    return m is not None and 1 <= m <= 12


def match_header(segment: str):
    """(Period, rest of the segment) when the segment starts with a period header, else None."""
    m = HEADER_RE.match(segment)
    if m:
        if m.group("month"):
            m1, m2 = cn_number(m.group("m1")), cn_number(m.group("m2") or "")
            if _valid_month(m1) and (m2 is None or (_valid_month(m2) and m2 > m1)):
                return Period(MONTH, m1, m2), segment[m.end() :]
        else:
            q = cn_number(m.group("q"))
            if q and 1 <= q <= 4:
                return Period(QUARTER, q, None), segment[m.end() :]
    m = WEEK_RE.match(segment)
    if m:
        w1, w2 = cn_number(m.group("w1")), cn_number(m.group("w2") or "")
        if w1 and 1 <= w1 <= MAX_WEEK and (w2 is None or w1 < w2 <= MAX_WEEK):
            return Period(WEEK, w1, w2), segment[m.end() :]
    return None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_title(text: str) -> bool:
    """A plan's title line: short, no sentence, ends in 计划/总结/要点 (give or take a 篇二 or
    （2）), and names a year, a school or a term — or carries the marks of a collection."""
    t = _compact(text)
    if not t or len(t) > 40 or "。" in t or NUMBERED_RE.match(t) or match_header(t):
        return False
    if DOC_MARKER_RE.match(t):
        return True
    m = None
    for found in TITLE_END.finditer(t):
        m = found  # the last one: "…工作计划（2）", "…工作总结"
    if m is None:
        return False
    prefix, suffix = t[: m.start()], t[m.end() :]
    if len(suffix) > 12:
        return False
    if t in ("工作计划", "工作总结", "工会工作计划", "工会工作总结"):
        return True
    return bool(TITLE_MARKERS.search(prefix) or TITLE_EXTRAS.search(t))


def _cut(line: str, patterns) -> list[str]:
    cuts = {0, len(line)}
    for pattern in patterns:
        for m in pattern.finditer(line):
            if 0 < m.start() < len(line):
                cuts.add(m.start())
    points = sorted(cuts)
    return [line[a:b] for a, b in zip(points, points[1:], strict=False)]


def split_line(line: str) -> list[str]:
    """Cut a line where a new header, heading, title or collection marker starts."""
    pieces = _cut(line, _SPLITTERS[:1])  # a collection's markers first: "…2024年8月篇四：…"
    pieces = [piece for part in pieces for piece in _cut(part, _SPLITTERS[1:])]
    # A split must not leave a piece that is only whitespace glued to nothing: merge those forward.
    out: list[str] = []
    for piece in pieces:
        if out and not out[-1].strip():
            out[-1] += piece
        else:
            out.append(piece)
    return out


def strip_item(text: str) -> str:
    text = NUMBERED_RE.sub("", text, count=1)
    return text.strip().rstrip(TRAILING_PUNCT).strip()


def _heading_parts(rest: str) -> tuple[str, str]:
    """A heading line may run on into its text: cut at the first 。 or at a wide gap."""
    rest = rest.strip()
    m = re.search(r"。|\s{1,}(?=\S)", rest)
    if m and m.start() >= 4:
        title = rest[: m.start()].strip()
        body = rest[m.end() :].strip()
        return title.rstrip("：:；;，,"), body
    return rest.rstrip("。：:；;，,").strip(), ""


class _Parser:
    def __init__(self, text: str):
        text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
        self.lines = text.split("\n")
        self.plan = ParsedPlan()
        self.mode = "preamble"  # preamble | guidance | section | schedule | remainder
        self.period: Period | None = None
        self.period_has_items = False
        self.period_raw = ""
        self.period_line = 0
        self.pending: list[tuple[Period, str, int]] = []  # headers still without items
        self.section: ParsedSection | None = None
        self.container: tuple[str, int] | None = None
        self.guidance: list[str] = []
        self.guidance_closed = False
        self.header_years: list[int] = []

    # -- bookkeeping -----------------------------------------------------------------------------
    def place(self, line: int, text: str, where: str) -> None:
        if text.strip():
            self.plan.placements.append(Placement(line, text, where))

    def to_remainder(self, line: int, text: str) -> None:
        text = text.strip()
        if text:
            self.plan.remainder.append(text)
            self.place(line, text, "remainder")

    def close_period(self) -> None:
        """The current period ends; a header that got no item goes to the remainder."""
        if self.period is not None and not self.period_has_items:
            self.pending.append((self.period, self.period_raw, self.period_line))
        self.period = None
        self.period_has_items = False

    def flush_pending(self) -> None:
        for _period, raw, line in self.pending:
            self.plan.remainder.append(raw.strip())
            self._reassign(line, raw, "remainder")
        self.pending = []

    def _reassign(self, line: int, raw: str, where: str) -> None:
        for p in reversed(self.plan.placements):
            if p.line == line and p.text == raw and p.where == "heading":
                p.where = where
                return

    def leave_schedule(self) -> None:
        self.close_period()
        self.flush_pending()

    def add_item(self, period: Period, text: str, line: int, raw: str) -> None:
        self.plan.items.append(ParsedItem(period=period, text=text, line=line))
        self.place(line, raw, "item")

    # -- the walk --------------------------------------------------------------------------------
    def run(self) -> ParsedPlan:
        lines = self.lines
        for index, raw_line in enumerate(lines):
            number = index + 1
            line = raw_line.rstrip()
            if not line.strip():
                continue
            if ELLIPSIS_RE.search(line):
                following = next((x.strip() for x in lines[index + 1 :] if x.strip()), "")
                stem = ELLIPSIS_RE.sub("", line).strip()
                if stem and following.startswith(stem):
                    self.place(number, line, "duplicate")
                    continue
            if self.mode == "section" and self._annotated(number, line):
                continue
            segments = split_line(line)
            if self.mode == "preamble":
                segments = [part for s in segments for part in self._title_prefix(s)]
            for segment in segments:
                if segment.strip():
                    self.segment(number, segment)
        self.leave_schedule()
        plan = self.plan
        plan.guidance = "\n".join(self.guidance)
        years = YEAR_RE.findall(plan.title) or [str(y) for y in self.header_years]
        if years:
            plan.year = int(Counter(years).most_common(1)[0][0])
        if "学期" in plan.title or any(i.period.kind == WEEK for i in plan.items):
            plan.kind = "semester"
        elif "学年" in plan.title:
            plan.kind = "school_year"
        return plan

    def _title_prefix(self, segment: str) -> list[str]:
        """ "…2024年工会工作计划2024年是…" at the top: the title, then the text it runs into."""
        m = re.match(r"^(\s*\S{2,40}?(?:工作计划|工作总结))(?=\S{10,})", segment)
        if m and is_title(m.group(1)) and not NUMBERED_RE.match(segment):
            return [m.group(1), segment[m.end() :]]
        return [segment]

    def _annotated(self, number: int, line: str) -> bool:
        """A numbered line of a section that ends with its month: kept in the section, scheduled."""
        m = ANNOTATION_RE.match(line)
        if not m:
            return False
        month = cn_number(m.group("m"))
        if not _valid_month(month):
            return False
        self.section_text(number, line)
        text = strip_item(m.group("body"))
        if text:
            self.plan.items.append(ParsedItem(period=Period(MONTH, month), text=text, line=number))
        return True

    def section_text(self, number: int, text: str) -> None:
        if self.section is None:
            title, line = self.container or ("", number)
            self.section = ParsedSection(title=title, line=line)
            self.plan.sections.append(self.section)
            self.container = None
        self.section.lines.append(text.strip())
        self.place(number, text, "section")

    def start_section(self, number: int, raw: str, title: str, body: str) -> None:
        self.leave_schedule()
        self.close_guidance()
        self.mode = "section"
        self.section = ParsedSection(title=title, line=number)
        self.plan.sections.append(self.section)
        self.container = None
        self.place(number, raw, "section")  # the heading and any text it runs into
        if body:
            self.section.lines.append(body)

    def close_guidance(self) -> None:
        if self.guidance:
            self.guidance_closed = True

    def segment(self, number: int, raw: str) -> None:
        text = raw.strip()
        header = match_header(text)
        if header:
            period, rest = header
            self.close_period()
            if self.mode != "schedule":
                self.close_guidance()
            self.mode = "schedule"
            self.period = period
            self.period_has_items = False
            head = text[: len(text) - len(rest)] if rest else text
            self.period_raw, self.period_line = head, number
            self.place(number, head, "heading")
            for y in YEAR_RE.findall(head):
                self.header_years.append(int(y))
            if rest.strip():
                self.items_from(number, rest, header_rest=True)
            return
        if DOC_MARKER_RE.match(text) or is_title(text):
            self.leave_schedule()
            schedule = bool(SCHEDULE_WORDS.search(text)) and not DOC_MARKER_RE.match(text)
            if not self.plan.title and not DOC_MARKER_RE.match(text):
                self.plan.title = _compact(text) if " " in text.strip() and len(_compact(text)) <= 6 else text
                self.place(number, raw, "title")
            elif schedule:
                self.place(number, raw, "heading")
            else:
                self.to_remainder(number, text)
            self.close_guidance()
            self.section = None
            self.mode = "schedule" if schedule else "preamble"
            return
        m = GUIDANCE_RE.match(text)
        top = TOP_HEADING_RE.match(text)
        sub = SUB_HEADING_RE.match(text)
        heading_rest = top.group("rest") if top else sub.group("rest") if sub else None
        if m is None and heading_rest is not None:
            m = GUIDANCE_RE.match(heading_rest)
        if m is not None:
            self.leave_schedule()
            self.section = None
            rest = m.group("rest").strip()
            if not self.guidance and not self.guidance_closed:
                self.mode = "guidance"
                if rest:
                    self.guidance.append(rest)
                    cut = raw.rfind(rest)
                    self.place(number, raw[:cut], "heading")
                    self.place(number, raw[cut:], "guidance")
                else:
                    self.place(number, raw, "heading")
            else:
                self.mode = "remainder"
                self.to_remainder(number, text)
            return
        if heading_rest is not None and (
            SCHEDULE_WORDS.search(heading_rest) or text.lstrip().startswith("附")
        ):
            self.leave_schedule()
            self.close_guidance()
            self.section = None
            self.mode = "schedule"
            self.place(number, raw, "heading")
            return
        if (text.startswith("附") or len(_compact(text)) <= 24) and SCHEDULE_WORDS.search(text):
            self.leave_schedule()
            self.close_guidance()
            self.section = None
            self.mode = "schedule"
            self.place(number, raw, "heading")
            return
        if top is not None and heading_rest.strip():
            title, body = _heading_parts(heading_rest)
            if CONTAINER_WORDS.match(title) and not body:
                self.leave_schedule()
                self.close_guidance()
                self.mode = "section"
                self.section = None
                self.container = (title, number)
                self.place(number, raw, "heading")
                return
            self.start_section(number, raw, title, body)
            return
        if sub is not None and heading_rest.strip():
            title, body = _heading_parts(heading_rest)
            self.start_section(number, raw, title, body)
            return
        self.body(number, raw)

    def body(self, number: int, raw: str) -> None:
        text = raw.strip()
        if self.mode == "schedule":
            if NOTE_RE.match(text):
                self.to_remainder(number, text)
            elif self.period is not None or NUMBERED_RE.match(text):
                self.items_from(number, raw)
            else:
                self.to_remainder(number, text)
        elif self.mode == "guidance":
            self.guidance.append(text)
            self.place(number, raw, "guidance")
        elif self.mode == "section":
            self.section_text(number, raw)
        elif self.mode == "preamble" and not self.guidance and not self.guidance_closed and "指导" in text:
            self.guidance.append(text)
            self.place(number, raw, "guidance")
            self.mode = "guidance"
        else:
            self.to_remainder(number, text)

    def items_from(self, number: int, raw: str, *, header_rest: bool = False) -> None:
        text = raw.strip()
        sig = SIGNATURE_RE.search(text)
        signature = ""
        if sig:
            signature = sig.group("sig")
            text = text[: sig.start()].rstrip()
        period = self.period or Period()
        pieces = [p for p in _INLINE_NUMBER.split(text) if p.strip()]
        if header_rest and self.pending and len(pieces) == 1:
            cells = [c for c in re.split(r"\s+", text) if c.strip()]
            if len(cells) == len(self.pending) + 1:
                # A table copied column by column: "第十二周第十三周…" then their cells in one row.
                for (p, head, head_line), cell in zip(self.pending, cells, strict=False):
                    self._reassign(head_line, head, "heading")
                    self.plan.items.append(ParsedItem(period=p, text=strip_item(cell), line=number))
                self.place(number, " ".join(cells[:-1]), "item")
                self.pending = []
                pieces = [cells[-1]]
        for piece in pieces:
            item = strip_item(piece)
            if item:
                self.add_item(period, item, number, piece)
                self.period_has_items = True
            else:
                self.place(number, piece, "heading")
        if self.period_has_items and self.pending:
            self.flush_pending()
        if signature:
            self.to_remainder(number, signature)


def parse_plan(text: str) -> ParsedPlan:
    """Parse pasted plan text (see the module docstring). Never raises on any text."""
    return _Parser(text or "").run()
