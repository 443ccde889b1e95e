"""报表: the papers and workbooks the funds produce, read from the books.

- 经费收支情况报告 (.docx): the finance report to the member assembly, in the order such
  reports are read out: income, expense, the budget, 拨缴经费 and 上解, the balance.
- 账簿 (.xlsx): the year's vouchers with the running balance, the 收支月报 and the 预算执行.
- 会费收缴表 (.xlsx): a month's dues roll and who has paid.
- 拨缴经费与上解 (.xlsx, and a .docx 结算单 for the federation).

Every figure comes from services / books / allocation, the same functions the pages use, so a
paper never disagrees with the screen.
"""

import datetime
import io
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jiaogong.core import documents as d
from jiaogong.core.money import to_money
from jiaogong.core.xlsx import new_workbook
from jiaogong.funds import allocation, books, charts, privacy, services
from jiaogong.funds.models import (
    EXPENSE_CATEGORIES,
    REMITTANCE_CATEGORY,
    DuesPayment,
    LedgerEntry,
    SalaryBase,
    YearSignOff,
)
from jiaogong.members.models import Member

ZERO = Decimal("0.00")
NO_SUBCATEGORY = "未分明细"
money = charts.money
percent = charts.percent


def _share_text(value: Decimal) -> str:
    """0.0200 → "2%", 0.4 → "40%", 0.125 → "12.5%"."""
    return f"{(Decimal(value) * 100).normalize():f}%"


# ---- the figures ---------------------------------------------------------------------------------


