"""The county deployment kit (deploy/): the tools themselves check the files where the machine has
them (`systemd-analyze verify`, `nginx -t` on a temporary prefix, `docker compose config`), and the
essentials are checked by reading the files everywhere. In CI (CI=true) nginx is required
(tools/system-deps.sh installs it): a missing one fails instead of being skipped."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
UNITS = {
    "jiaogong-web.service": "gunicorn jiaogong.config.wsgi",
    "jiaogong-worker.service": "manage.py db_worker",
    "jiaogong-scheduler.service": "manage.py run_scheduler",
}
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def tool(name: str, *, required_in_ci: bool) -> str | None:
    path = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if path is None and IN_CI and required_in_ci:
        pytest.fail(f"{name} is required in CI (tools/system-deps.sh installs it)")
    return path


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = sections.setdefault(m[1], {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


# --- systemd ---


@pytest.mark.parametrize("name, command", UNITS.items())
def test_each_unit_runs_its_process_as_the_app_user_with_the_env_file(name, command):
    u = unit(name)
    service = u["Service"]
    assert command in service["ExecStart"][0].replace("/opt/jiaogong/.venv/bin/", "")
    assert service["User"] == ["jiaogong"] and service["EnvironmentFile"] == ["/etc/jiaogong/jiaogong.env"]
    assert service["Restart"][0] in {"always", "on-failure"}
    assert service["ProtectSystem"] == ["strict"] and service["ReadWritePaths"] == ["/var/lib/jiaogong"]
    assert u["Install"]["WantedBy"] == ["multi-user.target"]


def test_the_web_unit_migrates_and_collects_before_starting():
    pre = unit("jiaogong-web.service")["Service"]["ExecStartPre"]
    assert any("migrate --noinput" in c for c in pre) and any("collectstatic" in c for c in pre)


def test_the_env_example_holds_the_production_variables():
    text = (DEPLOY / "systemd" / "jiaogong.env.example").read_text()
    for variable in (
        "DATABASE_URL",
        "DJANGO_SECRET_KEY",
        "JIAOGONG_SITE_URL=https://",
        "JIAOGONG_BEHIND_PROXY=1",
    ):
        assert variable in text


def rendered_units(tmp_path: Path) -> Path:
    """The units with the install paths pointed at this checkout (verify checks the programs exist)."""
    env = tmp_path / "jiaogong.env"
    env.write_text("")
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        text = text.replace("/etc/jiaogong/jiaogong.env", str(env)).replace("/opt/jiaogong", str(ROOT))
        (tmp_path / name).write_text(text)
    return tmp_path


def test_systemd_analyze_verifies_the_units(tmp_path):
    analyze = tool("systemd-analyze", required_in_ci=False)
    if analyze is None:
        return  # the reading checks above stand (systemd is not part of every CI image)
    assert (ROOT / ".venv/bin/gunicorn").exists()
    folder = rendered_units(tmp_path)
    done = subprocess.run(
        [analyze, "verify", *sorted(str(p) for p in folder.glob("*.service"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # and it is not a rubber stamp: a misspelt program fails it
    broken = folder / "jiaogong-web.service"
    broken.write_text(broken.read_text().replace(".venv/bin/gunicorn", ".venv/bin/gunicron"))
    done = subprocess.run([analyze, "verify", str(broken)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "gunicron" in done.stderr


# --- nginx ---


def site() -> str:
    return (DEPLOY / "nginx" / "jiaogong.conf").read_text()


def test_nginx_redirects_http_to_https_and_proxies_with_the_forwarded_headers():
    text = site()
    assert re.search(r"listen 80;.*?return 301 https://\$host\$request_uri;", text, re.S)
    assert re.search(r"listen 443 ssl", text)
    assert "ssl_certificate " in text and "ssl_certificate_key " in text
    assert "proxy_pass http://127.0.0.1:8000;" in text
    for header in ("Host $host", "X-Forwarded-Proto $scheme", "X-Forwarded-For $proxy_add_x_forwarded_for"):
        assert f"proxy_set_header {header};" in text
    assert re.search(r"location /static/ \{\s*alias /var/lib/jiaogong/static/;", text)
    assert re.search(r"location /media/ \{ return 404; \}", text)


def test_nginx_accepts_the_largest_upload_the_app_accepts_and_not_much_more():
    from jiaogong.activities.services import MAX_PHOTO
    from jiaogong.funds.books import MAX_ATTACHMENT
    from jiaogong.study.services import MAX_MATERIAL

    m = re.search(r"client_max_body_size (\d+)m;", site())
    body_limit = int(m[1]) * 1024 * 1024
    largest = max(MAX_PHOTO, MAX_ATTACHMENT, MAX_MATERIAL, settings.IMPORT_MAX_BYTES)
    assert largest < body_limit <= largest + 2 * 1024 * 1024
    assert body_limit > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_proxy_header_the_site_sends_is_the_one_django_trusts(tmp_path):
    """JIAOGONG_BEHIND_PROXY=1 trusts X-Forwarded-Proto: nginx must set it (else every request would
    look like http and redirect forever)."""
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site()


def test_nginx_accepts_the_site(tmp_path):
    nginx = tool("nginx", required_in_ci=True)
    if nginx is None:
        pytest.skip("nginx is not installed here (tools/system-deps.sh installs it; required in CI)")
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a throwaway certificate"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path / 'cert.pem'};", site())
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path / 'key.pem'};", text)
    (tmp_path / "site.conf").write_text(text)
    (tmp_path / "logs").mkdir()
    temp_paths = " ".join(
        f"{kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'logs/error.log'};\nevents {{}}\n"
        f"http {{ access_log {tmp_path / 'logs/access.log'}; {temp_paths} include {tmp_path / 'site.conf'}; }}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


# --- compose and the image ---


def compose_services() -> dict[str, str]:
    """Each service's block of deploy/compose.yaml (two-space indented under `services:`)."""
    text = (DEPLOY / "compose.yaml").read_text()
    body = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"^  (\w+):\n", body, flags=re.M)[1:]
    return dict(zip(blocks[::2], blocks[1::2], strict=True))


def test_compose_runs_postgresql_the_app_the_worker_and_the_scheduler():
    services = compose_services()
    assert set(services) == {"db", "app", "worker", "scheduler"}
    assert "image: postgres:" in services["db"] and "pg_isready" in services["db"]
    assert "gunicorn jiaogong.config.wsgi" in services["app"] and "migrate --noinput" in services["app"]
    assert '"db_worker"' in services["worker"]
    assert '"run_scheduler"' in services["scheduler"]
    for name in ("app", "worker", "scheduler"):
        assert "<<: *app" in services[name]
    text = (DEPLOY / "compose.yaml").read_text()
    assert "JIAOGONG_BEHIND_PROXY" in text and "DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:?" in text
    assert '"127.0.0.1:8000:8000"' in text  # only nginx on the host reaches the app


def test_the_image_installs_from_the_lock_with_the_chinese_fonts():
    text = (DEPLOY / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in text and "--no-deps ." in text
    assert "fonts-noto-cjk" in text and "collectstatic" in text and "USER jiaogong" in text


def test_docker_compose_accepts_the_file(tmp_path):
    docker = tool("docker", required_in_ci=False)
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode:
        return  # no compose plugin here: the reading checks above stand
    env = {
        **os.environ,
        "POSTGRES_PASSWORD": "x",
        "DJANGO_SECRET_KEY": "y",
        "JIAOGONG_SITE_URL": "https://a.example",
    }
    done = subprocess.run(
        [docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
