"""tools/system-deps.sh: what `make test` and CI run first. Where it cannot install (not root, no
apt-get) it stops with the exact command to run; in --check mode it only reports."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "tools" / "system-deps.sh"


def fake_bin(tmp_path: Path, *, uid: int, apt: bool) -> dict:
    """A PATH where every package is missing and `id -u` says `uid`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tools = {"dpkg-query": "exit 1", "id": f"echo {uid}", "pg_ctlcluster": "exit 0"}
    if apt:
        tools["apt-get"] = 'echo "apt-get must not run" >&2; exit 99'
    for name, body in tools.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    for name in ("bash", "grep", "cat", "ls", "seq", "sleep", "printf", "chmod", "rm"):
        for folder in ("/usr/bin", "/bin"):
            if Path(folder, name).exists():
                os.symlink(Path(folder, name), bin_dir / name)
                break
    return {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def run(env, *args):
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)


def test_without_root_it_prints_the_exact_command_and_installs_nothing(tmp_path):
    done = run(fake_bin(tmp_path, uid=1000, apt=True))
    assert done.returncode == 1
    assert (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk"
        in done.stderr
    )
    assert "poppler-utils" in done.stderr and "nginx" in done.stderr
    assert "must not run" not in done.stderr


def test_without_apt_it_names_the_missing_packages(tmp_path):
    done = run(fake_bin(tmp_path, uid=0, apt=False))
    assert done.returncode == 1 and "no apt-get" in done.stderr and "fonts-noto-cjk" in done.stderr


def test_check_mode_only_reports(tmp_path):
    done = run(fake_bin(tmp_path, uid=0, apt=True), "--check")
    assert done.returncode == 1 and "missing Debian packages: chromium" in done.stdout


def test_ci_and_make_test_both_use_it():
    assert "tools/system-deps.sh" in (ROOT / ".ci" / "run").read_text()
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")
    makefile = (ROOT / "Makefile").read_text()
    assert "test: system-deps " in makefile and "\ttools/system-deps.sh" in makefile
