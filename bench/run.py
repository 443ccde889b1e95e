#!/usr/bin/env python
"""make bench: a district of 200 schools x 120 members (24,000) on SQLite and on PostgreSQL.

Each backend is measured in its own process (settings read DATABASE_URL at start-up); this
script collects their figures and prints one table. Targets (issue: foundation): p95 < 50 ms
for search and the member list, < 150 ms for the dashboard; 5,000 imported rows < 10 s.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/jiaogong_bench")
TARGETS = {"search": 50, "member list page": 50, "dashboard page": 150, "federation page": None}


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def measure(backend: str, url: str) -> dict:
    out = ROOT / "var" / "bench" / f"{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BENCH_OUT": str(out),
        "BENCH_BACKEND": backend,
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DJANGO_DEBUG": "0",
    }
    print(f"== {backend}: generating and measuring (a few minutes) ...", flush=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "measure.py")], env=env, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def main() -> int:
    results = {"SQLite": measure("sqlite", f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}")}
    if pg_available():
        results["PostgreSQL"] = measure("postgres", PG_URL)
    else:
        print(f"!! PostgreSQL at {PG_URL} does not answer: only SQLite was measured")
    print()
    print(f"{'backend':<11} {'measure':<20} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'target':>9}  ok")
    print("-" * 70)
    failed = False
    for backend, r in results.items():
        for name, m in r["timings"].items():
            target = TARGETS.get(name)
            ok = target is None or m["p95"] < target
            failed |= not ok
            tgt = f"<{target}" if target else "-"
            print(
                f"{backend:<11} {name:<20} {m['n']:>5} {m['p50']:>8.1f} {m['p95']:>8.1f} {tgt:>9}  {'yes' if ok else 'NO'}"
            )
        imp = r["import_5000_s"]
        ok = imp < 10
        failed |= not ok
        print(
            f"{backend:<11} {'import 5,000 rows':<20} {1:>5} {imp * 1000:>8.0f} {'':>8} {'<10000':>9}  {'yes' if ok else 'NO'}"
        )
        print(f"{backend:<11} {'(generate 24,000)':<20} {1:>5} {r['generate_s'] * 1000:>8.0f}")
    print()
    print(
        f"data: {results['SQLite']['schools']} schools x {results['SQLite']['per_school']} members"
        f" = {results['SQLite']['members']} members per backend"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
