#!/usr/bin/env python3
"""Copy the pinned browser libraries into static files: `python tools/vendor_js.py`.

The phone pages encrypt ballots and compute the 监票人's key shares with @noble/curves and
@noble/hashes (audited, dependency-free). They are installed from the npm registry at the exact
versions and integrity hashes of tools/vendor/package-lock.json (`npm ci`), bundled into one ES
module by esbuild (itself pinned there), and written to
jiaogong/congress/static/congress/vendor/noble.js with a header naming each package, its version
and its integrity. VENDOR.json beside it records the same and the SHA-256 of the file; a test
checks the file against it, so a hand edit shows. Nothing is fetched at run time.

`python tools/vendor_js.py --check` only recomputes the checksum (no network).
"""

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tools" / "vendor"
OUT_DIR = ROOT / "jiaogong" / "congress" / "static" / "congress" / "vendor"
OUT = OUT_DIR / "noble.js"
RECORD = OUT_DIR / "VENDOR.json"
SHIPPED = ("@noble/curves", "@noble/hashes")


def locked_packages() -> dict:
    lock = json.loads((SOURCE / "package-lock.json").read_text())
    out = {}
    for name in SHIPPED:
        entry = lock["packages"][f"node_modules/{name}"]
        out[name] = {"version": entry["version"], "integrity": entry["integrity"]}
    return out


def check() -> int:
    record = json.loads(RECORD.read_text())
    actual = hashlib.sha256(OUT.read_bytes()).hexdigest()
    if actual != record["sha256"]:
        print(f"{OUT.relative_to(ROOT)}: sha256 {actual} differs from VENDOR.json {record['sha256']}")
        return 1
    if record["packages"] != locked_packages():
        print("VENDOR.json does not match tools/vendor/package-lock.json: run tools/vendor_js.py")
        return 1
    names = ", ".join(f"{name}@{p['version']}" for name, p in record["packages"].items())
    print(f"{OUT.relative_to(ROOT)}: ok ({names})")
    return 0


def build() -> int:
    packages = locked_packages()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("package.json", "package-lock.json", "noble-entry.js"):
            (work / name).write_bytes((SOURCE / name).read_bytes())
        # npm ci installs exactly the lock file and checks every integrity hash.
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=work, check=True)
        bundled = work / "noble.js"
        subprocess.run(
            [
                str(work / "node_modules" / ".bin" / "esbuild"),
                "noble-entry.js",
                "--bundle",
                "--format=esm",
                "--target=es2020",
                "--legal-comments=inline",
                f"--outfile={bundled}",
            ],
            cwd=work,
            check=True,
        )
        header = ["// Vendored by tools/vendor_js.py from the npm registry — do not edit by hand.", "//"]
        for name, p in packages.items():
            header.append(f"// {name}@{p['version']} {p['integrity']}")
        header.append("// MIT License (c) 2022 Paul Miller (paulmillr.com)")
        text = "\n".join(header) + "\n" + bundled.read_text()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    RECORD.write_text(
        json.dumps(
            {"file": OUT.name, "sha256": hashlib.sha256(OUT.read_bytes()).hexdigest(), "packages": packages},
            indent=2,
        )
        + "\n"
    )
    return check()


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv[1:] else build())
