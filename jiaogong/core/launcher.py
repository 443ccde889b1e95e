"""One supervising process for the whole server (`manage.py serve`, which `make run` starts):
it starts gunicorn, the task worker and the scheduler, copies their output to stdout and to a
rotated log file, restarts one that dies, and stops them all on Ctrl-C or SIGTERM.

Kept free of Django so it can be read (and tested) on its own: the children are plain commands.
"""

import contextlib
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# A child that dies this soon after starting, this many times in a row, is broken (a port in use,
# a bad setting): the launcher stops everything and says so instead of restarting it forever.
QUICK_DEATH_SECONDS = 10.0
QUICK_DEATHS_ALLOWED = 5
STOP_TIMEOUT = 15.0


def make_logger(log_dir: Path | None, *, name: str = "jiaogong.launcher") -> logging.Logger:
    """Lines to stdout and (when log_dir is given) to log_dir/jiaogong.log, rotated at 10 MB × 10."""
    logger = logging.getLogger(name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    fmt = logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S")
    out = logging.StreamHandler(sys.stdout)
    out.setFormatter(fmt)
    logger.addHandler(out)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        rotating = logging.handlers.RotatingFileHandler(
            log_dir / "jiaogong.log", maxBytes=10 * 1024 * 1024, backupCount=10, encoding="utf-8"
        )
        rotating.setFormatter(fmt)
        logger.addHandler(rotating)
    return logger


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    pump: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    def __init__(self, children: list[tuple[str, list[str]]], *, env: dict, logger: logging.Logger):
        self.children = [Child(name, argv) for name, argv in children]
        self.env = env
        self.log = logger
        self.stopping = threading.Event()
        self.quick_death_seconds = QUICK_DEATH_SECONDS
        self.quick_deaths_allowed = QUICK_DEATHS_ALLOWED
        self.backoff = 0.5

    # --- starting and watching ---

    def _start(self, child: Child) -> None:
        # A session of its own: Ctrl-C in the terminal reaches only the launcher, which stops the
        # children in order (gunicorn finishes its requests, the worker its task).
        child.proc = subprocess.Popen(
            child.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            bufsize=1,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        child.started_at = time.monotonic()
        child.pump = threading.Thread(target=self._pump, args=(child, child.proc), daemon=True)
        child.pump.start()
        self.log.info("[launcher] 已启动 %s（进程 %s）", child.name, child.proc.pid)

    def _pump(self, child: Child, proc: subprocess.Popen) -> None:
        with proc.stdout:
            for line in proc.stdout:
                self.log.info("[%s] %s", child.name, line.rstrip("\n"))

    def start(self) -> None:
        for child in self.children:
            self._start(child)

    def watch_once(self) -> bool:
        """Restart children that died; False when one keeps dying (then stop everything)."""
        for child in self.children:
            code = child.proc.poll()
            if code is None or self.stopping.is_set():
                continue
            lived = time.monotonic() - child.started_at
            child.quick_deaths = child.quick_deaths + 1 if lived < self.quick_death_seconds else 0
            if child.quick_deaths >= self.quick_deaths_allowed:
                self.log.info(
                    "[launcher] %s 退出（代码 %s），已连续 %s 次启动后立即退出，停止全部服务",
                    child.name,
                    code,
                    child.quick_deaths,
                )
                return False
            self.log.info("[launcher] %s 意外退出（代码 %s），正在重启", child.name, code)
            if child.pump:
                child.pump.join(timeout=2)
            time.sleep(min(self.backoff * 2**child.quick_deaths, 10.0))
            self._start(child)
        return True

    def run(self, *, install_signals: bool = True) -> int:
        """Start, watch until SIGTERM/SIGINT (or `stopping` is set), stop. The exit code is 0 after a
        requested stop and 1 when a child could not be kept running."""
        if install_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: self.stopping.set())
        self.start()
        healthy = True
        while not self.stopping.wait(0.5):
            if not self.watch_once():
                healthy = False
                break
        self.stop()
        return 0 if healthy else 1

    # --- stopping ---

    def stop(self) -> None:
        self.stopping.set()
        self.log.info("[launcher] 正在停止全部服务……")
        running = [c for c in self.children if c.proc and c.proc.poll() is None]
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in running:
            try:
                child.proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self.log.info("[launcher] %s 未在 %s 秒内停止，强制结束", child.name, STOP_TIMEOUT)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.proc.pid, signal.SIGKILL)
                child.proc.wait()
        for child in self.children:
            if child.pump:
                child.pump.join(timeout=2)
        self.log.info("[launcher] 已全部停止")
