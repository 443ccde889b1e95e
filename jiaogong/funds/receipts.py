"""会费收据: a receipt for the dues a member paid, as Word (.docx) and PDF.

A receipt covers a member's paid months of a year, or one month. It is built from the
DuesPayment rows and their vouchers, so printing it again gives the same receipt: its number
is derived from what it covers (see `receipt_number`), not drawn from a counter.

The amount in words follows 中国人民银行《支付结算办法》附件《正确填写票据和结算凭证的基本规定》
(see `rmb_upper`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from jiaogong.core import documents as d
from jiaogong.funds import charts
from jiaogong.funds.models import DuesPayment

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿", "万亿"]
CENT = Decimal("0.01")


# ---- 人民币大写 -----------------------------------------------------------------------------------


def _group_words(value: int) -> str:
    """0 < value < 10000 in capitals, zeros inside collapsed to one 零 and trailing ones dropped:
    1005 → 壹仟零伍, 1050 → 壹仟零伍拾, 1500 → 壹仟伍佰."""
    words = ""
    pending_zero = False
    for place in range(3, -1, -1):
        digit = value // 10**place % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words += "零"
            pending_zero = False
        words += DIGITS[digit] + PLACES[place]
    return words


def rmb_upper(amount) -> str:
    """An amount of yuan in Chinese capital numerals, as written on a receipt or a cheque
    (《正确填写票据和结算凭证的基本规定》):

    - 元 closes the yuan; 整 follows when there are no 分 (21.00 → 贰拾壹元整, 21.40 → 贰拾壹元肆角整);
    - 零 stands for zeros between digits, once for a run (1005 → 壹仟零伍元整, 100010 → 壹拾万零壹拾元整),
      and after 元 when the 角 is zero but the 分 is not (16409.02 → 壹万陆仟肆佰零玖元零贰分);
    - a zero 元 or 万 digit before a non-zero next digit needs no 零 (the rules allow either;
      1680.32 → 壹仟陆佰捌拾元叁角贰分);
    - 10 is 壹拾, not 拾; less than a yuan has no 元 (0.45 → 肆角伍分); nothing is 零元整;
    - a negative amount starts with 负.

    The amount is rounded to the fen (half up) first.
    """
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "负" if value < 0 else ""
    value = abs(value)
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if yuan >= 10**16:
        raise ValueError("金额过大，无法写成大写。")
    if fen_total == 0:
        return "零元整"
    words = ""
    if yuan:
        groups = []
        rest = yuan
        while rest:
            groups.append(rest % 10000)
            rest //= 10000
        for i in range(len(groups) - 1, -1, -1):
            group = groups[i]
            if group == 0:
                continue
            # A higher group was written and this one starts with a zero (0700): write the 零.
            if words and group < 1000:
                words += "零"
            words += _group_words(group) + GROUPS[i]
        words += "元"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += "整"
    return sign + words


# ---- the receipt --------------------------------------------------------------------------------


@dataclass
class ReceiptLine:
    month: datetime.date
    amount: Decimal
    method: str
    paid_on: datetime.date
    voucher: int
    recorder: str


@dataclass
class Receipt:
    number: str
    org: object
    member: object
    period: str  # "2025 年" or "2025 年 10 月"
    lines: list[ReceiptLine]
    issued_on: datetime.date
    total: Decimal = field(init=False)

    def __post_init__(self):
        self.total = sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def total_upper(self) -> str:
        return rmb_upper(self.total)

    @property
    def months_text(self) -> str:
        """The months paid, runs joined: "2025年1月—3月、5月"."""
        months = sorted(line.month for line in self.lines)
        runs: list[list[datetime.date]] = []
        for m in months:
            if runs and _next_month(runs[-1][-1]) == m:
                runs[-1].append(m)
            else:
                runs.append([m])
        parts = []
        for i, run in enumerate(runs):
            first = f"{run[0].year}年{run[0].month}月" if i == 0 else f"{run[0].month}月"
            parts.append(first if len(run) == 1 else f"{first}—{run[-1].month}月")
        return "、".join(parts)

    @property
    def methods(self) -> str:
        return "、".join(dict.fromkeys(line.method for line in self.lines))

    @property
    def paid_on(self) -> datetime.date:
        return max(line.paid_on for line in self.lines)

    @property
    def recorders(self) -> str:
        return "、".join(dict.fromkeys(line.recorder for line in self.lines))

    @property
    def filename(self) -> str:
        return f"会费收据-{self.member.name}-{self.period.replace(' ', '')}"


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def receipt_number(member, year: int, month: int | None, count: int) -> str:
    """HF202510-00012 for one month; HF2025-00012-10 for the 10 months paid in a year. Payments
    are never removed, so a year's receipt that covers more months carries a new number."""
    if month is not None:
        return f"HF{year}{month:02d}-{member.pk:05d}"
    return f"HF{year}-{member.pk:05d}-{count:02d}"


