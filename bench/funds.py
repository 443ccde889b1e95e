"""The funds at district scale (run by bench/run.py with DATABASE_URL set). Prints progress only;
writes its figures as JSON to BENCH_OUT.

1. 会费: the district of bench/common.py (200 schools × 120 members) gets a month of salary bases
   for every member through services.put_salary_bases, school by school (timed: the import), and
   the month before likewise, each school's sheet in one transaction (timed too), which then goes
   out with the payroll but for three members a school. Then the dues roll of the whole district,
   services.dues_roll for each of the 200 schools (target: all 24,000 members < 3 s), and one
   school's roll page over the Django test client (p50/p95).
2. The ledger: 1,000,000 entries for one school over ten years (income, expense, transfers between
   cash and bank, and reversals citing an earlier entry), bulk loaded (COPY on PostgreSQL,
   executemany in large transactions on SQLite); then services.summary for a full year (target
   < 1 s, stated for PostgreSQL) and, for reference, the balance of the whole ledger
   (books.balance, which the ledger page uses for the opening balance).
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaogong.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import build_district, percentiles, reset_database  # noqa: E402

SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "200"))
PER_SCHOOL = int(os.environ.get("BENCH_PER_SCHOOL", "120"))
PAGE_RUNS = int(os.environ.get("BENCH_FUNDS_PAGE_RUNS", "100"))
ROLL_RUNS = int(os.environ.get("BENCH_FUNDS_ROLL_RUNS", "5"))  # passes over the whole district
LEDGER_ROWS = int(os.environ.get("BENCH_LEDGER_ROWS", "1000000"))
LEDGER_YEARS = 10
SUMMARY_RUNS = int(os.environ.get("BENCH_SUMMARY_RUNS", "20"))
CHUNK = 100_000


def log(text: str) -> None:
    print(f"   [{os.environ.get('BENCH_BACKEND', '?')} funds] {text}", flush=True)


def runs_ms(fn, runs: int, warm: int = 2) -> dict:
    for _ in range(warm):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return percentiles(out)


# ---- 会费 ---------------------------------------------------------------------------------------


def salary_rows(members, rng: random.Random) -> list[dict]:
    """One payroll sheet: the items of demo.py (岗位工资 and 薪级工资 count, 绩效工资 does not)."""
    return [
        {
            "member": m.pk,
            "components": {
                "岗位工资": f"{rng.randrange(2200, 3900, 10)}.00",
                "薪级工资": f"{rng.randrange(480, 2600)}.{rng.randrange(100):02d}",
                "绩效工资": f"{rng.randrange(1800, 3600, 50)}.00",
            },
        }
        for m in members
    ]


def dues(schools, actor, month: datetime.date, previous: datetime.date) -> dict:
    from jiaogong.funds import services
    from jiaogong.funds.models import SalaryBase
    from jiaogong.members.models import Member

    rng = random.Random(11)
    sheets = {}
    for school in schools:
        sheets[school.pk] = salary_rows(Member.objects.filter(org=school).order_by("id"), rng)
    members = sum(len(rows) for rows in sheets.values())

    # The import as the service runs it today (each row is its own transaction: see the report).
    log(f"importing salary bases for {members} members, {month:%Y-%m} ...")
    start = time.perf_counter()
    for school in schools:
        services.put_salary_bases(actor=actor, org=school, month=month, rows=sheets[school.pk])
    import_s = time.perf_counter() - start
    # The same import of the month before, each school's sheet in one transaction.
    log(f"importing salary bases again for {previous:%Y-%m}, one transaction per school ...")
    start = time.perf_counter()
    for school in schools:
        with transaction.atomic():
            services.put_salary_bases(actor=actor, org=school, month=previous, rows=sheets[school.pk])
    import_atomic_s = time.perf_counter() - start
    assert SalaryBase.objects.filter(month=month).count() == members
    # Last month went out with the payroll, but for three members per school (as in the demo):
    # the roll page then shows a usual month, with a few arrears.
    start = time.perf_counter()
    for school in schools:
        late = SalaryBase.objects.filter(org=school, month=previous, dues__gt=0).order_by("member_id")[:3]
        services.collect_payroll(
            actor=actor,
            org=school,
            month=previous,
            paid_on=previous.replace(day=15),
            skip=[r.member_id for r in late],
        )
    collect_s = time.perf_counter() - start
    log(f"payroll deduction of {previous:%Y-%m} recorded in {collect_s:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    def district():
        n = 0
        for school in schools:
            n += len(services.dues_roll(school, month)["items"])
        assert n == members, n
        return n

    district()  # warm
    passes = []
    for _ in range(ROLL_RUNS):
        start = time.perf_counter()
        district()
        passes.append(time.perf_counter() - start)
    log(f"dues roll of the district: {statistics.median(passes):.2f} s (median of {ROLL_RUNS})")

    client = Client()
    client.force_login(actor)
    pick = random.Random(7)

    def page():
        school = pick.choice(schools)
        response = client.get(reverse("funds:dues", args=[school.pk, f"{month:%Y-%m}"]))
        assert response.status_code == 200, response.status_code

    page_ms = runs_ms(page, PAGE_RUNS, warm=5)
    log(f"dues page p50 {page_ms['p50']:.1f} ms, p95 {page_ms['p95']:.1f} ms")
    return {
        "members": members,
        "import_s": import_s,
        "import_atomic_s": import_atomic_s,
        "collect_payroll_s": collect_s,
        "roll_district_s": statistics.median(passes),
        "roll_district_max_s": max(passes),
        "roll_passes": ROLL_RUNS,
        "page": page_ms,
    }


# ---- the ledger ---------------------------------------------------------------------------------


def ledger_rows(org_id: int, user_id: int, first_id: int, n: int, today: datetime.date, rng):
    """`n` entries in date order over LEDGER_YEARS years up to today, as tuples in the order of
    LedgerEntry's concrete fields: about 30 % income, 66 % expense, 2 % transfers, 1 % reversals
    (each of a distinct earlier entry, same kind/category/account, the opposite amount)."""
    from jiaogong.funds.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, REMITTANCE_CATEGORY

    start = datetime.date(today.year - LEDGER_YEARS + 1, 1, 1)
    span = (today - start).days + 1
    income = INCOME_CATEGORIES
    income_w = [30, 40, 8, 6, 4, 2, 2]
    expense = [*EXPENSE_CATEGORIES, REMITTANCE_CATEGORY]
    expense_w = [45, 15, 15, 3, 3, 4, 10]
    payees = ["", "", "区教育工会", "文具店", "体育用品商店", "书店", "印务公司", "超市", "培训中心"]
    pool: list[tuple] = []  # recent entries that may still be reversed
    for i in range(n):
        pk = first_id + i
        date = start + datetime.timedelta(days=i * span // n)
        recorded_at = datetime.datetime.combine(date, datetime.time(1, 30), tzinfo=datetime.UTC)
        r = rng.random()
        if r < 0.01 and pool:
            j = rng.randrange(len(pool))
            pool[j], pool[-1] = pool[-1], pool[j]
            orig = pool.pop()
            (opk, _o, account, odate, kind, category, sub, amount, payee, _m, counter, from_dues) = orig[:12]
            yield (
                pk, org_id, account, date, kind, category, sub, "-" + amount, payee,
                f"冲销 {odate:%Y-%m-%d} 第 {opk} 号凭证：金额有误", counter, from_dues, opk,
                user_id, recorded_at,
            )  # fmt: skip
            continue
        cents = rng.randrange(1000, 2_000_000)
        amount = f"{cents // 100}.{cents % 100:02d}"
        account = "cash" if rng.random() < 0.15 else "bank"
        counter, sub, from_dues = "", "", False
        if r < 0.03:
            kind, category = "transfer", "内部转账"
            counter = "bank" if account == "cash" else "cash"
            memo = "提取备用金" if account == "bank" else "现金存入银行"
        elif r < 0.33:
            kind = "income"
            category = rng.choices(income, income_w)[0]
            memo = f"{date.month}月{category}"
        else:
            kind = "expense"
            category = rng.choices(expense, expense_w)[0]
            subs = EXPENSE_CATEGORIES.get(category)
            sub = rng.choice(subs) if subs else ""
            from_dues = category == "职工活动支出" and rng.random() < 0.2
            memo = f"{date.month}月{sub or category}"
        row = (
            pk, org_id, account, date, kind, category, sub, amount, rng.choice(payees), memo,
            counter, from_dues, None, user_id, recorded_at,
        )  # fmt: skip
        yield row
        pool.append(row)
        if len(pool) > 4000:
            del pool[:2000]


def load_ledger(org, user, today: datetime.date) -> float:
    from jiaogong.funds.models import LedgerEntry

    columns = [f.column for f in LedgerEntry._meta.concrete_fields]
    assert columns == [
        "id", "org_id", "account", "date", "kind", "category", "subcategory", "amount", "payee",
        "memo", "counter_account", "from_dues", "reverses_id", "recorded_by_id", "recorded_at",
    ], columns  # fmt: skip
    table = LedgerEntry._meta.db_table
    first_id = (LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    before = LedgerEntry.objects.filter(org=org).count()
    rows = ledger_rows(org.pk, user.pk, first_id, LEDGER_ROWS, today, random.Random(13))
    log(f"loading {LEDGER_ROWS:,} ledger entries ...")
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cur:
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {table}")
    else:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"

        def sqlite_row(row):
            # What Django would store: dates and UTC datetimes as ISO text, booleans as 0/1.
            *head, at = row
            head[3] = head[3].isoformat()
            head[11] = int(head[11])
            return (*head, at.replace(tzinfo=None).isoformat(" "))

        batch = []
        for row in rows:
            batch.append(sqlite_row(row))
            if len(batch) == CHUNK:
                with transaction.atomic(), connection.cursor() as cur:
                    cur.executemany(sql, batch)
                batch = []
        if batch:
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(sql, batch)
    load_s = time.perf_counter() - start
    assert LedgerEntry.objects.filter(org=org).count() == before + LEDGER_ROWS
    log(f"loaded in {load_s:.1f} s")
    return load_s


def ledger(org, user, today: datetime.date) -> dict:
    from jiaogong.funds import books, services
    from jiaogong.funds.models import LedgerEntry

    load_s = load_ledger(org, user, today)
    year = today.year - 1  # the last full year
    in_year = LedgerEntry.objects.filter(org=org, date__year=year).count()
    reversals = LedgerEntry.objects.filter(org=org, reverses__isnull=False).count()
    result = services.summary(org, year)
    # The same figures the slow way, in Python, to check the summary is right on this data.
    expected = {"income": {}, "expense": {}}
    for kind, category, amount in LedgerEntry.objects.filter(org=org, date__year=year).values_list(
        "kind", "category", "amount"
    ):
        if kind != "transfer":
            expected[kind][category] = expected[kind].get(category, Decimal(0)) + amount
    for kind in ("income", "expense"):
        for category, total in expected[kind].items():
            assert result[kind][category] == total, (kind, category, result[kind][category], total)
    summary_ms = runs_ms(lambda: services.summary(org, year), SUMMARY_RUNS)
    log(f"summary {year}: p50 {summary_ms['p50']:.1f} ms, p95 {summary_ms['p95']:.1f} ms")
    balance_ms = runs_ms(lambda: books.balance(org), max(SUMMARY_RUNS // 4, 5), warm=1)
    log(f"whole-ledger balance: p50 {balance_ms['p50']:.1f} ms")
    plan = ""
    if connection.vendor == "postgresql":
        query = (
            LedgerEntry.objects.filter(org=org, date__year=year)
            .exclude(kind="transfer")
            .values("kind", "category")
            .annotate(total=django.db.models.Sum("amount"))
            .order_by()
        )
        plan = query.explain(analyze=True)
    return {
        "rows": LEDGER_ROWS,
        "years": LEDGER_YEARS,
        "year": year,
        "rows_in_year": in_year,
        "reversals": reversals,
        "load_s": load_s,
        "summary": summary_ms,
        "balance": balance_ms,
        "plan": plan,
    }


def main():
    from jiaogong.accounts.models import RoleGrant, User

    reset_database()
    today = timezone.localdate()
    month = today.replace(day=1)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    log(f"generating {SCHOOLS} schools x {PER_SCHOOL} members ...")
    start = time.perf_counter()
    _federation, schools = build_district(SCHOOLS, PER_SCHOOL, today=today)
    generate_s = time.perf_counter() - start
    finance = User.objects.create_user("bench_finance", password="bench-password-1")
    RoleGrant.objects.bulk_create([RoleGrant(user=finance, org=s, role="finance") for s in schools])
    result = {
        "schools": SCHOOLS,
        "per_school": PER_SCHOOL,
        "generate_s": generate_s,
        "dues": dues(schools, finance, month, previous),
        "ledger": ledger(schools[0], finance, today),
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
