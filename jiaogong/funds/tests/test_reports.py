"""报表: the finance report, the workbooks, the chart and the 会费收据 — their figures against
the books, and who may download them."""

import datetime
import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import allocation, books, charts, receipts, reports, services
from jiaogong.funds.models import LedgerEntry
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

D = Decimal
YEAR = 2025
OCT = datetime.date(YEAR, 10, 1)
SEP = datetime.date(YEAR, 9, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(name, *args):
    return reverse(f"funds:{name}", args=args)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="kuaiji", first_name="刘会计"), school_a, "finance")


@pytest.fixture
def auditor(school_a):
    return grant(UserFactory(username="jingshen"), school_a, "auditor")


def spend(org, actor, date, category, amount, subcategory="", **kw):
    return services.record_entry(
        actor=actor,
        org=org,
        date=date,
        kind="expense",
        category=category,
        subcategory=subcategory,
        amount=amount,
        memo=kw.pop("memo", f"{category}{subcategory}"),
        **kw,
    )


@pytest.fixture
def year_books(school_a, finance, member_a, group_a, monkeypatch):
    """A school's 2025, through the services: a 5,000 opening balance, dues (payroll and
    individual), 拨缴经费 received and 40 % remitted, expenses in three categories (one reversed),
    a bank → cash transfer, a receipt scan, and budgets (职工活动支出 over its budget).

    Income 9,683.65 = 会费 83.65 + 拨缴经费 9,600; expense 13,100.50 = 职工活动 8,260.50 +
    维权 1,000 + 上解 3,840; closing 1,583.15 = bank 583.15 + cash 1,000."""
    zhang = member_a.member  # 张三 of 语文组
    li = MemberFactory(org=school_a, name="李四")
    wang = MemberFactory(org=school_a, name="王五", union_group=group_a)
    services.record_entry(
        actor=finance,
        org=school_a,
        date=datetime.date(YEAR - 1, 12, 20),
        kind="income",
        category="其他收入",
        amount="5000",
        memo="上年结余",
    )
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=OCT,
        rows=[
            {"member": zhang.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}},  # 21.45
            {"member": li.pk, "components": {"岗位工资": "2600", "薪级工资": "1000"}},  # 18.00
            {"member": wang.pk, "components": {"岗位工资": "3000", "薪级工资": "1555"}},  # 22.75
        ],
    )
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=SEP,
        rows=[{"member": zhang.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}}],
    )
    services.collect_payroll(
        actor=finance, org=school_a, month=OCT, paid_on=datetime.date(YEAR, 11, 5), skip=[li.pk]
    )
    services.collect_individual(
        actor=finance, org=school_a, member=li, month=OCT, paid_on=datetime.date(YEAR, 11, 20)
    )
    services.collect_individual(
        actor=finance, org=school_a, member=zhang, month=SEP, paid_on=datetime.date(YEAR, 10, 8)
    )
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="480000")
    allocation.receive(actor=finance, allocation=a, amount="9600", paid_on=datetime.date(YEAR, 10, 10))
    allocation.remit(actor=finance, allocation=a, amount="3840", remitted_on=datetime.date(YEAR, 10, 20))
    services.record_entry(
        actor=finance,
        org=school_a,
        date=datetime.date(YEAR, 1, 15),
        kind="transfer",
        amount="2000",
        account="bank",
        counter_account="cash",
        memo="提取备用金",
    )
    games = spend(
        school_a,
        finance,
        datetime.date(YEAR, 5, 4),
        "职工活动支出",
        "3260.50",
        "文体活动",
        payee="=体育用品店",
        memo="教职工趣味运动会奖品",
    )
    books.add_attachment(actor=finance, entry=games, upload=SimpleUploadedFile("发票.png", PNG))
    spend(school_a, finance, datetime.date(YEAR, 9, 10), "职工活动支出", "5000", "集体福利")
    spend(school_a, finance, datetime.date(YEAR, 2, 1), "维权支出", "1000", "送温暖", account="cash")
    training = spend(school_a, finance, datetime.date(YEAR, 3, 1), "业务支出", "800", "培训")
    with monkeypatch.context() as m:  # the reversal is dated "today": make today a day in 2025
        m.setattr(services.timezone, "localdate", lambda *a: datetime.date(YEAR, 3, 5))
        services.reverse_entry(actor=finance, entry=training, reason="培训取消")
    books.set_budgets(
        actor=finance,
        org=school_a,
        year=YEAR,
        amounts={
            ("income", "拨缴经费收入"): "10000",
            ("income", "会费收入"): "500",
            ("expense", "职工活动支出"): "8000",
            ("expense", "维权支出"): "2000",
        },
    )
    return {"zhang": zhang, "li": li, "wang": wang, "games": games, "training": training}


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["|".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def workbook(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def money_of(value) -> Decimal:
    return D(str(value)).quantize(D("0.01"))


# ---- 人民币大写 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("21.45", "贰拾壹元肆角伍分"),
        ("21", "贰拾壹元整"),
        ("21.40", "贰拾壹元肆角整"),
        ("0.45", "肆角伍分"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("10", "壹拾元整"),
        ("1005", "壹仟零伍元整"),
        ("1050", "壹仟零伍拾元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("100700", "壹拾万零柒佰元整"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),  # the rules' own example
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),  # ditto (the 零 after 元 may be left out)
        ("100010000", "壹亿零壹万元整"),
        ("9999999999.99", "玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("-3.2", "负叁元贰角整"),
        ("2.005", "贰元零壹分"),  # rounded half up to the fen first
    ],
)
def test_rmb_upper_writes_amounts_as_on_a_receipt(amount, words):
    assert receipts.rmb_upper(D(amount)) == words


DIGIT_VALUES = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}


def read_capitals(words: str) -> Decimal:
    """The inverse of rmb_upper, written independently: 万 and 亿 close sections of four digits."""
    total, section, number = 0, 0, 0
    words = words.removesuffix("整")
    yuan, _, cents = words.partition("元") if "元" in words else ("", "", words)
    for c in yuan:
        if c in DIGIT_VALUES:
            number = DIGIT_VALUES[c]
        elif c in "拾佰仟":
            section += number * {"拾": 10, "佰": 100, "仟": 1000}[c]
            number = 0
        elif c == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif c == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
    value = D(total + section + number)
    jiao = re.search(r"(.)角", cents)
    fen = re.search(r"(.)分", cents)
    value += D(DIGIT_VALUES[jiao.group(1)]) / 10 if jiao else 0
    value += D(DIGIT_VALUES[fen.group(1)]) / 100 if fen else 0
    return value.quantize(D("0.01"))


@given(st.decimals(min_value=D("0.01"), max_value=D("9999999999.99"), places=2))
def test_rmb_upper_reads_back_and_never_doubles_a_zero(amount):
    words = receipts.rmb_upper(amount)
    assert read_capitals(words) == amount
    assert "零零" not in words and not words.startswith("零")
    assert words.endswith("分") != words.endswith("整")


# ---- the chart ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("largest", "step"),
    [(8260.5, 2500), (100, 25), (1, 0.25), (13100.5, 5000), (40000, 10000), (0, 1)],
)
def test_nice_step_covers_the_largest_bar_in_about_four_steps(largest, step):
    assert charts.nice_step(largest) == pytest.approx(step)


