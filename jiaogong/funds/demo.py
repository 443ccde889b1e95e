"""Demo funds for a school: three months of salary bases, the payroll deductions (three members
behind on last month), and a year of ledger entries like a school union's real books."""

import datetime
import random
from decimal import Decimal

from jiaogong.funds import allocation, benefits, books, services
from jiaogong.funds.models import SalaryBase

BUDGET = {
    ("income", "会费收入"): "9000",
    ("income", "拨缴经费收入"): "66000",
    ("income", "上级补助收入"): "5000",
    ("expense", "职工活动支出"): "42000",
    ("expense", "维权支出"): "12000",
    ("expense", "业务支出"): "6000",
    ("expense", "其他支出"): "1000",
}

# (month of the year, day, kind, category, subcategory, amount, payee, memo)
BOOKS = [
    (1, 20, "expense", "维权支出", "送温暖", "3000.00", "", "春节送温暖：慰问困难教职工 6 人"),
    (3, 8, "expense", "职工活动支出", "文体活动", "2380.00", "", "“三八”妇女节女教职工健步走活动"),
    (4, 22, "expense", "业务支出", "会议", "860.00", "", "第八届教代会会务（材料印制）"),
    (5, 16, "expense", "职工活动支出", "文体活动", "4620.50", "体育用品商店", "教职工趣味运动会器材和奖品"),
    (6, 28, "income", "上级补助收入", "", "5000.00", "区教育工会", "区教育工会“职工书屋”建设补助"),
    (9, 10, "expense", "职工活动支出", "集体福利", "5200.00", "", "教师节慰问品（每人一份）"),
    (10, 12, "expense", "业务支出", "培训", "1500.00", "", "工会小组长培训"),
    (10, 25, "expense", "维权支出", "困难帮扶", "2000.00", "", "大病教职工帮扶"),
]


def load_funds(*, actor, school, members, today: datetime.date, seed: int = 1) -> None:
    rng = random.Random(seed)
    payers = [m for m in members if m.status in ("active", "retired")]
    pay = {
        m.pk: {
            "岗位工资": Decimal(rng.randrange(2200, 3900, 10)),
            "薪级工资": Decimal(rng.randrange(480, 2600)) + Decimal(rng.randrange(0, 100)) / 100,
            "绩效工资": Decimal(rng.randrange(1800, 3600, 50)),
        }
        for m in payers
    }
    this_month = today.replace(day=1)
    months = []
    month = this_month
    for _ in range(3):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    for month in reversed(months):
        services.put_salary_bases(
            actor=actor,
            org=school,
            month=month,
            rows=[
                {"member": pk, "components": {k: str(v) for k, v in items.items()}}
                for pk, items in pay.items()
            ],
        )
    # The month before last was deducted in full; last month three were not on the payroll.
    two_ago, last = months[2], months[1]
    services.collect_payroll(actor=actor, org=school, month=two_ago, paid_on=two_ago.replace(day=15))
    late = list(SalaryBase.objects.filter(org=school, month=last, dues__gt=0).order_by("member_id"))[:3]
    services.collect_payroll(
        actor=actor, org=school, month=last, paid_on=last.replace(day=15), skip=[r.member_id for r in late]
    )
    for month_of_year, day, kind, category, sub, amount, payee, memo in BOOKS:
        date = datetime.date(today.year, month_of_year, day)
        if date > today:
            continue
        services.record_entry(
            actor=actor,
            org=school,
            date=date,
            kind=kind,
            category=category,
            subcategory=sub,
            amount=amount,
            payee=payee,
            memo=memo,
        )
    # Last year's books, waiting for the 经审's signature.
    for month_of_year, day, kind, category, sub, amount, payee, memo in BOOKS[:6]:
        services.record_entry(
            actor=actor,
            org=school,
            date=datetime.date(today.year - 1, month_of_year, day),
            kind=kind,
            category=category,
            subcategory=sub,
            amount=amount,
            payee=payee,
            memo=memo,
        )

    _load_books_extras(actor=actor, school=school, members=members, today=today, pay=pay, rng=rng)


