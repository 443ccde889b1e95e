"""`manage.py serve` (what `make run` starts): the production server on one machine.

Migrates, collects the static files (hashed names, served by whitenoise), on an empty database
loads the demo or creates the first administrator, prints the address (and, on the school
network, a QR code for phones), then supervises gunicorn, the task worker (`db_worker`) and the
scheduler (`run_scheduler`) until Ctrl-C or SIGTERM (core/launcher.py). DEBUG stays off unless
the developer sets DJANGO_DEBUG=1.
"""

import contextlib
import ipaddress
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jiaogong.core import launcher
from jiaogong.core.schedule import ScheduleError

ANY_ADDRESS = {"0.0.0.0", "::"}


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback: what phones on the LAN type."""
    found: list[str] = []
    if ip := shutil.which("ip"):
        done = subprocess.run(
            [ip, "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True
        )
        found += re.findall(r"\binet (\d+\.\d+\.\d+\.\d+)/", done.stdout)
    try:
        # No packet is sent: connecting a UDP socket only picks the interface of the default route.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    addresses = []
    for a in found:
        if a not in addresses and not ipaddress.ip_address(a).is_loopback and not a.startswith("169.254."):
            addresses.append(a)
    # Private (school network) addresses first.
    return sorted(addresses, key=lambda a: not ipaddress.ip_address(a).is_private)


def first_admin_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


@transaction.atomic
def create_first_admin(username: str = "admin") -> str | None:
    """On a database without any login: the administrator with a one-time password (returned, to be
    printed once), which must be changed at the first login. None when logins exist already."""
    from jiaogong.accounts.models import User
    from jiaogong.core import audit

    if User.objects.exists():
        return None
    password = first_admin_password()
    user = User.objects.create_superuser(username=username, password=password, email="")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    audit.record(actor=None, org=None, action="accounts.user.first_admin", obj=user)
    return password


def serving_environment(host: str, port: int, environ: dict, *, lan=lan_addresses) -> tuple[dict, list[str]]:
    """The children's environment (production: DEBUG off unless asked, hashed static files) and the
    addresses to print. On 0.0.0.0 the LAN addresses become allowed hosts and the links in e-mails
    start with the first of them."""
    env = dict(environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "jiaogong.config.settings")
    env["DJANGO_STATIC_MANIFEST"] = "1"
    env.setdefault("DJANGO_DEBUG", "0")
    env["PYTHONUNBUFFERED"] = "1"
    env["JIAOGONG_VAR_DIR"] = str(settings.VAR_DIR)
    hosts = [h for h in env.get("DJANGO_ALLOWED_HOSTS", ",".join(settings.ALLOWED_HOSTS)).split(",") if h]
    urls = [f"http://{host}:{port}/"]
    if host in ANY_ADDRESS:
        addresses = lan()
        urls = [f"http://{a}:{port}/" for a in addresses] + [f"http://127.0.0.1:{port}/"]
        hosts += [*addresses, socket.gethostname()]
        if addresses and "JIAOGONG_SITE_URL" not in environ:
            env["JIAOGONG_SITE_URL"] = f"http://{addresses[0]}:{port}"
    else:
        hosts.append(host)
    env["DJANGO_ALLOWED_HOSTS"] = ",".join(dict.fromkeys(hosts))
    return env, urls


class Command(BaseCommand):
    help = "启动正式服务：gunicorn（网页）、后台任务和定时任务，Ctrl-C 全部停止。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", dest="demo", action="store_false", help="不载入演示数据（真实学校）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数（默认 2）")
        parser.add_argument("--threads", type=int, default=6, help="每个进程的线程数（默认 6）")

    def handle(self, *, host, port, demo, workers, threads, **options):
        from jiaogong.core import scheduler

        try:
            scheduler.load_jobs()
        except ScheduleError as e:
            raise CommandError(str(e)) from None
        env, urls = serving_environment(host, port, dict(os.environ), lan=lan_addresses)
        call_command("migrate", interactive=False, verbosity=0)
        self._collectstatic(env)
        self._first_start(demo)
        self._announce(urls, lan=host in ANY_ADDRESS)

        python = sys.executable
        children = [
            (
                "web",
                [python, "-m", "gunicorn", "jiaogong.config.wsgi", "--bind", f"{host}:{port}"]
                + ["--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads)]
                + ["--access-logfile", "-", "--error-logfile", "-", "--graceful-timeout", "10"]
                # gunicorn's control socket lives in ~/.gunicorn: two servers of one user would share it
                + ["--no-control-socket"],
            ),
            ("worker", [python, "-m", "django", "db_worker", "--queue-name", "*", "--no-reload"]),
            ("scheduler", [python, "-m", "django", "run_scheduler"]),
        ]
        log = launcher.make_logger(settings.VAR_DIR / "log")
        code = launcher.Supervisor(children, env=env, logger=log).run()
        if code:
            raise CommandError("有服务无法保持运行，已全部停止（见上面的日志和 var/log/jiaogong.log）。")

    def _collectstatic(self, env):
        done = subprocess.run(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise CommandError("collectstatic 失败：\n" + done.stderr[-3000:])

    def _first_start(self, demo: bool):
        from jiaogong.accounts.models import User

        if demo:
            # The demo goes only into an empty database (or one that holds it already): a real
            # school that once started with DEMO=0 never gets the demo district by a plain `make run`.
            if not User.objects.exists() or (settings.VAR_DIR / "demo-logins.txt").exists():
                call_command("load_demo", stdout=self.stdout)
            else:
                self.stdout.write("数据库中已有账号（真实学校），未载入演示数据。")
            return
        password = create_first_admin()
        if password:
            self.stdout.write(self.style.SUCCESS("已创建第一个管理员账号（只显示这一次，请记下）："))
            self.stdout.write(f"  用户名 admin    一次性密码 {password}")
            self.stdout.write("  第一次登录后必须设置新密码。")

    def _announce(self, urls: list[str], *, lan: bool):
        self.stdout.write("")
        for url in urls:
            self.stdout.write(self.style.SUCCESS(f"打开 {url} 登录"))
        if lan and len(urls) > 1:
            import segno

            self.stdout.write("用手机扫码打开（手机须连接同一校园网）：")
            segno.make(urls[0], error="m").terminal(out=self.stdout._out, compact=True)
        self.stdout.write("按 Ctrl-C 停止。\n")
        self.stdout.flush()
