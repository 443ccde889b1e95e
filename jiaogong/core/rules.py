"""Rule parameters (RULES.md): a catalogue of national defaults and province values, stored as
data in RuleValue, with per-org overrides. Every number the domain rules use is read from here.

value_for(org, key) gives the value in force: the org's own, else its province's, else the
national default.
"""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Q

from jiaogong.core import audit, rule_bounds
from jiaogong.core.errors import InvalidInput


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    kind: str  # int | decimal | fraction | bool | list | table | choice
    default: Any
    source: str
    group: str
    unit: str = ""
    choices: tuple = ()


G_CONGRESS, G_ORG, G_MEMBERS, G_DUES, G_CAPS, G_WELFARE, G_NOTICE, G_ACTIVITIES = (
    "教代会",
    "工会组织",
    "会员",
    "会费与经费",
    "慰问标准（元）",
    "送温暖",
    "公开与评比",
    "活动",
)
LAW_CONGRESS = "教育部令第32号《学校教职工代表大会规定》"
LAW_UNION = "《中华人民共和国工会法》(2021)"
CHARTER = "《中国工会章程》"
ELECTION = "《工会基层组织选举工作条例》"
FUNDS_2017 = "总工办发〔2017〕32号"
ANHUI_2018 = "全国无统一标准，参照安徽省2018年规定"

