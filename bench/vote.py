"""A 300-delegate secret vote over real HTTP against gunicorn on loopback (run by bench/run.py
with DATABASE_URL set). Prints nothing; writes its figures as JSON to BENCH_OUT.

Three 监票人 hold the session's key. Each round opens a new secret poll; every delegate's ballot
is encrypted beforehand as the phone does it (ElGamal with its proofs, crypto.encrypt_ballot —
not timed: it runs on 300 phones), then all of them are fired at once, plus a duplicate ballot
from a fifth of them; the server verifies every proof before writing. It counts what the
database kept (lost and duplicate ballots) and the latency of each request. The same client then
posts the same number of requests to a bare Django endpoint doing one INSERT (bench/bare_urls.py)
under the same gunicorn settings: the yardstick printed beside our figure. Finally, for each
round's poll, it times the close (the homomorphic sum) with the three partial decryptions and
their combination, and the verifier over the whole 300-ballot bulletin.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaogong.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import percentiles, reset_database  # noqa: E402

DELEGATES = int(os.environ.get("BENCH_DELEGATES", "300"))
ROUNDS = int(os.environ.get("BENCH_VOTE_ROUNDS", "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
# The deployment the README gives: two gunicorn processes of six threads on a two-core server.
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "2")
THREADS = os.environ.get("BENCH_GUNICORN_THREADS", "6")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on loopback with the given settings module, stopped on exit."""

    def __init__(self, settings_module: str):
        self.port = free_port()
        log_dir = ROOT / "var" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / f"gunicorn-{settings_module.rsplit('.', 1)[-1]}.log", "w")  # noqa: SIM115
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "DJANGO_DEBUG": "0"}
        env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
        env.setdefault("DATABASE_CONN_MAX_AGE", "600")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "jiaogong.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                WORKERS,
                "--worker-class",
                "gthread",
                "--threads",
                THREADS,
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            # 409 answers to the duplicate ballots are logged as warnings: keep them out of the table.
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def fire(port: int, requests: list[tuple[str, str, dict]]) -> tuple[list[float], list[int], float]:
    """POST every (path, body, headers) with CLIENTS keep-alive connections; latencies in ms."""
    local = threading.local()

    def one(req):
        path, body, headers = req
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            local.conn = None
            status = 0
        return (time.perf_counter() - start) * 1000, status

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(one, requests))
    wall = time.perf_counter() - start
    return [ms for ms, _ in results], [status for _, status in results], wall


def setup(codes: dict):
    import random

    from jiaogong.accounts.models import RoleGrant, User
    from jiaogong.accounts.services import create_api_token
    from jiaogong.congress.models import Attendance, Congress, CongressTerm, Delegate
    from jiaogong.core.models import Org
    from jiaogong.demo import generate_members

    reset_database()
    today = timezone.localdate()
    school = Org.objects.create(name="基准投票学校工会", kind="school", province="重庆")
    members = generate_members(school, DELEGATES, rng=random.Random(3), today=today)
    term = CongressTerm.objects.create(org=school, number=1, started_on=today, years=5)
    congress = Congress.objects.create(org=school, term=term, number=1, title="基准教代会", opens_on=today)
    tokens = []
    for m in members:
        user = User.objects.create_user(f"d{m.pk}", password=None, member=m)
        RoleGrant.objects.create(user=user, org=school, role="member")
        delegate = Delegate.objects.create(org=school, term=term, member=m, elected_on=today)
        Attendance.objects.create(congress=congress, delegate=delegate, method="desk")
        tokens.append(create_api_token(user))
    chair = User.objects.create_user("bench_chair", password=None)
    RoleGrant.objects.create(user=chair, org=school, role="chair")
    from jiaogong.congress import scrutiny

    trio = list(User.objects.filter(member__in=members[-3:]).order_by("id"))
    scrutiny.name_scrutineers(actor=chair, congress=congress, members=[u.member_id for u in trio])
    codes.update({u: scrutiny.register_key_share(user=u, congress=congress) for u in trio})
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (id integer PRIMARY KEY, note varchar(20))")
        if connection.vendor == "postgresql":
            cursor.execute("CREATE SEQUENCE bench_bare_seq OWNED BY bench_bare.id")
            cursor.execute("ALTER TABLE bench_bare ALTER id SET DEFAULT nextval('bench_bare_seq')")
            cursor.execute("ANALYZE")
    return school, congress, chair, tokens


