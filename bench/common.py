"""Helpers shared by the benchmark scripts (each runs with DATABASE_URL set and Django set up)."""

import statistics
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection


def reset_database():
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        connection.close()
        with psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    call_command("migrate", verbosity=0)


def percentiles(samples):
    samples = sorted(samples)
    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p95": samples[max(int(round(0.95 * len(samples))) - 1, 0)],
        "p99": samples[max(int(round(0.99 * len(samples))) - 1, 0)],
        "max": samples[-1],
    }


def build_district(schools: int, per_school: int, *, today, seed: int = 2026):
    """The benchmark district: one federation and `schools` schools of `per_school` generated
    members each (the same data for measure.py and funds.py). Returns (federation, schools)."""
    import random

    from jiaogong.core.models import Org
    from jiaogong.demo import generate_members

    rng = random.Random(seed)
    federation = Org.objects.create(name="基准测试教育工会", kind="federation", province="重庆")
    orgs = Org.objects.bulk_create(
        [
            Org(name=f"基准第{i:03d}小学工会", kind="school", parent=federation, province="重庆")
            for i in range(schools)
        ]
    )
    for i, school in enumerate(orgs):
        generate_members(school, per_school, rng=rng, today=today, seq_start=i * 1000)
    return federation, orgs