CATALOGUE: list[Rule] = [
    # 教代会
    Rule(
        "congress.sessions_per_school_year",
        "每学年至少召开教代会次数",
        "int",
        1,
        LAW_CONGRESS,
        G_CONGRESS,
        "次",
    ),
    Rule("congress.term_years", "教代会每届年限（可选）", "list", [3, 5], LAW_CONGRESS, G_CONGRESS, "年"),
    Rule(
        "congress.all_staff_max",
        "教职工不超过此数时可召开教职工大会",
        "int",
        100,
        LAW_CONGRESS,
        G_CONGRESS,
        "人",
    ),
    Rule("congress.teachers_min_share", "代表中教师最低比例", "decimal", "0.60", LAW_CONGRESS, G_CONGRESS),
    Rule(
        "congress.cadres_max_share",
        "代表中中层以上干部最高比例",
        "decimal",
        "0.25",
        "地方规定（常见）",
        G_CONGRESS,
    ),
    Rule("congress.quorum", "法定人数（出席/代表总数）", "fraction", "2/3", LAW_CONGRESS, G_CONGRESS),
    Rule(
        "congress.majority_base",
        "表决通过的基数",
        "choice",
        "total",
        LAW_CONGRESS,
        G_CONGRESS,
        choices=(("total", "代表总数（应到）"), ("present", "出席人数（不符合全国规定）")),
    ),
    Rule(
        "congress.papers_days_before",
        "会议材料提前送达天数",
        "int",
        7,
        "上海市规定（参照）",
        G_CONGRESS,
        "天",
    ),
    Rule(
        "congress.report_working_days_after",
        "会后向上级工会报告（工作日）",
        "int",
        7,
        "上海市规定（参照）",
        G_CONGRESS,
        "个工作日",
    ),
    Rule(
        "congress.scrutineers",
        "监票人人数（最少、最多；由正式代表推选，全体共同解密无记名投票）",
        "list",
        [2, 5],
        "选举与表决工作通行做法",
        G_CONGRESS,
        "人",
    ),
    Rule("congress.proposal_min_seconds", "提案附议人数下限", "int", 2, "提案工作通行做法", G_CONGRESS, "人"),
    Rule(
        "congress.proposal_deadline_days",
        "提案截止（会前天数）",
        "int",
        15,
        "提案工作通行做法",
        G_CONGRESS,
        "天",
    ),
    Rule(
        "congress.proposal_committee_size",
        "提案工作委员会人数",
        "list",
        [5, 7],
        "提案工作通行做法",
        G_CONGRESS,
        "人",
    ),
    Rule(
        "congress.reply_due_months",
        "提案答复期限（交办后）",
        "int",
        3,
        "提案工作通行做法",
        G_CONGRESS,
        "个月",
    ),
    Rule(
        "appraisal.scale",
        "民主评议等次",
        "list",
        ["优秀", "称职", "基本称职", "不称职"],
        "民主评议通行做法",
        G_CONGRESS,
    ),
    Rule(
        "appraisal.participation_min",
        "民主评议有效票最低比例",
        "fraction",
        "2/3",
        "民主评议通行做法",
        G_CONGRESS,
    ),
    Rule(
        "appraisal.good_rate_min",
        "（优秀+称职）比例低于此值提示诫勉谈话",
        "fraction",
        "2/3",
        "民主评议通行做法",
        G_CONGRESS,
    ),
    Rule(
        "appraisal.unfit_rate_max",
        "不称职比例高于此值提示可能不称职",
        "fraction",
        "1/3",
        "民主评议通行做法",
        G_CONGRESS,
    ),
    Rule("election.attendance_min", "选举有效的到会比例", "fraction", "2/3", ELECTION, G_CONGRESS),
    Rule(
        "election.extra_candidates_min_share",
        "差额选举候选人多于应选人数的比例",
        "decimal",
        "0.05",
        ELECTION,
        G_CONGRESS,
    ),
    # 工会组织
    Rule(
        "union.committee_required_members",
        "会员达到此数应建立工会委员会",
        "int",
        25,
        LAW_UNION + "第十一条",
        G_ORG,
        "人",
    ),
    Rule(
        "union.committee_term_years",
        "工会委员会每届年限（可选）",
        "list",
        [3, 5],
        LAW_UNION + "第十六条",
        G_ORG,
        "年",
    ),
    Rule(
        "union.committee_size_table",
        "委员会人数（按会员人数）",
        "table",
        [[10, 1, 1], [25, 3, 3], [100, 3, 5], [200, 5, 7], [500, 7, 9], [1000, 9, 15]],
        ELECTION,
        G_ORG,
    ),
    Rule(
        "union.full_time_chair_staff",
        "可配专职主席的职工人数",
        "int",
        200,
        LAW_UNION + "第十四条",
        G_ORG,
        "人",
    ),
    Rule(
        "union.women_committee_min_women", "女会员达到此数应建立女职工委员会", "int", 10, CHARTER, G_ORG, "人"
    ),
    Rule(
        "union.extra_assembly_share",
        "提议召开临时会员大会的会员比例",
        "fraction",
        "1/3",
        LAW_UNION + "第十七条",
        G_ORG,
    ),
    Rule(
        "union.union_days_per_month",
        "非专职委员每月从事工会工作天数上限",
        "int",
        3,
        LAW_UNION + "第四十一条",
        G_ORG,
        "个工作日",
    ),
    # 会员
    Rule(
        "members.youth_max_age",
        "青年教职工年龄上限（不含）",
        "int",
        35,
        "共青团与工会通行口径",
        G_MEMBERS,
        "岁",
    ),
    Rule(
        "members.long_service_years", "长教龄表彰年限", "int", 30, "如：30年教龄教师风采展", G_MEMBERS, "年"
    ),
    Rule(
        "members.retirement_age_male",
        "男职工退休年龄",
        "int",
        60,
        "国家规定（渐进式延迟退休前的基准）",
        G_MEMBERS,
        "岁",
    ),
    Rule(
        "members.retirement_age_female",
        "女教职工退休年龄",
        "int",
        55,
        "国家规定（渐进式延迟退休前的基准）",
        G_MEMBERS,
        "岁",
    ),
    Rule(
        "members.retirement_notice_months",
        "即将退休提示（提前月数）",
        "int",
        12,
        "本系统默认",
        G_MEMBERS,
        "个月",
    ),
    # RULES.md has no number: PIPL 第十九条 (kept no longer than the purpose needs) and 第四十七条
    # (deleted when the purpose is achieved); 3 years covers a transfer's 会籍接转 queries and one
    # congress term. Bounds 1–30 (members/apps.py).
    Rule(
        "members.pseudonymise_after_years",
        "调出、去世会员个人信息保留年限（期满假名化）",
        "int",
        3,
        "本系统默认（《个人信息保护法》第十九条、第四十七条；无全国统一年限）",
        G_MEMBERS,
        "年",
    ),
    # 会费与经费
    Rule("dues.rate", "会费比例", "decimal", "0.005", CHARTER, G_DUES),
    Rule(
        "dues.base_components",
        "计缴会费的工资项目",
        "list",
        ["岗位工资", "薪级工资"],
        "全国总工会会费收缴规定",
        G_DUES,
    ),
    Rule("dues.base_floor_unit", "计缴基数舍去的零头单位", "int", 10, "全国总工会会费收缴规定", G_DUES, "元"),
    Rule("dues.retirees_exempt", "退休会员免缴会费", "bool", True, "全国总工会会费收缴规定", G_DUES),
    Rule(
        "funds.allocation_rate",
        "拨缴经费比例（工资总额）",
        "decimal",
        "0.02",
        LAW_UNION + "第四十三条",
        G_DUES,
    ),
    Rule("funds.allocation_due_day", "拨缴经费每月截止日", "int", 15, LAW_UNION + "第四十三条", G_DUES, "日"),
    Rule("funds.late_fee_daily", "拨缴经费滞纳金（每日）", "decimal", "0", LAW_UNION + "第四十三条", G_DUES),
    Rule("funds.school_share", "基层工会留成比例", "decimal", "0.60", "全国总工会经费分成规定", G_DUES),
    Rule(
        "funds.dues_topup_max_multiple",
        "会费不足时经费补充上限（会费收入倍数）",
        "int",
        3,
        "基层工会经费收支管理办法",
        G_DUES,
        "倍",
    ),
    Rule(
        "funds.prize_max_share", "文体比赛获奖人数上限（参赛人数比例）", "fraction", "2/3", FUNDS_2017, G_DUES
    ),
    Rule("funds.souvenir_max", "不设奖项时纪念品上限", "decimal", "100", FUNDS_2017, G_DUES, "元"),
    # 慰问标准
    Rule("caps.festival_total", "节日慰问全年合计", "decimal", "1500", ANHUI_2018, G_CAPS, "元/人/年"),
    Rule("caps.festival_each", "单个节日慰问上限（空表示不单列）", "table", {}, ANHUI_2018, G_CAPS, "元"),
    Rule("caps.birthday", "生日慰问", "decimal", "300", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.marriage", "结婚慰问", "decimal", "600", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.birth", "生育慰问", "decimal", "600", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.hospital", "生病住院慰问", "decimal", "1000", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.hospital_surgery", "住院手术慰问", "decimal", "1000", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.death_member", "会员去世慰问", "decimal", "2000", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.death_relative", "直系亲属去世慰问", "decimal", "1000", ANHUI_2018, G_CAPS, "元"),
    Rule("caps.retirement", "退休慰问", "decimal", "1000", ANHUI_2018, G_CAPS, "元"),
    Rule(
        "caps.hardship",
        "家庭重大困难或意外慰问（0 表示不设上限）",
        "decimal",
        "0",
        "全国及各省均无统一标准：默认不设上限，由学校工会按本单位办法设定（如 2000）",
        G_CAPS,
        "元",
    ),
    Rule(
        "caps.allowed_forms",
        "各类慰问可发放的形式",
        "table",
        {
            "festival": ["goods"],
            "birthday": ["goods", "cake_voucher"],
            "marriage": ["goods"],
            "birth": ["goods"],
            "hospital": ["cash", "goods"],
            "hospital_surgery": ["cash", "goods"],
            "death_member": ["cash", "goods"],
            "death_relative": ["cash", "goods"],
            "retirement": ["souvenir"],
            "hardship": ["cash", "goods"],
        },
        "全国总工会关于加强基层工会经费收支管理的通知（节日慰问只发实物；八不准）",
        G_CAPS,
    ),
    # 送温暖
    Rule("welfare.visit_due_days", "报告后应在几天内走访", "int", 7, "本系统默认", G_WELFARE, "天"),
    Rule("welfare.birthday_notice_days", "生日提醒（提前天数）", "int", 3, "本系统默认", G_WELFARE, "天"),
    Rule(
        "recuperation.years_since_last",
        "疗休养：距上次参加至少满几年",
        "int",
        3,
        "各地职工疗休养管理办法（常见做法）",
        G_WELFARE,
        "年",
    ),
    Rule(
        "recuperation.min_service_years",
        "疗休养：最低工龄",
        "int",
        5,
        "各地职工疗休养管理办法（常见做法）",
        G_WELFARE,
        "年",
    ),
    Rule(
        "recuperation.min_age",
        "疗休养：最低年龄（0 表示不限）",
        "int",
        0,
        "各地职工疗休养管理办法（常见做法）",
        G_WELFARE,
        "岁",
    ),
    Rule(
        "recuperation.retirees_eligible",
        "疗休养：退休会员可以申请",
        "bool",
        False,
        "各地职工疗休养管理办法（常见做法：面向在职职工）",
        G_WELFARE,
    ),
    Rule(
        "welfare.triggers",
        "五必访事由（每项：名称、慰问标准类别、记账科目与明细科目）",
        "table",
        {
            "hospitalized": {
                "label": "生病住院",
                "caps_kinds": ["hospital", "hospital_surgery"],
                "category": "维权支出",
                "subcategory": "送温暖",
            },
            "marriage": {
                "label": "结婚",
                "caps_kinds": ["marriage"],
                "category": "职工活动支出",
                "subcategory": "集体福利",
            },
            "childbirth": {
                "label": "生育",
                "caps_kinds": ["birth"],
                "category": "职工活动支出",
                "subcategory": "集体福利",
            },
            "death_member": {
                "label": "会员去世",
                "caps_kinds": ["death_member"],
                "category": "维权支出",
                "subcategory": "送温暖",
            },
            "death_relative": {
                "label": "直系亲属去世",
                "caps_kinds": ["death_relative"],
                "category": "维权支出",
                "subcategory": "送温暖",
            },
            "hardship": {
                "label": "家庭重大困难或意外",
                "caps_kinds": ["hardship"],
                "category": "维权支出",
                "subcategory": "困难帮扶",
            },
            "retirement": {
                "label": "退休",
                "caps_kinds": ["retirement"],
                "category": "职工活动支出",
                "subcategory": "集体福利",
            },
        },
        "五必访（各地工会通行做法）；科目按总工办发〔2017〕32号",
        G_WELFARE,
    ),
    Rule(
        "welfare.extra_festivals",
        "法定节日以外的慰问节日（如重阳节慰问退休教师）",
        "list",
        ["重阳"],
        "各地工会通行做法（重阳节慰问退休教职工）",
        G_WELFARE,
    ),
    Rule(
        "hardship.relative_multiple",
        "相对困难：人均可支配收入低于低保的倍数",
        "int",
        2,
        "全总困难职工帮扶规定",
        G_WELFARE,
        "倍",
    ),
    Rule(
        "hardship.accident_cost_share",
        "意外致困：当年支出占家庭收入比例",
        "decimal",
        "0.80",
        "全总困难职工帮扶规定",
        G_WELFARE,
    ),
    Rule(
        "hardship.dibao_monthly",
        "当地低保标准（每人每月，建档时的默认值）",
        "decimal",
        "800.00",
        "当地民政部门公布的城乡居民最低生活保障标准（请按本地调整）",
        G_WELFARE,
        "元/人·月",
    ),
    Rule(
        "hardship.review_month",
        "困难职工档案年度复核（摸底）自几月起提醒",
        "int",
        10,
        "本系统默认（元旦春节送温暖前完成摸底）",
        G_WELFARE,
        "月",
    ),
    # 维权
    Rule(
        "rights.mediation_days",
        "劳动争议调解期限（自受理之日起）",
        "int",
        15,
        "《中华人民共和国劳动争议调解仲裁法》第十四条",
        G_WELFARE,
        "天",
    ),
    Rule(
        "rights.contract_years",
        "集体合同期限上限",
        "int",
        3,
        "《集体合同规定》第三十八条（一般为1至3年）",
        G_WELFARE,
        "年",
    ),
    # 公开与评比
    Rule("notice.working_days", "公示期（工作日）", "int", 5, "通行做法", G_NOTICE, "个工作日"),
    Rule(
        "ethics.levels",
        "师德考核等次",
        "list",
        ["优秀", "合格", "基本合格", "不合格"],
        "教育部师德考核通行做法",
        G_NOTICE,
    ),
    Rule(
        "ethics.cut_scores",
        "师德考核分数线",
        "table",
        {"优秀": 90, "合格": 70, "基本合格": 60},
        "教育部师德考核通行做法",
        G_NOTICE,
    ),
    Rule(
        "ethics.excellent_max_share",
        "师德考核优秀比例上限",
        "decimal",
        "0.30",
        "通行做法（20%–35%）",
        G_NOTICE,
    ),
    Rule(
        "study.reading_award_share",
        "读书活动先进个人比例上限（参加读书活动人数，向下取整，至少 1 人）",
        "decimal",
        "0.10",
        "通行做法（各校读书活动年末评选）",
        G_NOTICE,
    ),
    # 活动
    Rule(
        "activities.checkin_opens_before_minutes",
        "扫码签到：活动开始前多少分钟可签到",
        "int",
        60,
        "本系统默认",
        G_ACTIVITIES,
        "分钟",
    ),
    Rule(
        "activities.checkin_closes_after_minutes",
        "扫码签到：活动结束后多少分钟内仍可签到",
        "int",
        60,
        "本系统默认",
        G_ACTIVITIES,
        "分钟",
    ),
]