def open_poll(congress, chair, n: int):
    from jiaogong.congress import voting

    poll = voting.create_poll(actor=chair, congress=congress, title=f"第{n}项表决", kind="secret")
    voting.open_poll(actor=chair, poll=poll)
    return poll


def main():
    from jiaogong.congress import crypto, verify, voting
    from jiaogong.congress.models import Poll, SealedBallot, Turnout

    codes = {}
    school, congress, chair, tokens = setup(codes)
    connection.close()
    ours = {"latency": [], "statuses": [], "wall": 0.0, "ballots": 0, "lost": 0, "duplicates": 0}
    polls = []
    server = Server("jiaogong.config.settings")
    try:
        # A warm-up round is not counted: it loads every worker's code and connections.
        for n in range(ROUNDS + 1):
            poll = open_poll(congress, chair, n)
            descriptor = Poll.objects.get(pk=poll.pk).descriptor
            connection.close()
            path = f"/api/v1/polls/{poll.pk}/ballots"
            choices = [[int(i % 7 < 5), int(i % 7 == 5), int(i % 7 == 6)] for i in range(len(tokens))]
            bodies = [json.dumps({"encrypted": crypto.encrypt_ballot(descriptor, [c])}) for c in choices]
            requests = [
                (path, b, {"Authorization": f"Bearer {t}"}) for b, t in zip(bodies, tokens, strict=True)
            ]
            requests += [  # duplicates: a fifth of the delegates press again with the same ballot
                (path, b, {"Authorization": f"Bearer {t}"})
                for b, t in zip(bodies[::5], tokens[::5], strict=True)
            ]
            latency, statuses, wall = fire(server.port, requests)
            if n == 0:
                continue
            accepted = statuses.count(201)
            kept = SealedBallot.objects.filter(poll=poll).count()
            voters = Turnout.objects.filter(poll=poll).count()
            ours["latency"] += latency
            ours["statuses"] += statuses
            ours["wall"] += wall
            ours["ballots"] += kept
            ours["lost"] += max(len(tokens) - kept, 0) + max(accepted - kept, 0)
            ours["duplicates"] += max(kept - voters, 0) + max(kept - len(tokens), 0)
            polls.append((poll, [sum(c[i] for c in choices) for i in range(3)]))
            connection.close()
    finally:
        server.stop()

    bare = {"latency": [], "wall": 0.0}
    server = Server("bench.bare_settings")
    try:
        for n in range(ROUNDS + 1):
            requests = [("/bare/", "x", {}) for _ in range(len(tokens) + len(tokens[::5]))]
            latency, statuses, wall = fire(server.port, requests)
            assert set(statuses) == {201}, set(statuses)
            if n:
                bare["latency"] += latency
                bare["wall"] += wall
    finally:
        server.stop()

    # Counting: each round's poll closed (the homomorphic sum of its 300 ballots), decrypted by the
    # three 监票人 (each partial decryption verified, then combined); then the whole bulletin verified.
    counting, verifying, wrong = [], [], 0
    for poll, expected in polls:
        start = time.perf_counter()
        voting.close_poll(actor=chair, poll=poll)
        for user, code in codes.items():
            voting.submit_partial_decryption(user=user, poll=poll, backup_code=code)
        counting.append((time.perf_counter() - start) * 1000)
        poll.refresh_from_db()
        wrong += list(voting.kept_result(poll)["counts"].values()) != expected
        start = time.perf_counter()
        report = verify.verify_bulletin(voting.bulletin(poll))
        verifying.append((time.perf_counter() - start) * 1000)
        wrong += not report.ok

    requests_sent = len(ours["statuses"])
    result = {
        "ours": {
            **percentiles(ours["latency"]),
            "per_s": requests_sent / ours["wall"],
            "ballots_per_s": ours["ballots"] / ours["wall"],
            "lost": ours["lost"],
            "duplicates": ours["duplicates"],
            "errors": sum(1 for s in ours["statuses"] if s not in (201, 409)),
            "rounds": ROUNDS,
            "delegates": len(tokens),
        },
        "bare": {**percentiles(bare["latency"]), "per_s": len(bare["latency"]) / bare["wall"]},
        "count_300": percentiles(counting),
        "verify_300": percentiles(verifying),
        "wrong_results": wrong,
        "gunicorn": f"{WORKERS} workers x {THREADS} threads (gthread), {CLIENTS} client connections",
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