def test_the_layout_scales_bars_to_the_axis_and_gives_shares():
    chart = charts.layout([("职工活动支出", D("7500")), ("维权支出", D("2500"))], "支出")
    first, second = chart.bars
    # 7,500 / 4 = 1,875 → steps of 2,000 → an axis to 8,000.
    assert [t.text for t in chart.ticks] == ["0", "2,000", "4,000", "6,000", "8,000"]
    assert first.length == pytest.approx(chart.plot_width * 7500 / 8000, abs=0.1)
    assert second.length == pytest.approx(chart.plot_width * 2500 / 8000, abs=0.1)
    assert first.value_text == "7,500.00 元（75.0%）"
    assert second.bar_y - first.bar_y == charts.ROW_HEIGHT
    assert chart.height > second.bar_y + chart.bar_height


def test_expense_items_are_largest_first_and_leave_out_empty_categories():
    summary = {"year": YEAR, "expense": {"维权支出": D("10"), "职工活动支出": D("30"), "业务支出": D("0")}}
    assert charts.expense_items(summary) == [("职工活动支出", D("30")), ("维权支出", D("10"))]


def test_a_server_without_a_chinese_font_gets_a_clear_error(monkeypatch):
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "_from_fontconfig", lambda pattern: None)
    monkeypatch.setattr(charts, "KNOWN_FONTS", {False: ["/nonexistent.ttc"], True: []})
    try:
        with pytest.raises(charts.FontMissing, match="fonts-noto-cjk"):
            charts.png(charts.layout([("维权支出", D("1"))], "支出"))
    finally:
        monkeypatch.undo()
        charts.cjk_font.cache_clear()