RULES: dict[str, Rule] = {r.key: r for r in CATALOGUE}

# Checks a module adds for its own rules (key → function raising ValueError in Chinese), run
# after the value parses: e.g. the funds app checks that a caps table names known kinds and forms.
VALIDATORS: dict[str, Any] = {}

# Province values shipped with the software: (province, key) -> (value, source).
PROVINCE_VALUES: dict[tuple[str, str], tuple[Any, str]] = {
    ("北京", "union.women_committee_min_women"): (25, "北京市工会规定"),
    ("上海", "union.women_committee_min_women"): (25, "上海市工会规定"),
    ("北京", "funds.late_fee_daily"): ("0.005", "北京市工会经费收缴规定（每日5‰）"),
    ("福建", "caps.festival_total"): ("1300", "福建省2018年规定"),
    ("福建", "caps.birth"): ("500", "福建省2018年规定"),
    ("福建", "caps.hospital"): ("500", "福建省2018年规定"),
    ("福建", "caps.hospital_surgery"): ("1000", "福建省2018年规定"),
    ("福建", "caps.death_member"): ("2000", "福建省2018年规定"),
    ("福建", "caps.death_relative"): ("1000", "福建省2018年规定"),
    ("福建", "caps.retirement"): ("500", "福建省2018年规定"),
    ("四川", "caps.festival_total"): ("2100", "四川省规定"),
    ("四川", "caps.marriage"): ("500", "四川省规定"),
    ("四川", "caps.birth"): ("500", "四川省规定"),
    ("四川", "caps.death_member"): ("2000", "四川省规定"),
    ("四川", "caps.death_relative"): ("1000", "四川省规定"),
    ("四川", "caps.retirement"): ("500", "四川省规定"),
    ("江苏", "caps.festival_total"): ("1800", "江苏省规定"),
    ("江苏", "caps.festival_each"): ({"春节": 800, "端午": 500, "中秋": 500}, "江苏省规定"),
    ("江苏", "caps.birthday"): ("400", "江苏省规定"),
    ("江苏", "caps.marriage"): ("1000", "江苏省规定"),
    ("江苏", "caps.birth"): ("1000", "江苏省规定"),
    ("黑龙江", "caps.festival_total"): ("1000", "黑龙江省2017年规定"),
}


