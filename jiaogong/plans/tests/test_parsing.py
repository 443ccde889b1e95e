"""The plan parser: the seeds' schedule styles, the five seed files item by item, and robustness."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.plans.parsing import Period, cn_number, is_title, match_header, parse_plan, split_line
from jiaogong.plans.tests.seed_items import ITEMS_002

# The five seed texts of issue 6 (real union plans and a summary), copied verbatim from the
# project's shared seeds so that a fresh clone runs these tests.
SEEDS = Path(__file__).resolve().parent / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def items_of(parsed):
    kinds = {"month": "M", "quarter": "Q", "week": "W", "": "-"}
    return [(i.line, kinds[i.period.kind], i.period.start, i.period.end, i.text) for i in parsed.items]


# ---- pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [
        ("九", 9),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("12", 12),
        ("元", 1),
        ("正", 1),
        ("百", None),
        ("", None),
    ],
)
def test_chinese_numbers_are_read_as_integers(text, number):
    assert cn_number(text) == number


@pytest.mark.parametrize(
    "segment, period, rest",
    [
        ("九月份：", Period("month", 9), ""),
        ("九月份：1、制定计划", Period("month", 9), "1、制定计划"),
        ("2024年3月 1、庆祝三八妇女节", Period("month", 3), "1、庆祝三八妇女节"),
        ("2024年3月", Period("month", 3), ""),
        ("XX年元月份：", Period("month", 1), ""),
        ("2024元月份：召开职工代表大会", Period("month", 1), "召开职工代表大会"),
        ("八、九月份：", Period("month", 8, 9), ""),
        ("七至八月", Period("month", 7, 8), ""),
        ("二月 ：", Period("month", 2), ""),
        ("一季度：", Period("quarter", 1), ""),
        ("第三季度：", Period("quarter", 3), ""),
        ("第一周", Period("week", 1), ""),
        ("第二周 整理会员材料", Period("week", 2), "整理会员材料"),
        ("第十九周学习《未成年人保护法》", Period("week", 19), "学习《未成年人保护法》"),
    ],
)
def test_the_seeds_period_headers_are_recognised(segment, period, rest):
    assert match_header(segment) == (period, rest)


@pytest.mark.parametrize(
    "segment",
    [
        "三月份参加城区职工趣味运动会",  # a month inside a sentence
        "十三月：",  # no such month
        "第二十周年校庆",  # 周年, not a week
        "九、十、十一月份完成",  # no separator after the month
        "五季度：",
        "第40周",
    ],
)
def test_text_that_only_looks_like_a_period_is_not_a_header(segment):
    assert match_header(segment) is None


def test_a_line_is_cut_where_headers_run_together():
    assert split_line("1、部署2024年工会工作。2024年3月") == ["1、部署2024年工会工作。", "2024年3月"]
    assert split_line("第七周 征求教职工的合理化建议 第八周 庆祝“五一”劳动节") == [
        "第七周 征求教职工的合理化建议 ",
        "第八周 庆祝“五一”劳动节",
    ]
    assert split_line("第十二周第十三周第十四周") == ["第十二周", "第十三周", "第十四周"]
    assert split_line("…创造性。附：月份工作安排八、九月份：") == [
        "…创造性。",
        "附：月份工作安排",
        "八、九月份：",
    ]
    assert split_line("七月： 工会总结。2024年8月篇四：2024年学校工会工作计划") == [
        "七月： 工会总结。",
        "2024年8月",
        "篇四：2024年学校工会工作计划",
    ]


@pytest.mark.parametrize(
    "line, title",
    [
        ("2024年冷水溪小学工会工作计划", True),
        ("榆中县骆驼巷学校工会工作计划", True),
        ("工会工作计划有哪些篇二", True),
        ("篇三：2024年学校工会工作计划", True),
        (" 工 作 计 划", True),
        ("制定工会工作计划", False),  # an item of 二月, not a title
        ("1、制定工会工作计划", False),
        ("学校工会工作计划的制定要充分听取意见，做到切实可行。", False),
    ],
)
def test_titles_are_told_from_items_that_mention_a_plan(line, title):
    assert is_title(line) is title


def test_a_simple_plan_is_parsed_into_its_parts():
    text = """2025年学校工会工作计划
