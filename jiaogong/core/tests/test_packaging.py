"""What an install carries: `make run` installs only the runtime dependencies, so the app and its
demo loader must not need dev ones; a wheel (`pip install .` in production) must carry every
template and static file."""

import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[3]

DEV_ONLY = ("factory", "pytest", "pytest_django", "hypothesis", "playwright")

SCRIPT = f"""
import os, sys
for name in {DEV_ONLY!r}:
    sys.modules[name] = None  # any import of it now raises ImportError
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaogong.config.settings")
import django
django.setup()
import jiaogong.config.urls
import jiaogong.core.management.commands.load_demo
import jiaogong.accounts.management.commands.create_api_token
print("ok")
"""


def test_the_app_and_the_demo_loader_import_without_dev_dependencies(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={"JIAOGONG_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_every_template_and_static_file_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    package = ROOT / "jiaogong"
    files = [
        p
        for p in package.rglob("*")
        if p.is_file() and ({"templates", "static"} & set(p.relative_to(package).parts))
    ]
    assert any(p.name == "base.html" for p in files) and any(p.suffix == ".css" for p in files)
    for path in files:
        # setuptools matches the patterns against the path inside the package that holds the folder
        parts = path.relative_to(package).parts
        start = min(i for i, part in enumerate(parts) if part in ("templates", "static"))
        inner = PurePosixPath(*parts[start:])
        assert any(glob_match(str(inner), p) for p in patterns), f"{path} would be left out of the wheel"


def glob_match(path: str, pattern: str) -> bool:
    """`**` is any number of folders, `*` anything within one name (as setuptools reads them)."""
    import re

    regex = re.escape(pattern).replace(r"\*\*/", "(?:[^/]+/)*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, path) is not None
