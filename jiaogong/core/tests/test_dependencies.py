"""Every third-party module the code imports is a declared dependency (runtime for the app, dev for
the tests), pinned with ==, and the lock files hold it at the same version with its hashes."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
TEST_FILES = {"conftest.py", "factories.py", "testing.py"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    out = {}
    for line in requirements:
        m = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]+\])?==([^\s;]+)", line.strip())
        assert m, f"not pinned with ==: {line!r}"
        out[canonical(m[1])] = m[3]
    return out


RUNTIME = pins(PROJECT["dependencies"])
DEV = pins(PROJECT["optional-dependencies"]["dev"])


def top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "jiaogong"}


def distributions(module: str) -> set[str]:
    return {canonical(d) for d in packages_distributions().get(module, [])}


def imports_by_kind() -> tuple[dict, dict]:
    app, tests = {}, {}
    for path in (ROOT / "jiaogong").rglob("*.py"):
        is_test = "tests" in path.parts or path.name in TEST_FILES
        for module in top_level_imports(path):
            (tests if is_test else app).setdefault(module, path.relative_to(ROOT))
    return app, tests


def test_the_app_imports_only_declared_runtime_dependencies():
    app, _ = imports_by_kind()
    # settings name apps and middleware by string: those are imports too
    app |= {entry.split(".")[0]: "settings.py" for entry in settings.INSTALLED_APPS + settings.MIDDLEWARE}
    app.pop("jiaogong", None)
    assert {"PIL", "dateutil", "fontTools", "csp"} <= set(app)
    undeclared = {m: str(where) for m, where in app.items() if not distributions(m) & set(RUNTIME)}
    assert not undeclared, f"imported but not in [project.dependencies]: {undeclared}"


def test_the_tests_import_only_declared_dependencies():
    _, tests = imports_by_kind()
    undeclared = {m: str(w) for m, w in tests.items() if not distributions(m) & (set(RUNTIME) | set(DEV))}
    assert not undeclared, f"imported by tests but not declared: {undeclared}"


def test_the_servers_named_in_commands_are_declared():
    for name in ("gunicorn", "whitenoise", "argon2-cffi", "psycopg"):
        assert name in RUNTIME


def locked(path: Path) -> dict[str, str]:
    text = path.read_text()
    entries = re.findall(
        r"^([A-Za-z0-9._-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M
    )
    return {canonical(name): version for name, version, _ in entries}


def test_the_locks_pin_every_declared_dependency_at_its_version_with_hashes():
    runtime_lock = locked(ROOT / "requirements.lock")
    dev_lock = locked(ROOT / "requirements-dev.lock")
    for name, version in RUNTIME.items():
        assert runtime_lock.get(name) == version, f"requirements.lock: {name} should be {version}"
        assert dev_lock.get(name) == version, f"requirements-dev.lock: {name} should be {version}"
    for name, version in DEV.items():
        assert dev_lock.get(name) == version, f"requirements-dev.lock: {name} should be {version}"
    for path in (ROOT / "requirements.lock", ROOT / "requirements-dev.lock"):
        requirement_lines = [
            line for line in path.read_text().splitlines() if re.match(r"^[A-Za-z0-9]", line)
        ]
        assert len(requirement_lines) == len(locked(path)), f"{path.name}: a package without hashes"
        assert "--find-links" not in path.read_text() and "--index-url" not in path.read_text()


def test_the_install_uses_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert "--no-deps -e ." in makefile