def test_a_font_without_chinese_is_not_taken(monkeypatch):
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not Path(latin).exists():
        pytest.skip("DejaVu is not installed")
    assert not charts._draws_chinese(latin, 0)


def test_the_png_chart_is_drawn_at_three_times_the_layout(school_a):
    from PIL import Image

    chart = charts.layout([("职工活动支出", D("8260.50")), ("上解上级支出", D("3840"))], "2025 年支出")
    image = Image.open(io.BytesIO(charts.png(chart)))
    assert image.format == "PNG" and image.size == (chart.width * 3, chart.height * 3)
    # The bar is painted in the bar colour.
    x, y = int((chart.left + 5) * 3), int((chart.bars[0].bar_y + 5) * 3)
    assert image.getpixel((x, y)) == (0xB3, 0x26, 0x1E)


# ---- figures -----------------------------------------------------------------------------------------


def test_figures_match_the_books(school_a, year_books):
    f = reports.figures(school_a, YEAR)
    assert (f["income_total"], f["expense_total"]) == (D("9683.65"), D("13100.50"))
    assert (f["statement"]["opening"], f["statement"]["closing"]) == (D("5000.00"), D("1583.15"))
    assert f["balances"] == {"bank": D("583.15"), "cash": D("1000.00"), "total": D("1583.15")}
    assert [(i["category"], i["amount"], i["share"]) for i in f["income"]] == [
        ("会费收入", D("83.65"), "0.9%"),
        ("拨缴经费收入", D("9600.00"), "99.1%"),
    ]
    assert f["breakdown"]["职工活动支出"] == {"文体活动": D("3260.50"), "集体福利": D("5000.00")}
    assert f["breakdown"]["业务支出"] == {"培训": D("0.00")}  # reversed in full
    assert [b.label for b in f["chart"].bars] == ["职工活动支出", "上解上级支出", "维权支出"]


# ---- the finance report --------------------------------------------------------------------------------


def test_the_annual_report_reads_the_year_as_the_assembly_hears_it(login, school_a, chair_a, year_books):
    response = login(chair_a).get(url("report_annual", school_a.pk, YEAR))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert f"{YEAR} 年度经费收支情况报告" in text and school_a.name in text
    for heading in ("一、收入情况", "二、支出情况", "三、预算执行情况", "四、拨缴经费与上解", "五、结余"):
        assert heading in text
    assert (
        "全年共收入 9,683.65 元，其中会费收入 83.65 元，占 0.9%；拨缴经费收入 9,600.00 元，占 99.1%。" in text
    )
    assert (
        "全年共支出 13,100.50 元，其中职工活动支出 8,260.50 元，占 63.1%（其中文体活动 3,260.50 元、"
        "集体福利 5,000.00 元）；维权支出 1,000.00 元，占 7.6%（其中送温暖 1,000.00 元）；"
        "上解上级支出 3,840.00 元，占 29.3%。"
    ) in text
    assert "业务支出" not in text.split("三、预算执行情况")[0]  # reversed in full: not an expense
    assert "支出预算 10,000.00 元，实际支出 9,260.50 元" in text
    assert "职工活动支出（超支 260.50 元）" in text
    assert "支出·职工活动支出|8,000.00|8,260.50|103%|-260.50" in text
    assert "应拨缴经费 9,600.00 元，已到账 9,600.00 元，已全部到账" in text
    assert "上解龙胜县教育工会，计 3,840.00 元，已上解 3,840.00 元，已全部上解" in text
    assert (
        "年初结余 5,000.00 元，加本年收入 9,683.65 元，减本年支出 13,100.50 元，年末结余 1,583.15 元；"
        "其中银行存款 583.15 元，库存现金 1,000.00 元。"
    ) in text
    assert "账目尚待工会经费审查委员会审查" in text
    document = docx.Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) == 1  # the expense chart
    assert document.paragraphs[-2].text == school_a.name  # the signature block
    assert AuditEvent.objects.filter(action="funds.report.download", org=school_a).count() == 1