# ---- pure parsing and formatting ------------------------------------------------------------


def _validate(rule: Rule, value: Any) -> None:
    check = VALIDATORS.get(rule.key)
    if check is not None:
        check(value)


def parse_value(rule: Rule, text: str) -> Any:
    """Turn the text typed on the rule page into the stored JSON value, or raise ValueError
    with a Chinese message (the rule's own validator, where an app registered one, included)."""
    value = _parse(rule, text)
    _validate(rule, value)
    return value


def _parse(rule: Rule, text: str) -> Any:
    text = (text or "").strip()
    if not text:
        raise ValueError("请填写取值。")
    if rule.kind == "int":
        try:
            value = int(text)
        except ValueError:
            raise ValueError("请填写整数。") from None
        if value < 0:
            raise ValueError("不能为负数。")
        return value
    if rule.kind == "decimal":
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError("请填写数字，如 0.6 或 1500。") from None
        if not value.is_finite() or value < 0:
            raise ValueError("请填写不小于 0 的数字。")
        return str(value)
    if rule.kind == "fraction":
        try:
            value = Fraction(text.replace("／", "/"))
        except (ValueError, ZeroDivisionError):
            raise ValueError("请填写分数，如 2/3。") from None
        if not 0 < value <= 1:
            raise ValueError("比例应大于 0 且不超过 1。")
        return f"{value.numerator}/{value.denominator}"
    if rule.kind == "bool":
        if text in {"是", "1", "true", "True"}:
            return True
        if text in {"否", "0", "false", "False"}:
            return False
        raise ValueError("请填写“是”或“否”。")
    if rule.kind == "choice":
        codes = {c for c, _ in rule.choices}
        labels = {label: c for c, label in rule.choices}
        if text in codes:
            return text
        if text in labels:
            return labels[text]
        raise ValueError("可选值：" + "、".join(label for _, label in rule.choices))
    if rule.kind == "list":
        items = [i.strip() for i in text.replace("，", ",").replace("、", ",").split(",") if i.strip()]
        if not items:
            raise ValueError("请至少填写一项，用逗号分隔。")
        if all(isinstance(x, int) for x in rule.default):
            try:
                return [int(i) for i in items]
            except ValueError:
                raise ValueError("请填写用逗号分隔的整数。") from None
        return items
    if rule.kind == "table":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("请按示例的 JSON 格式填写。") from None
        if type(value) is not type(rule.default):
            raise ValueError("格式与示例不一致。")
        return value
    raise ValueError("未知的参数类型。")