一、指导思想
以习近平新时代中国特色社会主义思想为指导，团结全校教职工。
二、主要工作
（一）加强民主管理
1、开好教代会。
（二）丰富文体活动
1、举办羽毛球比赛。
三、工作安排
九月份：1、制定工会工作计划。2、庆祝教师节。
十月份：
1、庆祝国庆节。
第一季度：春节送温暖活动
网上找来的一句话
"""
    parsed = parse_plan(text)
    assert parsed.title == "2025年学校工会工作计划"
    assert parsed.year == 2025
    assert parsed.guidance == "以习近平新时代中国特色社会主义思想为指导，团结全校教职工。"
    assert [(s.title, s.text) for s in parsed.sections] == [
        ("加强民主管理", "1、开好教代会。"),
        ("丰富文体活动", "1、举办羽毛球比赛。"),
    ]
    assert [(i.period, i.text) for i in parsed.items] == [
        (Period("month", 9), "制定工会工作计划"),
        (Period("month", 9), "庆祝教师节"),
        (Period("month", 10), "庆祝国庆节"),
        (Period("quarter", 1), "春节送温暖活动"),
        (Period("quarter", 1), "网上找来的一句话"),  # unnumbered text under a period is an item
    ]
    assert parsed.remainder == []


def test_a_note_after_the_schedule_and_empty_headers_go_to_the_remainder():
    parsed = parse_plan("活动安排：\n三月：\n四月：\n1、春游\n备注：遇雨顺延\n")
    assert [(i.period, i.text) for i in parsed.items] == [(Period("month", 4), "春游")]
    assert parsed.remainder == ["三月：", "备注：遇雨顺延"]


def test_a_table_copied_column_by_column_is_zipped_when_the_cells_match_the_weeks():
    parsed = parse_plan("活动安排\n第一周第二周\n第三周学习《教师法》 拔河比赛 总结\n")
    assert [(i.period.start, i.text) for i in parsed.items] == [
        (1, "学习《教师法》"),
        (2, "拔河比赛"),
        (3, "总结"),
    ]
    assert parsed.remainder == []


# ---- the five seeds -------------------------------------------------------------------------------

# Seed 001, counted by hand: the appendix "附:xx小学20xx年工会工作要点" (l.139–195) lists 28
# numbered activities whose month headings were lost when the page was copied (the numbering
# restarts at each month; the first month starts at "2、"). The parser keeps them as items with
# their time 待定 for the chair to set; nothing else in the file is a schedule.
ITEMS_001 = [
    (141, "-", None, None, "继续做好校务公开工作"),
    (143, "-", None, None, "双周五下午4:20-5:00工会活动"),
    (145, "-", None, None, "三八节外出活动"),
    (147, "-", None, None, "师徒拜师会"),
    (149, "-", None, None, "双周五下午4:20-5:00工会活动"),
    (151, "-", None, None, "举行教工踏青联谊活动(结合爬山,烧烤等)"),
    (153, "-", None, None, "双周五下午4:20-5:00工会活动"),
    (155, "-", None, None, "课堂教学中的困惑与反思(沙龙的形式)"),
    (157, "-", None, None, "五一庆祝活动"),
    (159, "-", None, None, "组织教职工外出参观学习(三天)"),
    (161, "-", None, None, "举办交谊舞培训"),
    (163, "-", None, None, "读书交流活动"),
    (165, "-", None, None, "规范学校工会资料管理"),
    (167, "-", None, None, "全校教职工羽毛球比赛(分四组进行)"),
    (169, "-", None, None, "举办社区校际联谊会"),
    (171, "-", None, None, "简笔画板书设计比赛"),
    (173, "-", None, None, "期末教职工联谊会"),
    (175, "-", None, None, "组织教师暑假期间外出学习"),
    (177, "-", None, None, "组织庆教师节活动"),
    (179, "-", None, None, "参加教育系统劳模报告会"),
    (181, "-", None, None, "组织庆国庆登梧桐山活动"),
    (183, "-", None, None, "学习工会文件"),
    (185, "-", None, None, "筹备并召开第二届第二次教代会"),
    (187, "-", None, None, "开展教职工综合性体育比赛(分年级组进行)"),
    (189, "-", None, None, "教职工拖拉机比赛"),
    (191, "-", None, None, "庆祝元旦活动"),
    (193, "-", None, None, "举行全校教职工篮球比赛"),
    (195, "-", None, None, "工会总结工作"),
]


def test_seed_001_yields_the_28_activities_of_its_appendix():
    assert items_of(parse_plan(seed("001"))) == ITEMS_001


def test_seed_002_yields_its_168_schedule_items_exactly():
    parsed = parse_plan(seed("002"))
    assert len(ITEMS_002) == 168
    assert items_of(parsed) == ITEMS_002
    # The eight schedule styles of the file, one sample each.
    assert (11, "M", 9, None, "制定工会工作计划") not in items_of(
        parsed
    )  # the header is on l.11, the item on l.12
    assert (12, "M", 9, None, "制定工会工作计划") in ITEMS_002
    assert (78, "Q", 1, None, "春节送温暖活动") in ITEMS_002
    assert (116, "M", 3, None, "庆祝三八妇女节") in ITEMS_002
    assert (218, "M", 8, 9, "开学准备工作") in ITEMS_002
    assert (322, "M", 7, 8, "期末教职工联谊会") in ITEMS_002
    assert (411, "W", 2, None, "整理会员材料") in ITEMS_002
    assert (478, "M", 12, None, "举行一次冬季长跑比赛") in ITEMS_002
    assert (
        356,
        "M",
        1,
        None,
        "召开职工代表大会，慰问退休教职工，清理学校行政账目，进行工作总结",
    ) in ITEMS_002
    # What could not be placed stays for the chair: the bare weeks, a signature month, the notes.
    for line in (
        "第十二周",
        "第十八周",
        "2024年8月",
        "2024年9月",
        "巴彦琥硕中心小学",
        "备注及时参加一切迎接噢运有关活动",
    ):
        assert line in parsed.remainder


@pytest.mark.parametrize(
    "prefix, items, sections, remainder, title",
    [
        # 000: a plan of five parts (一、…五、) with numbered work under each and no schedule.
        ("000", 0, 5, 0, "梁平县龙胜乡中心小学2024年工会工作计划"),
        ("001", 28, 22, 68, "2023年工会工作计划有哪些(实用7篇)"),
        ("002", 168, 64, 73, "XX年关于学校工会工作计划精选"),
        # 003: 指导思想 and four parts （一）…（四）; "上半年…下半年…" in a sentence is no schedule.
        ("003", 0, 4, 0, "年学校工会工作计划"),
        # 004 is a year-end summary (工作总结): it reports what was done and schedules nothing.
        ("004", 0, 4, 12, "平望镇中心小学2017年工会工作总结"),
    ],
)
def test_each_seed_gives_the_counts_established_by_reading_it(prefix, items, sections, remainder, title):
    parsed = parse_plan(seed(prefix))
    assert len(parsed.items) == items
    assert len(parsed.sections) == sections
    assert len(parsed.remainder) == remainder
    assert parsed.title == title


def test_seed_000_keeps_its_guidance_and_its_five_parts():
    parsed = parse_plan(seed("000"))
    assert parsed.guidance.startswith("2024年是深入贯彻党的十六大精神")
    assert "指导思想是：以党的十六大精神和三个代表重要思想为指导" in parsed.guidance
    assert [s.title[:8] for s in parsed.sections] == [
        "发挥工会思想宣传",
        "坚定不移地贯彻党",
        "坚持发展是第一要",
        "忠实地履行工会的",
        "加强工会自身建设",
    ]
    assert parsed.sections[0].text.startswith("1、充分发挥教育工会的优势")
    assert parsed.year == 2024


def test_seed_003_has_its_guidance_and_four_parts():
    parsed = parse_plan(seed("003"))
    assert parsed.guidance.startswith("以邓小平理论和“三个代表”重要思想为指导")
    assert [s.title for s in parsed.sections][0] == "强化学习，提高认识，明确新时期工会工作重要意义"


# ---- robustness ------------------------------------------------------------------------------------


def _whitespace_free(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_nothing_lost(text: str) -> None:
    """Every non-blank line is cut into segments that, put together, are the line; each segment
    went somewhere, and its content is found where it went."""
    parsed = parse_plan(text)
    lines = (
        text.replace("\ufeff", "")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u3000", " ")
        .split("\n")
    )
    by_line: dict[int, list] = {}
    for p in parsed.placements:
        by_line.setdefault(p.line, []).append(p)
    outputs = {
        "title": _whitespace_free(parsed.title),
        "guidance": _whitespace_free(parsed.guidance),
        "section": _whitespace_free("".join(s.title + s.text for s in parsed.sections)),
        "item": _whitespace_free("".join(i.text for i in parsed.items)),
        "remainder": _whitespace_free("".join(parsed.remainder)),
    }
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            assert number not in by_line
            continue
        placed = by_line.get(number)
        assert placed, f"line {number} went nowhere: {line!r}"
        if placed[0].where == "duplicate":
            continue
        joined = "".join(_whitespace_free(p.text) for p in placed)
        assert _whitespace_free(line) == joined, (line, placed)
        for p in placed:
            content = _whitespace_free(p.text)
            if p.where in ("title", "guidance", "remainder"):
                assert content in outputs[p.where] or content.strip(":：") in outputs[p.where], (
                    p,
                    outputs[p.where][:80],
                )
            elif p.where == "item" and content:
                core = re.sub(r"^(?:\d{1,2}[、.．]|[（(]\d{1,2}[)）]|[①-⑩])", "", content).rstrip(
                    "。；;，,、"
                )
                assert (
                    core == ""
                    or core in outputs["item"]
                    or any(_whitespace_free(i.text) in content for i in parsed.items if i.line == number)
                ), (p, core)
            elif p.where == "section":
                rest = content
                assert (
                    any(
                        _whitespace_free(s.title) in rest or _whitespace_free(s.text)[:20] in rest
                        for s in parsed.sections
                    )
                    or rest in outputs["section"]
                )
            elif p.where == "heading":
                assert len(content) <= 60


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_nothing_of_a_seed_is_lost(prefix):
    assert_nothing_lost(seed(prefix))


FRAGMENTS = st.sampled_from(
    [
        "一、指导思想",
        "二、主要工作",
        "三、工作安排",
        "（一）加强民主管理",
        "九月份：",
        "十月份：1、庆祝国庆节。2、政治学习。",
        "2024年3月 1、庆祝三八妇女节",
        "一季度：",
        "第一周",
        "第二周 整理会员材料",
        "八、九月份：",
        "七至八月",
        "1、制定工会工作计划",
        "2.教师节活动",
        "（1）理念转换工程",
        "附：月份工作安排",
        "篇二：2024年学校工会工作计划",
        "2024年冷水溪小学工会工作计划",
        "备注：遇雨顺延",
        "以党的精神为指导。",
        "…",
        "……",
        "。",
        "：",
        "、",
        " ",
        "\u3000",
        "工会总结。2024年8月",
        "第十二周第十三周",
        "6、举行一次冬季长跑比赛 十二月份",
        "巴彦琥硕中心小学",
    ]
)
LINES = st.lists(
    st.one_of(
        FRAGMENTS, st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
    ),
    min_size=1,
    max_size=4,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=25).map("\n".join))
def test_any_text_parses_without_crashing_and_loses_nothing(text):
    assert_nothing_lost(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_crashes_the_parser(text):
    parsed = parse_plan(text)
    for item in parsed.items:
        assert item.text.strip()
        assert item.period.kind in ("month", "quarter", "week", "")