def test_an_empty_year_still_makes_a_report(login, school_a, chair_a):
    text = docx_text(login(chair_a).get(url("report_annual", school_a.pk, YEAR)).content)
    assert "全年没有收入" in text and "全年没有支出" in text
    assert "本年度未编制经费预算" in text and "没有拨缴经费记录" in text


def test_without_a_chinese_font_the_report_says_why_the_chart_is_missing(
    login, school_a, chair_a, year_books, monkeypatch
):
    def no_font(chart, **kw):
        raise charts.FontMissing()

    monkeypatch.setattr(charts, "png", no_font)
    response = login(chair_a).get(url("report_annual", school_a.pk, YEAR))
    assert "未能生成支出图表" in docx_text(response.content)
    assert login(chair_a).get(url("report_chart", school_a.pk, YEAR)).status_code == 503


# ---- the ledger workbook -------------------------------------------------------------------------------


def test_the_ledger_workbook_has_every_voucher_and_the_running_balance(login, school_a, auditor, year_books):
    wb = workbook(login(auditor).get(url("report_ledger", school_a.pk, YEAR)))
    assert wb.sheetnames == ["账簿", "收支月报", "预算执行"]
    ws = wb["账簿"]
    assert [c.value for c in ws[2]] == reports.LEDGER_HEADERS
    assert ws.freeze_panes == "C3"
    opening = ws[3]
    assert (opening[7].value, money_of(opening[11].value)) == ("上年结转", D("5000.00"))
    rows = list(ws.iter_rows(min_row=4, max_row=ws.max_row - 1, values_only=True))
    entries = LedgerEntry.objects.filter(org=school_a, date__year=YEAR).order_by("date", "id")
    assert [r[1] for r in rows] == [e.pk for e in entries]
    by_voucher = {r[1]: r for r in rows}
    games = by_voucher[year_books["games"].pk]
    assert games[:8] == (
        datetime.datetime(YEAR, 5, 4),
        year_books["games"].pk,
        "银行存款",
        "支出",
        "职工活动支出",
        "文体活动",
        "=体育用品店",  # kept as text, never a formula
        "教职工趣味运动会奖品",
    )
    assert ws.cell(row=4 + rows.index(games), column=7).data_type == "s"
    assert money_of(games[9]) == D("3260.50") and games[13] == 1  # one receipt scan
    training = by_voucher[year_books["training"].pk]
    reversal = year_books["training"].reversed_by
    assert training[12] == f"已被第 {reversal.pk} 号冲销"
    assert by_voucher[reversal.pk][12] == f"冲销第 {training[1]} 号"
    assert money_of(by_voucher[reversal.pk][9]) == D("-800.00")
    transfer = next(r for r in rows if r[3] == "内部转账")
    assert transfer[2] == "银行存款→库存现金" and money_of(transfer[10]) == D("2000.00")
    assert transfer[8] is None and transfer[9] is None
    # The running balance: the opening plus income minus expense, line by line.
    balance = D("5000.00")
    for r in rows:
        balance += money_of(r[8] or 0) - money_of(r[9] or 0)
        assert money_of(r[11]) == balance
    total = [c.value for c in ws[ws.max_row]]
    assert total[7] == "本年合计"
    assert (money_of(total[8]), money_of(total[9]), money_of(total[11])) == (
        D("9683.65"),
        D("13100.50"),
        D("1583.15"),
    )
    assert ws.cell(row=4, column=12).number_format == "#,##0.00"
    assert ws.cell(row=4, column=1).number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["H"].width >= 30