def format_value(rule: Rule, value: Any) -> str:
    if rule.kind == "bool":
        return "是" if value else "否"
    if rule.kind == "choice":
        return dict(rule.choices).get(value, str(value))
    if rule.kind == "list":
        return "、".join(str(v) for v in value)
    if rule.kind == "table":
        return json.dumps(value, ensure_ascii=False)
    if rule.kind == "decimal":
        d = Decimal(str(value))
        return f"{d.normalize():f}"
    return str(value)


def typed(rule: Rule, value: Any) -> Any:
    """The stored JSON value as the Python type rule functions take."""
    if rule.kind == "decimal":
        return Decimal(str(value))
    if rule.kind == "fraction":
        return Fraction(value)
    return value


# ---- storage --------------------------------------------------------------------------------


def sync_catalogue(using: str = "default") -> None:
    """Write the shipped national and province values; values set by an org are left alone."""
    from jiaogong.core.models import RuleValue

    for rule in CATALOGUE:
        RuleValue.objects.using(using).update_or_create(
            key=rule.key,
            scope=RuleValue.Scope.NATIONAL,
            defaults={"value": rule.default, "source": rule.source, "shipped": True, "province": ""},
        )
    for (province, key), (value, source) in PROVINCE_VALUES.items():
        RuleValue.objects.using(using).update_or_create(
            key=key,
            scope=RuleValue.Scope.PROVINCE,
            province=province,
            defaults={"value": value, "source": source, "shipped": True},
        )


