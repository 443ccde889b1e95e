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
    }