def test_the_monthly_and_budget_sheets_match_the_statement(login, school_a, chair_a, year_books):
    wb = workbook(login(chair_a).get(url("report_ledger", school_a.pk, YEAR)))
    monthly = {r[0]: r[1:] for r in wb["收支月报"].iter_rows(min_row=3, values_only=True) if r[0]}
    statement = books.monthly_statement(school_a, YEAR)
    assert [money_of(v) for v in monthly["会费收入"][:12]] == statement["income"]["会费收入"]
    assert money_of(monthly["会费收入"][12]) == D("83.65")
    assert money_of(monthly["职工活动支出"][4]) == D("3260.50")  # May
    assert money_of(monthly["业务支出"][2]) == D("0.00")  # March: spent and reversed
    assert money_of(monthly["收入合计"][12]) == D("9683.65")
    assert money_of(monthly["支出合计"][12]) == D("13100.50")
    assert money_of(monthly["月初结余"][0]) == D("5000.00")
    assert money_of(monthly["月末结余"][11]) == D("1583.15")
    budget = {r[1]: r for r in wb["预算执行"].iter_rows(min_row=3, values_only=True) if r[1]}
    row = budget["职工活动支出"]
    assert (money_of(row[2]), money_of(row[3]), money_of(row[4]), row[6]) == (
        D("8000.00"),
        D("8260.50"),
        D("-260.50"),
        "超支",
    )
    assert row[5] == pytest.approx(1.03)
    assert budget["事业支出"][2] is None  # no budget: left blank
    assert money_of(budget["支出合计"][3]) == D("9260.50")


# ---- the dues roll ----------------------------------------------------------------------------------


def test_the_dues_roll_workbook_shows_who_paid_how(login, school_a, chair_a, year_books):
    wb = workbook(login(chair_a).get(url("report_dues_roll", school_a.pk, "2025-10")))
    ws = wb.active
    assert ws["A1"].value == f"{school_a.name} 2025年10月会费收缴表"
    assert "岗位工资 + 薪级工资" in ws["A2"].value
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] in ("张三", "李四", "王五")}
    zhang, li = rows["张三"], rows["李四"]
    assert rows["王五"][7] == "已缴"
    assert zhang[2] == "语文组" and li[2] in (None, "")
    assert (money_of(zhang[3]), money_of(zhang[4]), money_of(zhang[5])) == (
        D("4297.00"),
        D("4290.00"),
        D("21.45"),
    )
    assert (zhang[7], zhang[8], zhang[9].date()) == ("已缴", "工资代扣", datetime.date(YEAR, 11, 5))
    assert (li[7], li[8]) == ("已缴", "个人缴纳")
    total = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "合计")
    assert (total[1], money_of(total[5])) == ("3 人", D("62.20"))
    assert any("已缴 3 人，62.20 元；未缴 0 人，0.00 元" in str(r[0]) for r in ws.iter_rows(values_only=True))


def test_an_unpaid_member_shows_as_unpaid(login, school_a, chair_a, finance, member_a):
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=OCT,
        rows=[{"member": member_a.member.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}}],
    )
    ws = workbook(login(chair_a).get(url("report_dues_roll", school_a.pk, "2025-10"))).active
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == "张三")
    assert row[7] == "未缴" and row[8] is None
    assert login(chair_a).get(url("report_dues_roll", school_a.pk, "2025-13")).status_code == 404


# ---- 拨缴 and 上解 --------------------------------------------------------------------------------------


def test_the_remittance_statement_per_month_and_in_total(login, school_a, finance, year_books):
    client = login(finance)
    ws = workbook(client.get(url("report_remittance_xlsx", school_a.pk, YEAR))).active
    header = [c.value for c in ws[2]]
    assert header[2] == "应拨缴（2%）" and header[7] == "应上解（40%）"
    sep = [c.value for c in ws[3]]
    assert sep[0] == "2025年9月"
    assert [money_of(v) for v in (sep[1], sep[2], sep[4], sep[5], sep[6], sep[7], sep[8], sep[9])] == [
        D("480000.00"),
        D("9600.00"),
        D("9600.00"),
        D("0.00"),
        D("0.00"),
        D("3840.00"),
        D("3840.00"),
        D("0.00"),
    ]
    assert ws[4][0].value == "合计" and money_of(ws[4][7].value) == D("3840.00")
    paper = client.get(url("report_remittance_docx", school_a.pk, YEAR))
    assert paper.status_code == 200
    text = docx_text(paper.content)
    assert "上解经费结算单" in text
    assert "应上解龙胜县教育工会 3,840.00 元，已上解 3,840.00 元，尚欠 0.00 元" in text
    assert "9月|480,000.00|9,600.00|9,600.00|0.00|3,840.00|3,840.00|0.00" in text