def _load_books_extras(*, actor, school, members, today, pay, rng) -> None:
    """The year's budget; 拨缴经费 month by month (last month's not yet in: overdue after the 15th)
    and the federation's 40 % sent up; petty cash; a 会费-funded outing; the 慰问 of the year."""
    books.set_budgets(actor=actor, org=school, year=today.year, amounts=BUDGET)
    payroll = sum((sum(items.values()) for items in pay.values()), Decimal(0)) * Decimal(
        "1.35"
    )  # + allowances
    this_month = today.replace(day=1)
    month = datetime.date(today.year, 1, 1)
    while month < this_month:
        total = (payroll * Decimal(rng.randrange(97, 103)) / 100).quantize(Decimal("0.01"))
        a = allocation.declare_payroll(actor=actor, org=school, month=month, payroll_total=total)
        last = (this_month - datetime.timedelta(days=1)).replace(day=1)
        if month < last:
            paid_on = min(a.due_on - datetime.timedelta(days=3), today)
            allocation.receive(actor=actor, allocation=a, amount=a.due, paid_on=paid_on)
            if month.month % 3 == 0 or month < last.replace(day=1) - datetime.timedelta(days=62):
                allocation.remit(
                    actor=actor,
                    allocation=a,
                    amount=allocation.remittance_due(a),
                    remitted_on=min(paid_on + datetime.timedelta(days=5), today),
                )
        month = (month + datetime.timedelta(days=32)).replace(day=1)

    def on(m, d):
        date = datetime.date(today.year, m, d)
        return date if date <= today else None

    if on(3, 1):
        services.record_entry(
            actor=actor,
            org=school,
            date=on(3, 1),
            kind="transfer",
            account="bank",
            counter_account="cash",
            amount="1000",
            memo="提取备用金（零星慰问、活动用）",
        )
        services.record_entry(
            actor=actor,
            org=school,
            date=on(3, 1),
            kind="expense",
            category="职工活动支出",
            subcategory="文体活动",
            account="cash",
            amount="268.00",
            payee="文具店",
            memo="三八节活动横幅、签到用品",
        )
    if on(10, 18):
        services.record_entry(
            actor=actor,
            org=school,
            date=on(10, 18),
            kind="expense",
            category="职工活动支出",
            subcategory="文体活动",
            amount="3600.00",
            payee="市郊森林公园",
            memo="秋季教职工登高健身活动（当日往返，会费列支）",
            from_dues=True,
        )
    active = [m for m in members if m.status == "active"]
    for (m, d), festival, amount, memo in (
        ((2, 5), "春节", "300", "米、油、水果"),
        ((9, 20), "中秋", "200", "月饼、水果"),
    ):
        if on(m, d):
            benefits.give_festival(
                actor=actor,
                org=school,
                members=active,
                festival=festival,
                form="goods",
                amount=amount,
                date=on(m, d),
                memo=memo,
            )
    plan = [
        (4, 9, "birthday", "cake_voucher", "150", "四月生日会员蛋糕券"),
        (5, 14, "hospital", "cash", "800", "工会主席、小组长到医院看望"),
        (6, 30, "retirement", "souvenir", "500", "退休纪念品（相册、纪念章）"),
        (8, 2, "marriage", "goods", "600", "新婚慰问品"),
    ]
    for (m, d, kind, form, amount, memo), member in zip(plan, rng.sample(active, len(plan)), strict=False):
        if on(m, d):
            cap = benefits.caps_in_force(school).cap_for(kind)
            if cap is not None:
                amount = str(min(Decimal(amount), cap))  # the province's cap may be lower
            benefits.give(
                actor=actor,
                org=school,
                member=member,
                kind=kind,
                form=form,
                amount=amount,
                date=on(m, d),
                memo=memo,
            )
