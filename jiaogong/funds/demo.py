"""Demo funds for a school: three months of salary bases, the payroll deductions (three members
behind on last month), and a year of ledger entries like a school union's real books."""

import datetime
import random
from decimal import Decimal

from jiaogong.funds import services
from jiaogong.funds.models import SalaryBase

# (month of the year, day, kind, category, subcategory, amount, payee, memo)
BOOKS = [
    (1, 10, "income", "拨缴经费收入", "", "18600.00", "学校财务室", "学校拨缴工会经费（第一季度）"),
    (1, 20, "expense", "维权支出", "送温暖", "3000.00", "", "春节送温暖：慰问困难教职工 6 人"),
    (3, 8, "expense", "职工活动支出", "文体活动", "2380.00", "", "“三八”妇女节女教职工健步走活动"),
    (4, 10, "income", "拨缴经费收入", "", "18600.00", "学校财务室", "学校拨缴工会经费（第二季度）"),
    (4, 22, "expense", "业务支出", "会议", "860.00", "", "第八届教代会会务（材料印制）"),
    (5, 16, "expense", "职工活动支出", "文体活动", "4620.50", "体育用品商店", "教职工趣味运动会器材和奖品"),
    (6, 28, "income", "上级补助收入", "", "5000.00", "区教育工会", "区教育工会“职工书屋”建设补助"),
    (7, 10, "income", "拨缴经费收入", "", "18600.00", "学校财务室", "学校拨缴工会经费（第三季度）"),
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