# ---- 会费收据 -------------------------------------------------------------------------------------------


def test_a_receipt_lists_the_months_and_the_amount_in_words(school_a, year_books):
    zhang = year_books["zhang"]
    receipt = receipts.receipt_for(zhang, YEAR, today=datetime.date(2026, 1, 5))
    assert receipt.number == f"HF2025-{zhang.pk:05d}-02"
    assert (receipt.total, receipt.total_upper) == (D("42.90"), "肆拾贰元玖角整")
    assert receipt.months_text == "2025年9月—10月"
    assert receipt.methods == "个人缴纳、工资代扣"
    assert receipt.recorders == "刘会计"
    one = receipts.receipt_for(zhang, YEAR, 10)
    assert (one.number, one.total_upper) == (f"HF202510-{zhang.pk:05d}", "贰拾壹元肆角伍分")
    assert receipts.receipt_for(zhang, YEAR, 11) is None


def test_a_member_downloads_their_own_receipt_as_word(login, school_a, member_a, year_books):
    response = login(member_a).get(url("receipt_docx", school_a.pk, member_a.member.pk, "2025-10"))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "会费收据" in text and f"HF202510-{member_a.member.pk:05d}" in text
    assert "交款人|张三（语文组）" in text
    assert "金额（大写）|人民币贰拾壹元肆角伍分" in text
    assert "金额（小写）|¥21.45" in text
    assert "缴纳方式|工资代扣" in text and "经办人：刘会计" in text
    event = AuditEvent.objects.get(action="funds.receipt.issue")
    assert event.changes["number"] == f"HF202510-{member_a.member.pk:05d}"


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="poppler-utils is not installed (CI installs it and always runs this test)",
)
def test_the_pdf_receipt_carries_real_chinese_text(login, school_a, finance, year_books, tmp_path):
    zhang = year_books["zhang"]
    response = login(finance).get(url("receipt_pdf", school_a.pk, zhang.pk, str(YEAR)))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "会费收据",
        f"HF2025-{zhang.pk:05d}-02",
        school_a.name,
        "张三（语文组）",
        "人民币肆拾贰元玖角整",
        "¥42.90",
        "2025年9月—10月",
        "经办人：刘会计",
    ):
        assert expected in text, expected


def test_who_may_have_a_receipt(
    login, school_a, school_b, member_a, chair_a, finance, outsider_b, year_books
):
    li = year_books["li"]
    own = url("receipt_pdf", school_a.pk, member_a.member.pk, str(YEAR))
    someone_else = url("receipt_docx", school_a.pk, li.pk, str(YEAR))
    assert login(member_a).get(someone_else).status_code == 404
    assert login(chair_a).get(someone_else).status_code == 403  # reads the books, issues nothing
    assert login(finance).get(someone_else).status_code == 200
    assert login(outsider_b).get(own).status_code == 404
    assert login(outsider_b).get(url("receipt_pdf", school_a.pk, li.pk, str(YEAR))).status_code == 404
    # No payments in the period, a member of another org, a period that is not one: 404.
    assert login(member_a).get(url("receipt_pdf", school_a.pk, member_a.member.pk, "2024")).status_code == 404
    other = MemberFactory(org=school_b)
    assert login(finance).get(url("receipt_docx", school_a.pk, other.pk, str(YEAR))).status_code == 404
    assert login(finance).get(url("receipt_docx", school_a.pk, li.pk, "last-year")).status_code == 404