def sync_catalogue_after_migrate(sender, using="default", **kwargs):
    sync_catalogue(using=using)


@dataclass
class RuleInForce:
    rule: Rule
    value: Any
    scope: str
    source: str
    national: Any
    province_value: Any = None

    @property
    def display(self) -> str:
        return format_value(self.rule, self.value)

    @property
    def national_display(self) -> str:
        return format_value(self.rule, self.national)

    @property
    def overridden(self) -> bool:
        return self.scope == "org"


def rules_in_force(org) -> list[RuleInForce]:
    """Every catalogued rule with its value in force for the org and where it comes from."""
    from jiaogong.core.models import RuleValue

    rows = RuleValue.objects.filter(
        Q(scope="national") | Q(scope="province", province=org.province or "-") | Q(scope="org", org=org)
    )
    by_key: dict[str, dict[str, RuleValue]] = {}
    for row in rows:
        by_key.setdefault(row.key, {})[row.scope] = row
    out = []
    for rule in CATALOGUE:
        scopes = by_key.get(rule.key, {})
        national = scopes.get("national")
        national_value = national.value if national else rule.default
        chosen = scopes.get("org") or scopes.get("province") or national
        province = scopes.get("province")
        out.append(
            RuleInForce(
                rule=rule,
                value=chosen.value if chosen else rule.default,
                scope=chosen.scope if chosen else "national",
                source=chosen.source if chosen else rule.source,
                national=national_value,
                province_value=province.value if province else None,
            )
        )
    return out


