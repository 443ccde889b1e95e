"""`make run` for real: `manage.py serve` on a free port with SQLite in a temporary var dir starts
gunicorn, the worker and the scheduler; a page and a hashed static file come over HTTP, a 404 and
a 500 show no traceback (DEBUG is off), a queued task is run by the worker, the scheduler runs its
job, and SIGTERM stops everything."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def wait_for(predicate, timeout: float, what: str, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"serve exited ({proc.returncode}) while waiting for {what}")
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def server(tmp_path):
    port = free_port()
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_", "JIAOGONG_"))}
    env.update(
        JIAOGONG_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="jiaogong.core.tests.serve_settings",
        PYTHONUNBUFFERED="1",
    )
    out = open(tmp_path / "serve.out", "w+")  # noqa: SIM115 - read after the process ends
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "serve",
            "--no-demo",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: port_open(port), 240, "gunicorn to listen", proc)
        yield {"proc": proc, "port": port, "var": var, "env": env, "out": tmp_path / "serve.out"}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        out.close()


def test_serve_runs_the_whole_server_and_stops_cleanly(server):
    base = f"http://127.0.0.1:{server['port']}"
    status, html, headers = get(base + "/accounts/login/")
    assert status == 200 and "登录教工之家" in html

    # whitenoise serves the collected files under their hashed names, cached for ever
    css = re.search(r'href="(/static/jiaogong/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet link is not a hashed (manifest) name"
    status, body, headers = get(base + css[1])
    assert status == 200 and "max-age=315360000" in headers.get("Cache-Control", "")

    status, body, _ = get(base + "/no-such-page/")
    assert status == 404 and "没有找到这个页面" in body
    assert "Traceback" not in body and "URLconf" not in body and "DEBUG" not in body
    status, body, _ = get(base + "/boom/")
    assert status == 500 and "出错了" in body
    assert "secret detail" not in body and "Traceback" not in body and "RuntimeError" not in body

    # A task queued in the database is run by the worker.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "shell",
            "-c",
            "from jiaogong.core.tests.serve_app import touch; touch.enqueue('from-the-worker')",
        ],
        cwd=ROOT,
        env=server["env"],
        check=True,
        capture_output=True,
    )
    wait_for(lambda: (server["var"] / "from-the-worker").exists(), 60, "the worker to run the task")
    # The scheduler ran its job at start (it never ran before), and queued the day's reminders.
    wait_for(lambda: (server["var"] / "scheduled-runs").exists(), 60, "the scheduler to run its job")

    server["proc"].send_signal(signal.SIGTERM)
    assert server["proc"].wait(timeout=60) == 0
    assert not port_open(server["port"])
    output = server["out"].read_text()
    assert "一次性密码" in output and "[web]" in output and "[worker]" in output and "[scheduler]" in output
    assert "已全部停止" in output
    # every child is gone: no process is left in the launcher's sessions
    pids = re.findall(r"已启动 \w+（进程 (\d+)）", output)
    assert len(pids) == 3
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    log = (server["var"] / "log" / "jiaogong.log").read_text()
    assert "[web]" in log and "GET /accounts/login/" in log
    # the one-time password is shown once on the terminal, never written to the log file
    password = output.split("一次性密码")[1].split()[0]
    assert password not in log


# --- the school network: addresses, allowed hosts, the QR code ---


def test_on_the_school_network_the_lan_address_is_allowed_and_printed():
    from jiaogong.core.management.commands.serve import serving_environment

    env, urls = serving_environment("0.0.0.0", 8000, {"DJANGO_DEBUG": "1"}, lan=lambda: ["192.168.1.23"])
    assert urls == ["http://192.168.1.23:8000/", "http://127.0.0.1:8000/"]
    hosts = env["DJANGO_ALLOWED_HOSTS"].split(",")
    assert "192.168.1.23" in hosts and "127.0.0.1" in hosts
    assert env["JIAOGONG_SITE_URL"] == "http://192.168.1.23:8000"
    assert env["DJANGO_STATIC_MANIFEST"] == "1"
    assert env["DJANGO_DEBUG"] == "1"  # a developer who asks keeps DEBUG


def test_by_default_debug_is_off_and_only_the_loopback_address_is_served():
    from jiaogong.core.management.commands.serve import serving_environment

    env, urls = serving_environment("127.0.0.1", 8000, {}, lan=lambda: ["192.168.1.23"])
    assert urls == ["http://127.0.0.1:8000/"] and env["DJANGO_DEBUG"] == "0"
    assert "192.168.1.23" not in env["DJANGO_ALLOWED_HOSTS"]


def test_the_lan_url_is_printed_with_a_qr_code_a_phone_can_scan():
    import io

    from jiaogong.core.management.commands.serve import Command

    out = io.StringIO()
    Command(stdout=out)._announce(["http://192.168.1.23:8000/", "http://127.0.0.1:8000/"], lan=True)
    text = out.getvalue()
    assert "打开 http://192.168.1.23:8000/ 登录" in text and "扫码" in text
    assert text.count("█") + text.count("▀") + text.count("▄") > 200  # the QR code's modules


def test_lan_addresses_are_not_loopback():
    import ipaddress

    from jiaogong.core.management.commands.serve import lan_addresses

    for address in lan_addresses():
        assert not ipaddress.ip_address(address).is_loopback


# --- the supervisor ---


@pytest.fixture
def supervisor(tmp_path):
    from jiaogong.core import launcher

    log = launcher.make_logger(tmp_path / "log", name=f"test-launcher-{tmp_path.name}")

    def make(children):
        sup = launcher.Supervisor(children, env=dict(os.environ), logger=log)
        sup.quick_death_seconds, sup.quick_deaths_allowed, sup.backoff = 5.0, 3, 0.05
        return sup

    yield make
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def test_a_child_that_keeps_dying_stops_everything(supervisor, tmp_path):
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    sup = supervisor([("web", sleeper), ("worker", [sys.executable, "-c", "raise SystemExit(3)"])])
    assert sup.run(install_signals=False) == 1
    assert all(c.proc.poll() is not None for c in sup.children)  # the sleeper was stopped too
    text = (tmp_path / "log" / "jiaogong.log").read_text()
    assert text.count("已启动 worker") == 3 and "停止全部服务" in text


def test_a_child_that_dies_later_is_restarted(supervisor, tmp_path):
    marker = tmp_path / "starts"
    code = f"open({str(marker)!r}, 'a').write('x'); print('hello', flush=True)"
    sup = supervisor([("worker", [sys.executable, "-c", code])])
    sup.quick_death_seconds = 0.0  # every death counts as "after a while"
    thread = threading.Thread(target=lambda: sup.run(install_signals=False))
    thread.start()
    wait_for(lambda: marker.exists() and len(marker.read_text()) >= 3, 30, "three starts")
    sup.stopping.set()
    thread.join(timeout=30)
    assert "[worker] hello" in (tmp_path / "log" / "jiaogong.log").read_text()


def test_the_demo_never_goes_into_a_real_schools_database(chair_a, settings, tmp_path):
    import io

    from jiaogong.core.management.commands.serve import Command
    from jiaogong.core.models import Org

    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    Command(stdout=out)._first_start(demo=True)
    assert "未载入演示数据" in out.getvalue()
    assert not Org.objects.filter(name="梁平县教育工会").exists()