def receipt_for(member, year: int, month: int | None = None, *, today=None) -> Receipt | None:
    """The receipt for what the member paid for the year's months (or one month); None when
    they paid nothing for that period."""
    payments = (
        DuesPayment.objects.filter(org_id=member.org_id, member=member, month__year=year)
        .select_related("entry__recorded_by")
        .order_by("month")
    )
    if month is not None:
        payments = payments.filter(month__month=month)
    lines = [
        ReceiptLine(
            month=p.month,
            amount=p.amount,
            method=p.get_method_display(),
            paid_on=p.paid_on,
            voucher=p.entry_id,
            recorder=str(p.entry.recorded_by),
        )
        for p in payments
    ]
    if not lines:
        return None
    return Receipt(
        number=receipt_number(member, year, month, len(lines)),
        org=member.org,
        member=member,
        period=f"{year} 年" if month is None else f"{year} 年 {month} 月",
        lines=lines,
        issued_on=today or timezone.localdate(),
    )


def _facts(receipt: Receipt) -> list[tuple[str, str]]:
    group = receipt.member.union_group.name if receipt.member.union_group_id else ""
    return [
        ("收款单位", receipt.org.name),
        ("交款人", receipt.member.name + (f"（{group}）" if group else "")),
        ("缴费项目", "工会会费"),
        ("所属月份", receipt.months_text),
        ("金额（小写）", f"¥{charts.money(receipt.total)}"),
        ("金额（大写）", f"人民币{receipt.total_upper}"),
        ("缴纳方式", receipt.methods),
        ("缴纳日期", d.cn_date(receipt.paid_on)),
    ]


NOTE = "本收据根据工会账簿中的缴费记录生成，凭证号可在账簿中核对；重复打印编号不变。"


def receipt_docx(receipt: Receipt) -> bytes:
    doc = d.new_document(f"会费收据 {receipt.number}")
    d.add_title(doc, "会费收据")
    d.add_paragraph(doc, f"编号：{receipt.number}　　开具日期：{d.cn_date(receipt.issued_on)}", align="right")
    d.add_form(doc, _facts(receipt), label_width=3.4)
    d.add_table(
        doc,
        ["所属月份", "金额（元）", "缴纳方式", "缴纳日期", "凭证号"],
        [
            [
                f"{x.month.year}年{x.month.month}月",
                charts.money(x.amount),
                x.method,
                d.cn_date(x.paid_on),
                x.voucher,
            ]
            for x in receipt.lines
        ]
        + [["合计", charts.money(receipt.total), "", "", ""]],
        widths=[3.4, 3.0, 3.0, 3.6, 2.6],
        align=["center", "right", "center", "center", "center"],
    )
    d.add_paragraph(
        doc, f"收款单位（盖章）：{receipt.org.name}　　　经办人：{receipt.recorders}", indent=False
    )
    d.add_paragraph(doc, NOTE, indent=False)
    return d.to_bytes(doc)


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt on an A5 landscape page, the size of a paper receipt book, with the CJK font
    embedded (the text stays text: it can be searched and copied)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    path, index = charts.cjk_font()
    bold_path, bold_index = charts.cjk_font(True)
    pdf = FPDF(orientation="L", unit="mm", format=(148, 210))  # A5
    pdf.set_title(f"会费收据 {receipt.number}")
    pdf.set_author(receipt.org.name)
    pdf.set_creator("教工之家")
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.add_font("cjk", "B", bold_path, collection_font_number=bold_index)
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", "B", 18)
    pdf.cell(0, 10, "会费收据", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 9.5)
    pdf.cell(0, 6, f"编号：{receipt.number}　　开具日期：{d.cn_date(receipt.issued_on)}", align="R")
    pdf.ln(8)
    grey = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
    pdf.set_font("cjk", "", 10.5)
    with pdf.table(col_widths=(28, 154), first_row_as_headings=False, line_height=7) as table:
        for label, value in _facts(receipt):
            row = table.row()
            row.cell(label, style=grey, align="C")
            row.cell(value)
    pdf.ln(3)
    if len(receipt.lines) > 1:
        pdf.set_font("cjk", "", 9.5)
        with pdf.table(
            col_widths=(30, 30, 30, 40, 22),
            text_align=("CENTER", "RIGHT", "CENTER", "CENTER", "CENTER"),
            headings_style=grey,
            line_height=6,
        ) as table:
            table.row(["所属月份", "金额（元）", "缴纳方式", "缴纳日期", "凭证号"])
            for x in receipt.lines:
                table.row(
                    [
                        f"{x.month.year}年{x.month.month}月",
                        charts.money(x.amount),
                        x.method,
                        d.cn_date(x.paid_on),
                        str(x.voucher),
                    ]
                )
        pdf.ln(3)
    pdf.set_font("cjk", "", 10.5)
    pdf.cell(0, 7, f"收款单位（盖章）：{receipt.org.name}　　　经办人：{receipt.recorders}")
    pdf.ln(8)
    pdf.set_font("cjk", "", 8.5)
    pdf.set_text_color(102, 102, 102)
    pdf.multi_cell(0, 5, NOTE)
    return bytes(pdf.output())