def value_for(org, key: str) -> Any:
    """The value in force for `org` (typed: Decimal, Fraction, int, bool, list or dict)."""
    from jiaogong.core.models import RuleValue

    rule = RULES[key]
    rows = {
        r.scope: r.value
        for r in RuleValue.objects.filter(key=key).filter(
            Q(scope="national") | Q(scope="province", province=org.province or "-") | Q(scope="org", org=org)
        )
    }
    raw = rows.get("org", rows.get("province", rows.get("national", rule.default)))
    return typed(rule, raw)


def values_above(org, key: str) -> tuple[Any, Any]:
    """(the national value, the org's province's value or None), typed: what an override of the
    org answers to (core.rule_bounds)."""
    from jiaogong.core.models import RuleValue

    rule = RULES[key]
    rows = {
        r.scope: r.value
        for r in RuleValue.objects.filter(key=key).filter(
            Q(scope="national") | Q(scope="province", province=org.province or "-")
        )
    }
    national = typed(rule, rows.get("national", rule.default))
    return national, (typed(rule, rows["province"]) if "province" in rows else None)


def stored_out_of_bounds() -> list[dict]:
    """Stored province and org values the bounds now refuse (they are listed, not changed: the
    school or the maintainer decides). Used by `manage.py check_rule_values`."""
    from jiaogong.core.models import RuleValue

    national = {r.key: r.value for r in RuleValue.objects.filter(scope="national")}
    provinces = {(r.province, r.key): r.value for r in RuleValue.objects.filter(scope="province")}
    found = []
    for row in (
        RuleValue.objects.exclude(scope="national").select_related("org").order_by("scope", "key", "id")
    ):
        rule = RULES.get(row.key)
        if rule is None:
            found.append({"row": row, "problem": "目录中没有这个参数。"})
            continue
        above = typed(rule, national.get(row.key, rule.default))
        try:
            value = typed(rule, row.value)
        except (ArithmeticError, TypeError, ValueError):
            found.append({"row": row, "problem": "取值无法读取。"})
            continue
        if row.scope == "province":
            problem = rule_bounds.refusal(
                rule, rule_bounds.PROVINCE, value, national=above, province_name=row.province
            )
        else:
            province_name = row.org.province if row.org_id else ""
            raw = provinces.get((province_name, row.key))
            problem = rule_bounds.refusal(
                rule,
                rule_bounds.ORG,
                value,
                national=above,
                province=typed(rule, raw) if raw is not None else None,
                province_name=province_name,
            )
        if problem:
            found.append({"row": row, "problem": problem})
    return found


@transaction.atomic
def set_org_value(*, actor, org, key: str, text: str, source: str):
    """Override a rule for one org (audited). Raises InvalidInput with a Chinese message."""
    from jiaogong.core.models import RuleValue

    rule = RULES.get(key)
    if rule is None:
        raise InvalidInput({"key": "没有这个参数。"})
    errors = {}
    try:
        value = parse_value(rule, text)
    except ValueError as e:
        errors["value"] = str(e)
    else:
        national, province = values_above(org, key)
        problem = rule_bounds.refusal(
            rule,
            rule_bounds.ORG,
            typed(rule, value),
            national=national,
            province=province,
            province_name=org.province,
        )
        if problem:
            errors["value"] = problem
    if not (source or "").strip():
        errors["source"] = "请填写依据（文件名称或会议决定）。"
    if errors:
        raise InvalidInput(errors)
    before = RuleValue.objects.filter(scope="org", org=org, key=key).first()
    old = before.value if before else None
    row, _ = RuleValue.objects.update_or_create(
        scope="org",
        org=org,
        key=key,
        defaults={"value": value, "source": source.strip(), "updated_by": actor, "shipped": False},
    )
    audit.record(
        actor=actor,
        org=org,
        action="core.rule.override",
        obj=row,
        object_repr=rule.label,
        changes={"value": [old, value], "source": [before.source if before else None, row.source]},
    )
    return row


@transaction.atomic
def clear_org_value(*, actor, org, key: str) -> None:
    from jiaogong.core.models import RuleValue

    row = RuleValue.objects.filter(scope="org", org=org, key=key).first()
    if row is None:
        return
    audit.record(
        actor=actor,
        org=org,
        action="core.rule.reset",
        obj=row,
        object_repr=RULES[key].label,
        changes={"value": [row.value, None]},
    )
    row.delete()