def expense_breakdown(org, year: int) -> dict[str, dict[str, Decimal]]:
    """The year's expense per category and subcategory (reversals netted); entries filed under
    a category without a subcategory count as 未分明细."""
    rows = (
        LedgerEntry.objects.filter(org=org, date__year=year, kind=LedgerEntry.Kind.EXPENSE)
        .values("category", "subcategory")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    out: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        subs = out.setdefault(row["category"], {})
        key = row["subcategory"] or NO_SUBCATEGORY
        subs[key] = subs.get(key, ZERO) + to_money(row["total"])
    order = {s: i for c in EXPENSE_CATEGORIES.values() for i, s in enumerate(c)}
    return {
        c: dict(sorted(subs.items(), key=lambda kv: order.get(kv[0], len(order)))) for c, subs in out.items()
    }


def year_end_balances(org, year: int) -> dict:
    """Bank, cash and the total at the end of the year (or now, for the current year)."""
    end = datetime.date(year + 1, 1, 1)
    return {
        "bank": books.balance(org, before=end, account=LedgerEntry.Account.BANK),
        "cash": books.balance(org, before=end, account=LedgerEntry.Account.CASH),
        "total": books.balance(org, before=end),
    }


def figures(org, year: int) -> dict:
    """What the report and the 报表 page print: the statement's totals, income and expense per
    category with their shares, the budget, 拨缴 and 上解, and the balances at the year's end."""
    summary = services.summary(org, year)
    statement = books.monthly_statement(org, year)
    income_total = statement["income_total"]
    expense_total = statement["expense_total"]
    return {
        "year": year,
        "summary": summary,
        "statement": statement,
        "income_total": income_total,
        "expense_total": expense_total,
        "income": [
            {"category": c, "amount": a, "share": percent(a, income_total)}
            for c, a in summary["income"].items()
            if a
        ],
        "expense": [
            {"category": c, "amount": a, "share": percent(a, expense_total)}
            for c, a in summary["expense"].items()
            if a
        ],
        "breakdown": expense_breakdown(org, year),
        "budget": books.budget_vs_actual(org, year),
        "allocation": allocation.year_status(org, year),
        "allocation_rate": allocation.parameters(org)["rate"],
        "balances": year_end_balances(org, year),
        "chart": charts.expense_chart(summary),
        "signed": YearSignOff.objects.filter(org=org, year=year).first(),
    }


def roll_months(org, year: int) -> list[datetime.date]:
    """The months of the year that have a dues roll (salary bases recorded)."""
    return sorted(set(SalaryBase.objects.filter(org=org, month__year=year).values_list("month", flat=True)))


def dues_payers(org, year: int) -> list[Member]:
    """The members who paid dues for a month of the year (those a receipt can be issued to)."""
    return list(
        Member.objects.filter(org=org, dues_payments__month__year=year)
        .distinct()
        .order_by("name_pinyin", "id")
        .only("id", "name")
    )


# ---- 经费收支情况报告 --------------------------------------------------------------------------------


def _listing(items: list[dict]) -> str:
    """ "会费收入 1,200.00 元，占 10.5%；拨缴经费收入 …" """
    return "；".join(f"{i['category']} {money(i['amount'])} 元，占 {i['share']}" for i in items)


def _subcategory_note(subs: dict[str, Decimal]) -> str:
    named = [(s, a) for s, a in subs.items() if a]
    if not named or (len(named) == 1 and named[0][0] == NO_SUBCATEGORY):
        return ""
    return "（其中" + "、".join(f"{s} {money(a)} 元" for s, a in named) + "）"


def annual_report_docx(org, year: int, *, today: datetime.date | None = None) -> bytes:
    """经费收支情况报告: what the finance member reads to the 会员代表大会 (a draft to edit)."""
    today = today or timezone.localdate()
    f = figures(org, year)
    finished = year < today.year
    scope = "全年" if finished else f"本年截至{today.month}月{today.day}日"
    title = f"{org.name} {year} 年度经费收支情况报告"
    doc = d.new_document(title)
    d.add_title(doc, f"{org.name}", size=18)
    d.add_title(doc, f"{year} 年度经费收支情况报告", subtitle=f"（{d.cn_date(today)}）")
    d.add_paragraph(doc, "各位代表：", indent=False)
    signed = f["signed"]
    audit_note = (
        f"本年度账目已于{d.cn_date(timezone.localdate(signed.signed_at))}经工会经费审查委员会审查签字。"
        if signed
        else "本年度账目尚待工会经费审查委员会审查。"
    )
    d.add_paragraph(
        doc,
        f"受工会委员会委托，现将本会 {year} 年度经费收支情况报告如下，请予审议。"
        f"本报告的数字取自本会 {year} 年度账簿"
        + ("" if finished else f"（截至{d.cn_date(today)}）")
        + f"，收入、支出均已扣除冲销凭证，内部转账不计收支。{audit_note}",
    )

    d.add_heading(doc, "一、收入情况", 1)
    if f["income"]:
        d.add_paragraph(doc, f"{scope}共收入 {money(f['income_total'])} 元，其中{_listing(f['income'])}。")
        d.add_table(
            doc,
            ["收入科目", "金额（元）", "占收入比例"],
            [[i["category"], money(i["amount"]), i["share"]] for i in f["income"]]
            + [["合计", money(f["income_total"]), "100%"]],
            widths=[6.6, 5, 4],
            align=["left", "right", "right"],
        )
    else:
        d.add_paragraph(doc, f"{scope}没有收入。")

    d.add_heading(doc, "二、支出情况", 1)
    if f["expense"]:
        parts = [
            f"{i['category']} {money(i['amount'])} 元，占 {i['share']}"
            + _subcategory_note(f["breakdown"].get(i["category"], {}))
            for i in f["expense"]
        ]
        d.add_paragraph(doc, f"{scope}共支出 {money(f['expense_total'])} 元，其中{'；'.join(parts)}。")
        if f["summary"]["expense"].get(REMITTANCE_CATEGORY):
            d.add_paragraph(
                doc,
                f"上解上级支出是按规定将收到的拨缴经费的 {_share_text(1 - f['allocation']['school_share'])} "
                f"上解{org.parent.name if org.parent_id else '上级工会'}，不是本会的开支。",
            )
        rows = []
        for i in f["expense"]:
            rows.append([i["category"], "", money(i["amount"]), i["share"]])
            subs = f["breakdown"].get(i["category"], {})
            if _subcategory_note(subs):
                for sub, amount in subs.items():
                    if amount:
                        rows.append(["", sub, money(amount), percent(amount, f["expense_total"])])
        rows.append(["合计", "", money(f["expense_total"]), "100%"])
        d.add_table(
            doc,
            ["支出科目", "明细科目", "金额（元）", "占支出比例"],
            rows,
            widths=[4.2, 3.6, 4.2, 3.6],
            align=["left", "left", "right", "right"],
        )
        _add_chart(doc, f["chart"], f"图 1　{year} 年支出（按科目）")
    else:
        d.add_paragraph(doc, f"{scope}没有支出。")

    d.add_heading(doc, "三、预算执行情况", 1)
    _budget_section(doc, f["budget"])

    d.add_heading(doc, "四、拨缴经费与上解", 1)
    _allocation_section(doc, org, f)

    d.add_heading(doc, "五、结余", 1)
    b, s = f["balances"], f["statement"]
    end_word = "年末" if finished else "目前"
    d.add_paragraph(
        doc,
        f"年初结余 {money(s['opening'])} 元，加本年收入 {money(s['income_total'])} 元，减本年支出 "
        f"{money(s['expense_total'])} 元，{end_word}结余 {money(s['closing'])} 元；其中银行存款 "
        f"{money(b['bank'])} 元，库存现金 {money(b['cash'])} 元。",
    )

    d.add_paragraph(
        doc,
        "工会委员会将继续执行工会经费收支管理的各项规定，坚持量入为出、厉行节约，把工会经费用在为"
        "教职工服务上，定期公开经费收支情况，接受全体会员和工会经费审查委员会的监督。",
    )
    d.add_paragraph(doc, "以上报告，请各位代表审议。")
    d.add_paragraph(doc)
    d.add_paragraph(doc, org.name, indent=False, align="right")
    d.add_paragraph(doc, d.cn_date(today), indent=False, align="right")
    return d.to_bytes(doc)


def _add_chart(doc, chart: charts.Chart, caption: str) -> None:
    try:
        picture = charts.png(chart)
    except charts.FontMissing as e:
        d.add_paragraph(doc, f"（未能生成支出图表：{e}）", indent=False)
        return
    doc.add_picture(io.BytesIO(picture), width=Cm(12))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(doc, caption, indent=False, align="center")


def _budget_section(doc, budget: dict) -> None:
    if not budget["has_budget"]:
        d.add_paragraph(doc, "本年度未编制经费预算。")
        return
    income_used = percent(budget["income_actual"], budget["income_budget"])
    expense_used = percent(budget["expense_actual"], budget["expense_budget"])
    text = (
        f"本年度收入预算 {money(budget['income_budget'])} 元，实际收入 {money(budget['income_actual'])} 元，"
        f"完成预算的 {income_used}；支出预算 {money(budget['expense_budget'])} 元，实际支出 "
        f"{money(budget['expense_actual'])} 元，执行 {expense_used}"
    )
    if budget["remitted"]:
        text += f"（上解上级支出 {money(budget['remitted'])} 元不列入支出预算）"
    over = [r for r in budget["expense"] if r["over"]]
    if over:
        text += "。超出预算的科目：" + "、".join(
            f"{r['category']}（超支 {money(-r['left'])} 元）" for r in over
        )
    d.add_paragraph(doc, text + "。")
    rows = []
    for kind, label in (("income", "收入"), ("expense", "支出")):
        for r in budget[kind]:
            if r["budget"] is None and not r["actual"]:
                continue
            rows.append(
                [
                    f"{label}·{r['category']}",
                    "—" if r["budget"] is None else money(r["budget"]),
                    money(r["actual"]),
                    "—" if r["used"] is None else f"{r['used']}%",
                    "—" if r["left"] is None else money(r["left"]),
                ]
            )
    d.add_table(
        doc,
        ["科目", "预算（元）", "实际（元）", "执行率", "结余（元）"],
        rows,
        widths=[4.8, 3, 3, 1.8, 3],
        align=["left", "right", "right", "right", "right"],
    )


def _allocation_section(doc, org, f: dict) -> None:
    status = f["allocation"]
    if not status["rows"]:
        d.add_paragraph(doc, "本年度尚未申报工资总额，没有拨缴经费记录。")
        return
    t = status["totals"]
    up_share = _share_text(1 - status["school_share"])
    federation = org.parent.name if org.parent_id else "上级工会"
    text = (
        f"本年度已申报 {len(status['rows'])} 个月的工资总额，共 {money(t['payroll_total'])} 元，按 "
        f"{_share_text(f['allocation_rate'])} 应拨缴经费 {money(t['due'])} 元，已到账 {money(t['paid'])} 元"
    )
    if t["late_fee"]:
        text += f"（另收滞纳金 {money(t['late_fee'])} 元）"
    text += f"，尚欠 {money(t['arrears'])} 元。" if t["arrears"] else "，已全部到账。"
    text += f"按规定应将到账经费的 {up_share} 上解{federation}，计 {money(t['remit_due'])} 元，已上解 {money(t['remitted'])} 元"
    text += f"，尚欠 {money(t['remit_arrears'])} 元。" if t["remit_arrears"] else "，已全部上解。"
    d.add_paragraph(doc, text)
    overdue = [r for r in status["rows"] if r["overdue"]]
    if overdue:
        d.add_paragraph(
            doc,
            "逾期未足额拨缴的月份："
            + "、".join(f"{r['month'].month}月（欠 {money(r['arrears'])} 元）" for r in overdue)
            + "，请学校行政及时拨缴。",
        )


# ---- workbooks -----------------------------------------------------------------------------------

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _put(ws, row: int, column: int, value, *, number: str | None = None, bold: bool = False):
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # openpyxl stores "=…" as a formula: a payee or a memo must never run in someone's Excel.
        cell.data_type = "s"
    elif number and value is not None:
        cell.number_format = number
    if bold:
        cell.font = BOLD
    return cell


def _start_sheet(ws, title: str, headers: list[str], widths: list[float], *, header_row: int = 2) -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(ws, header_row, column, text, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = width


def _total_row(ws, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = ws.cell(row=row, column=column)
        cell.fill = TOTAL_FILL
        cell.font = BOLD


def _print_setup(ws, title_rows: str) -> None:
    """Printed landscape, as wide as one page, the header repeated on every page."""
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


LEDGER_HEADERS = [
    "日期",
    "凭证号",
    "账户",
    "收支",
    "科目",
    "明细科目",
    "收付款单位/人",
    "摘要",
    "收入",
    "支出",
    "内部转账",
    "余额",
    "冲销",
    "附件",
]
LEDGER_WIDTHS = [11, 7, 16, 9, 14, 12, 16, 36, 12, 12, 12, 13, 16, 6]


def _reversal_note(entry: LedgerEntry) -> str:
    if entry.reverses_id:
        return f"冲销第 {entry.reverses_id} 号"
    reversal = getattr(entry, "reversed_by", None)
    return f"已被第 {reversal.pk} 号冲销" if reversal is not None else ""


def ledger_xlsx(org, year: int, viewer=None) -> bytes:
    """The year's books: 账簿 (every voucher, the running balance of all the union's money),
    收支月报 and 预算执行. Payees and memos as `viewer` may read them (funds/privacy.py); with no
    viewer (the 台帐 archive) those of a hardship file's help or a 慰问 are left out."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "账簿"
    lines = books.ledger_lines(org, year)
    _start_sheet(ws, f"{org.name} {year} 年账簿（银行存款与库存现金）", LEDGER_HEADERS, LEDGER_WIDTHS)
    row = 3
    _put(ws, row, 1, datetime.date(year, 1, 1), number=DATE_FORMAT)
    _put(ws, row, 8, "上年结转")
    _put(ws, row, 12, lines["opening"], number=MONEY_FORMAT)
    accounts = dict(LedgerEntry.Account.choices)
    income = expense = ZERO
    guards = privacy.guards(lines["entries"])
    for entry in lines["entries"]:
        row += 1
        shown = (
            privacy.shown(viewer, org, entry, guards[entry.pk])
            if viewer is not None or guards[entry.pk] is None
            else {"payee": privacy.HIDDEN_PAYEE if entry.payee else "", "memo": privacy.hidden_memo(entry)}
        )
        account = accounts[entry.account]
        if entry.kind == LedgerEntry.Kind.TRANSFER:
            account = f"{account}→{accounts[entry.counter_account]}"
        column = {"income": 9, "expense": 10, "transfer": 11}[entry.kind]
        if entry.kind == LedgerEntry.Kind.INCOME:
            income += entry.amount
        elif entry.kind == LedgerEntry.Kind.EXPENSE:
            expense += entry.amount
        _put(ws, row, 1, entry.date, number=DATE_FORMAT)
        _put(ws, row, 2, entry.pk)
        _put(ws, row, 3, account)
        _put(ws, row, 4, entry.get_kind_display())
        _put(ws, row, 5, entry.category)
        _put(ws, row, 6, entry.subcategory)
        _put(ws, row, 7, shown["payee"])
        _put(ws, row, 8, shown["memo"])
        _put(ws, row, column, entry.amount, number=MONEY_FORMAT)
        _put(ws, row, 12, entry.balance, number=MONEY_FORMAT)
        _put(ws, row, 13, _reversal_note(entry))
        _put(ws, row, 14, len(entry.attachments.all()) or None)
    row += 1
    _put(ws, row, 8, "本年合计")
    _put(ws, row, 9, income, number=MONEY_FORMAT)
    _put(ws, row, 10, expense, number=MONEY_FORMAT)
    _put(ws, row, 12, lines["closing"], number=MONEY_FORMAT)
    _total_row(ws, row, len(LEDGER_HEADERS))
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(LEDGER_HEADERS))}{row - 1}"
    _print_setup(ws, "2:2")

    _monthly_sheet(wb.create_sheet("收支月报"), org, year)
    _budget_sheet(wb.create_sheet("预算执行"), org, year)
    return _save(wb)


def _monthly_sheet(ws, org, year: int) -> None:
    statement = books.monthly_statement(org, year)
    headers = ["科目", *[f"{m}月" for m in range(1, 13)], "全年"]
    _start_sheet(ws, f"{org.name} {year} 年收支月报（元）", headers, [16] + [11] * 12 + [13])
    row = 2

    def line(label, values, *, total=False):
        nonlocal row
        row += 1
        _put(ws, row, 1, label)
        for m, value in enumerate(values, start=2):
            _put(ws, row, m, value, number=MONEY_FORMAT)
        if total:
            _total_row(ws, row, len(headers))

    for kind, label in (("income", "收入"), ("expense", "支出")):
        table = statement[kind]
        row += 1
        _put(ws, row, 1, label, bold=True)
        for category, months in table.items():
            line(category, [*months, sum(months, ZERO)])
        months_total = [statement["months"][m][kind] for m in range(12)]
        line(f"{label}合计", [*months_total, statement[f"{kind}_total"]], total=True)
    row += 1
    line("月初结余", [m["opening"] for m in statement["months"]] + [statement["opening"]])
    line("月末结余", [m["closing"] for m in statement["months"]] + [statement["closing"]], total=True)
    ws.freeze_panes = "B3"
    _print_setup(ws, "2:2")


def _budget_sheet(ws, org, year: int) -> None:
    report = books.budget_vs_actual(org, year)
    headers = ["收支", "科目", "预算", "实际", "结余（预算−实际）", "执行率", "超支"]
    _start_sheet(ws, f"{org.name} {year} 年预算执行（元）", headers, [8, 16, 13, 13, 16, 9, 7])
    row = 2
    for kind, label in (("income", "收入"), ("expense", "支出")):
        for r in report[kind]:
            row += 1
            _put(ws, row, 1, label)
            _put(ws, row, 2, r["category"])
            _put(ws, row, 3, r["budget"], number=MONEY_FORMAT)
            _put(ws, row, 4, r["actual"], number=MONEY_FORMAT)
            _put(ws, row, 5, r["left"], number=MONEY_FORMAT)
            _put(ws, row, 6, None if r["used"] is None else r["used"] / 100, number="0%")
            _put(ws, row, 7, "超支" if r["over"] else "")
        row += 1
        _put(ws, row, 1, label)
        _put(ws, row, 2, f"{label}合计")
        _put(ws, row, 3, report[f"{kind}_budget"], number=MONEY_FORMAT)
        _put(ws, row, 4, report[f"{kind}_actual"], number=MONEY_FORMAT)
        _total_row(ws, row, len(headers))
    if report["remitted"]:
        row += 2
        _put(ws, row, 1, f"另：上解上级支出 {money(report['remitted'])} 元，不列入基层工会支出预算。")
    if not report["has_budget"]:
        row += 2
        _put(ws, row, 1, f"{year} 年还没有编制预算。")
    ws.freeze_panes = "C3"
    _print_setup(ws, "2:2")


DUES_HEADERS = [
    "序号",
    "姓名",
    "工会小组",
    "计缴工资",
    "计缴基数",
    "应缴会费",
    "免缴原因",
    "缴纳情况",
    "缴纳方式",
    "缴纳日期",
    "凭证号",
]
DUES_WIDTHS = [6, 10, 12, 12, 12, 11, 12, 10, 10, 12, 8]


def dues_roll_xlsx(org, month: datetime.date) -> bytes:
    """会费收缴表: the month's roll (services.dues_roll) with who has paid, how and when."""
    roll = services.dues_roll(org, month)
    params = services.dues_parameters(org)
    groups = dict(
        Member.objects.filter(org=org, pk__in=[i["member"] for i in roll["items"]]).values_list(
            "pk", "union_group__name"
        )
    )
    paid = {p.member_id: p for p in DuesPayment.objects.filter(org=org, month=month)}
    wb = new_workbook()
    ws = wb.active
    ws.title = "会费收缴表"
    _start_sheet(
        ws, f"{org.name} {month.year}年{month.month}月会费收缴表", DUES_HEADERS, DUES_WIDTHS, header_row=3
    )
    ws["A2"] = (
        f"计缴项目：{' + '.join(params['counted'])}；舍去 {params['floor_unit']} 元以下零头后按 "
        f"{_share_text(params['rate'])} 计缴。"
    )
    row = 3
    collected = outstanding = ZERO
    paid_count = unpaid_count = 0
    for n, item in enumerate(roll["items"], start=1):
        row += 1
        payment = paid.get(item["member"])
        if item["exempt"]:
            state = "免缴"
        elif payment is not None:
            state = "已缴"
            paid_count += 1
            collected += payment.amount
        elif item["amount"]:
            state = "未缴"
            unpaid_count += 1
            outstanding += item["amount"]
        else:
            state = "—"
        _put(ws, row, 1, n)
        _put(ws, row, 2, item["name"])
        _put(ws, row, 3, groups.get(item["member"]) or "")
        _put(ws, row, 4, item["pay"], number=MONEY_FORMAT)
        _put(ws, row, 5, item["base"], number=MONEY_FORMAT)
        _put(ws, row, 6, item["amount"], number=MONEY_FORMAT)
        _put(ws, row, 7, item["exempt"])
        _put(ws, row, 8, state)
        if payment is not None:
            _put(ws, row, 9, payment.get_method_display())
            _put(ws, row, 10, payment.paid_on, number=DATE_FORMAT)
            _put(ws, row, 11, payment.entry_id)
    row += 1
    _put(ws, row, 1, "合计")
    _put(ws, row, 2, f"{len(roll['items'])} 人")
    _put(ws, row, 4, sum((i["pay"] for i in roll["items"]), ZERO), number=MONEY_FORMAT)
    _put(ws, row, 5, sum((i["base"] for i in roll["items"]), ZERO), number=MONEY_FORMAT)
    _put(ws, row, 6, roll["total"], number=MONEY_FORMAT)
    _total_row(ws, row, len(DUES_HEADERS))
    row += 2
    _put(
        ws,
        row,
        1,
        f"已缴 {paid_count} 人，{money(collected)} 元；未缴 {unpaid_count} 人，{money(outstanding)} 元。",
    )
    ws.freeze_panes = "C4"
    _print_setup(ws, "3:3")
    return _save(wb)


def remittance_headers(status: dict, rate: Decimal) -> list[str]:
    up = _share_text(1 - status["school_share"])
    return [
        "工资月份",
        "工资总额",
        f"应拨缴（{_share_text(rate)}）",
        "截止日",
        "已到账",
        "滞纳金",
        "欠拨",
        f"应上解（{up}）",
        "已上解",
        "尚欠上解",
    ]


REMITTANCE_KEYS = [
    "payroll_total",
    "due",
    None,
    "paid",
    "late_fee",
    "arrears",
    "remit_due",
    "remitted",
    "remit_arrears",
]


def remittance_xlsx(org, year: int) -> bytes:
    """拨缴经费与上解明细: per payroll month the payroll, the 2 % due, what came in (and late
    fees), the arrears, the federation's share owed, sent and outstanding; with totals."""
    status = allocation.year_status(org, year)
    rate = allocation.parameters(org)["rate"]
    headers = remittance_headers(status, rate)
    wb = new_workbook()
    ws = wb.active
    ws.title = "拨缴与上解"
    _start_sheet(
        ws, f"{org.name} {year} 年拨缴经费与上解明细（元）", headers, [11, 14, 13, 11, 13, 10, 12, 13, 12, 12]
    )
    row = 2
    for r in status["rows"]:
        row += 1
        _put(ws, row, 1, f"{r['month'].year}年{r['month'].month}月")
        _put(ws, row, 4, r["due_on"], number=DATE_FORMAT)
        for column, key in enumerate(REMITTANCE_KEYS, start=2):
            if key:
                _put(ws, row, column, r[key], number=MONEY_FORMAT)
    row += 1
    _put(ws, row, 1, "合计")
    for column, key in enumerate(REMITTANCE_KEYS, start=2):
        if key:
            _put(ws, row, column, status["totals"][key], number=MONEY_FORMAT)
    _total_row(ws, row, len(headers))
    if not status["rows"]:
        _put(ws, row + 2, 1, f"{year} 年还没有申报工资总额。")
    ws.freeze_panes = "B3"
    _print_setup(ws, "2:2")
    return _save(wb)


def remittance_docx(org, year: int, *, today: datetime.date | None = None) -> bytes:
    """上解经费结算单: the year's 拨缴经费 and the share sent up, for the federation's finance."""
    today = today or timezone.localdate()
    status = allocation.year_status(org, year)
    rate = allocation.parameters(org)["rate"]
    federation = org.parent.name if org.parent_id else "上级工会"
    doc = d.new_document(f"{org.name} {year} 年度上解经费结算单")
    d.add_title(doc, "上解经费结算单", subtitle=f"{org.name}　{year} 年度")
    t = status["totals"]
    up_share = _share_text(1 - status["school_share"])
    if status["rows"]:
        d.add_paragraph(
            doc,
            f"{year} 年度本会申报工资总额 {money(t['payroll_total'])} 元，按 {_share_text(rate)} 应拨缴经费 "
            f"{money(t['due'])} 元，已到账 {money(t['paid'])} 元；按到账经费的 {up_share} 应上解{federation} "
            f"{money(t['remit_due'])} 元，已上解 {money(t['remitted'])} 元，尚欠 {money(t['remit_arrears'])} 元。",
        )
    else:
        d.add_paragraph(doc, f"{year} 年度本会尚未申报工资总额，没有应上解的经费。")
    headers = remittance_headers(status, rate)
    keep = [0, 1, 2, 4, 5, 7, 8, 9]  # the form leaves out the due date and the school's arrears
    rows = [
        [f"{r['month'].month}月"]
        + [
            money(r[k])
            for k in ("payroll_total", "due", "paid", "late_fee", "remit_due", "remitted", "remit_arrears")
        ]
        for r in status["rows"]
    ]
    rows.append(
        ["合计"]
        + [
            money(t[k])
            for k in ("payroll_total", "due", "paid", "late_fee", "remit_due", "remitted", "remit_arrears")
        ]
    )
    d.add_table(
        doc,
        [headers[i] for i in keep],
        rows,
        widths=[1.7, 2.4, 2.0, 2.0, 1.4, 2.0, 2.0, 2.0],
        align=["center"] + ["right"] * 7,
    )
    d.add_paragraph(doc, f"上解单位（盖章）：{org.name}", indent=False)
    d.add_paragraph(doc, "工会主席：　　　　　　　财务委员：　　　　　　　经审委员：", indent=False)
    d.add_paragraph(doc, f"填报日期：{d.cn_date(today)}", indent=False)
    d.add_paragraph(doc, f"收款单位：{federation}", indent=False)
    return d.to_bytes(doc)
