"""One backend's measurements (run by bench/run.py with DATABASE_URL set)."""

import io
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaogong.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import build_district, percentiles, reset_database  # noqa: E402

SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "200"))
PER_SCHOOL = int(os.environ.get("BENCH_PER_SCHOOL", "120"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def timed(fn, runs):
    out = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return percentiles(out)


def main():
    from jiaogong.accounts.models import RoleGrant, User
    from jiaogong.members import selectors

    reset_database()
    today = timezone.localdate()
    start = time.perf_counter()
    federation, schools = build_district(SCHOOLS, PER_SCHOOL, today=today)
    generate_s = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    chair = User.objects.create_user("bench_chair", password="bench-password-1")
    officer = User.objects.create_user("bench_officer", password="bench-password-1")
    for school in schools:
        RoleGrant.objects.create(user=chair, org=school, role="chair")
    RoleGrant.objects.create(user=officer, org=federation, role="federation_officer")
    queries = ["zs", "wang", "l", "张", "lh", "chen", "xm", "丽", "y", "zhao"]
    pick = random.Random(7)

    def search(i):
        org = pick.choice(schools)
        list(selectors.members_for(chair, org, q=queries[i % len(queries)])[:50])

    client = Client()
    client.force_login(chair)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def list_page(i):
        org = pick.choice(schools)
        q = queries[i % len(queries)] if i % 2 else ""
        get(reverse("members:list", args=[org.pk]) + (f"?q={q}" if q else ""))

    def dashboard(i):
        get(reverse("core:dashboard", args=[pick.choice(schools).pk]))

    officer_client = Client()
    officer_client.force_login(officer)

    def federation_page(i):
        response = officer_client.get(reverse("core:federation", args=[federation.pk]))
        assert response.status_code == 200

    for fn in (search, list_page, dashboard):  # warm caches and connections
        for i in range(5):
            fn(i)
    timings = {
        "search": timed(search, RUNS),
        "member list page": timed(list_page, RUNS),
        "dashboard page": timed(dashboard, RUNS),
        "federation page": timed(federation_page, max(RUNS // 10, 10)),
    }
    import_s = import_5000(schools[0].parent, today)
    result = {
        "timings": timings,
        "generate_s": generate_s,
        "import_5000_s": import_s,
        "schools": SCHOOLS,
        "per_school": PER_SCHOOL,
        "members": SCHOOLS * PER_SCHOOL,
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(result, indent=2))


def import_5000(federation, today):
    """Time importing 5,000 rows into a new school (all new members, every row validated)."""
    from jiaogong.accounts.models import User
    from jiaogong.core.models import Org
    from jiaogong.demo import chinese_name
    from jiaogong.factories import REGIONS, make_id_number, random_birth, roster_xlsx
    from jiaogong.members.importing import import_roster
    from jiaogong.members.models import UnionGroup
    from jiaogong.members.rules import add_years

    school = Org.objects.create(name="基准导入学校工会", kind="school", parent=federation, province="重庆")
    UnionGroup.objects.create(org=school, name="语文组")
    rng = random.Random(5)
    rows = []
    for i in range(5000):
        gender = rng.choice("MF")
        birth = random_birth(rng, 23, 54, today)
        hire = add_years(birth, 22)
        id_number = make_id_number(birth, gender, i, rng.choice(REGIONS))
        sex = "男" if gender == "M" else "女"
        rows.append(
            [
                chinese_name(rng, gender),
                sex,
                birth,
                id_number,
                f"139{i:08d}",
                hire,
                "是",
                "语文组",
                hire,
                "在册",
            ]
        )
    buf = io.BytesIO(roster_xlsx(rows))
    buf.name = "roster.xlsx"
    buf.size = len(buf.getvalue())
    actor = User.objects.get(username="bench_chair")
    start = time.perf_counter()
    result = import_roster(actor=actor, org=school, upload=buf)
    elapsed = time.perf_counter() - start
    assert result.created == 5000, result
    return elapsed


if __name__ == "__main__":
    main()