def test_the_receipt_form_leads_to_the_receipt(login, school_a, finance, member_a, year_books):
    client = login(finance)
    li = year_books["li"]
    response = client.get(
        url("receipt_pick", school_a.pk), {"member": li.pk, "period": "2025-10", "fmt": "docx"}
    )
    assert response.status_code == 302
    assert response.url == url("receipt_docx", school_a.pk, li.pk, "2025-10")
    assert client.get(url("receipt_pick", school_a.pk), {"member": li.pk}).status_code == 404
    assert login(member_a).get(url("receipt_pick", school_a.pk), {"member": li.pk}).status_code == 403


# ---- the page and who may download ---------------------------------------------------------------------


def finance_downloads(org):
    return [
        url("reports", org.pk),
        url("report_annual", org.pk, YEAR),
        url("report_ledger", org.pk, YEAR),
        url("report_dues_roll", org.pk, "2025-10"),
        url("report_remittance_xlsx", org.pk, YEAR),
        url("report_remittance_docx", org.pk, YEAR),
        url("report_chart", org.pk, YEAR),
    ]


def test_reports_refuse_outsiders_and_plain_members(
    login, school_a, outsider_b, member_a, officer, year_books
):
    for page in finance_downloads(school_a):
        assert login(outsider_b).get(page).status_code == 404, page
        assert login(member_a).get(page).status_code == 403, page
        assert login(officer).get(page).status_code == 403, page  # the federation has its own page
    assert not AuditEvent.objects.filter(action="funds.report.download").exists()


def test_every_reader_of_the_books_gets_every_report(login, school_a, chair_a, finance, auditor, year_books):
    for user in (chair_a, finance, auditor):
        client = login(user)
        for page in finance_downloads(school_a):
            response = client.get(page)
            assert response.status_code == 200, (user, page)
            assert len(response.content) > 1000, page
    assert login(chair_a).get(url("report_annual", school_a.pk, 1999)).status_code == 404


def test_the_page_shows_the_chart_the_figures_and_the_downloads(login, school_a, finance, year_books):
    response = login(finance).get(url("reports", school_a.pk), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<script" not in page.split("<svg")[1].split("</svg>")[0]
    assert "职工活动支出" in page and "8,260.50 元（63.1%）" in page
    assert page.count('fill="#b3261e"') == 3  # three bars
    assert "9683.65" in page and "13100.50" in page and "1583.15" in page
    for name in ("report_annual", "report_ledger", "report_remittance_xlsx", "report_remittance_docx"):
        assert url(name, school_a.pk, YEAR) in page
    assert url("report_dues_roll", school_a.pk, "2025-09") in page
    assert url("report_dues_roll", school_a.pk, "2025-10") in page
    assert 'id="receipts"' in page and "李四" in page  # the finance member issues receipts


def test_the_chair_sees_no_receipt_form_and_an_empty_year_says_so(login, school_a, chair_a):
    page = login(chair_a).get(url("reports", school_a.pk), {"year": YEAR}).content.decode()
    assert 'id="receipts"' not in page
    assert "本年度没有支出" in page and "还没有录入工资基数" in page
    assert login(chair_a).get(url("reports", school_a.pk), {"year": "abc"}).status_code == 200


def test_the_chart_png_is_served(login, school_a, chair_a, year_books):
    response = login(chair_a).get(url("report_chart", school_a.pk, YEAR))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


# ---- LibreOffice opens them ----------------------------------------------------------------------------


@needs_libreoffice
def test_libreoffice_opens_the_report_the_workbooks_and_the_receipt(school_a, year_books, tmp_path):
    files = {
        "report.docx": reports.annual_report_docx(school_a, YEAR),
        "ledger.xlsx": reports.ledger_xlsx(school_a, YEAR),
        "roll.xlsx": reports.dues_roll_xlsx(school_a, OCT),
        "remittance.xlsx": reports.remittance_xlsx(school_a, YEAR),
        "remittance-statement.docx": reports.remittance_docx(school_a, YEAR),
        "receipt.docx": receipts.receipt_docx(receipts.receipt_for(year_books["zhang"], YEAR)),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    libreoffice_pdfs((tmp_path / name for name in files), tmp_path / "pdf")
    for name in files:
        pdf = tmp_path / "pdf" / (Path(name).stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, name
