"""The production hardening: a Content-Security-Policy without inline scripts (and templates that
need none), the security headers, `check --deploy` clean with the documented variables, and the
secret-key file made atomically and privately."""

import os
import re
import secrets
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.urls import reverse

from jiaogong.config.settings import _secret_key

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((ROOT / "jiaogong").rglob("templates/**/*.html"))

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.I | re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
HTMX_EVAL = re.compile(r"""\shx-(on|vars)\b|\shx-on:""", re.I)


def test_the_scanner_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert HANDLER.search('<button class="b" onclick="return confirm(1)">')
    assert HANDLER.search('<select\n  onchange="this.form.submit()">')
    assert not HANDLER.search('<button data-confirm-message="删除？" class="one">')
    assert JS_URL.search('<a href="javascript:void(0)">')
    assert HTMX_EVAL.search('<div hx-on:click="x()">')


def test_no_template_has_an_inline_script_or_handler():
    assert len(TEMPLATES) > 100
    offenders = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL, HTMX_EVAL):
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {m.group(0)[:60]}")
    assert not offenders, "\n".join(offenders)


def test_htmx_is_told_not_to_inject_its_styles(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def test_every_page_carries_the_policy_and_the_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy["script-src"] and "unsafe" not in policy["default-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_carries_the_policy_too(client, db):
    assert "script-src 'self'" in client.get("/api/v1/openapi.json")["Content-Security-Policy"]


# --- production settings from the environment ---

PRODUCTION = {
    "JIAOGONG_SITE_URL": "https://gonghui.example.edu.cn",
    "JIAOGONG_BEHIND_PROXY": "1",
    "DJANGO_STATIC_MANIFEST": "1",
}


def run_python(code: str, tmp_path, extra: dict) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "JIAOGONG_VAR_DIR": str(tmp_path), **extra}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "JIAOGONG_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_warns_on_a_plain_http_setup(tmp_path):
    """The test above is not vacuous: the same check on the laptop defaults does warn."""
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "JIAOGONG_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "security.W004" in done.stderr + done.stdout


def test_an_https_site_url_gives_hosts_origins_cookies_and_hsts(tmp_path):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='jiaogong.config.settings'\n"
        "from django.conf import settings as s\n"
        "print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    done = run_python(code, tmp_path, PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "['127.0.0.1', 'localhost', 'gonghui.example.edu.cn'] ['https://gonghui.example.edu.cn'] True True"
        " True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    plain = run_python(code.replace(", s.SECURE_PROXY_SSL_HEADER", ""), tmp_path, {})
    assert plain.stdout.strip() == "['127.0.0.1', 'localhost'] [] False False False 0 False"


def test_a_bad_site_url_stops_the_server(tmp_path):
    done = run_python(
        "import jiaogong.config.settings", tmp_path, {"JIAOGONG_SITE_URL": "gonghui.example.edu.cn"}
    )
    assert done.returncode != 0 and "JIAOGONG_SITE_URL must be" in done.stderr


# --- the secret key file ---


def test_the_secret_key_file_is_private_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    old = os.umask(0o022)
    try:
        key = _secret_key(tmp_path)
    finally:
        os.umask(old)
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 50 and _secret_key(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_threads_starting_at_once_get_the_same_key(tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    for attempt in range(20):
        var = tmp_path / str(attempt)
        barrier = threading.Barrier(8)
        keys = []

        def start(var=var, barrier=barrier, keys=keys):
            barrier.wait()
            keys.append(_secret_key(var))

        threads = [threading.Thread(target=start) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(keys)) == 1 and all(keys), attempt
        assert (var / "secret_key").read_text() == keys[0]


def test_processes_starting_at_once_get_the_same_key(tmp_path):
    code = "from jiaogong.config.settings import SECRET_KEY; print(SECRET_KEY)"
    env = {"PATH": "/usr/bin:/bin", "JIAOGONG_VAR_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    keys = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert len(keys) == 1 and len(keys.pop()) >= 50


@pytest.mark.parametrize("name", ["app.js"])
def test_the_behaviours_script_is_served_by_the_base_template(client, db, name):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'src="/static/jiaogong/{name}" defer' in html
