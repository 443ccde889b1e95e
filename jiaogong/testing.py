"""What the test suites share beyond the cast in conftest.py: opening generated files in LibreOffice."""

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path

import pytest

# Every generated .docx/.xlsx must open in LibreOffice. A laptop without it skips these tests;
# CI installs it, so there they never skip.
needs_libreoffice = pytest.mark.skipif(
    shutil.which("libreoffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs it)",
)


def libreoffice_pdfs(files: Iterable[Path], outdir: Path, *, timeout: int = 300) -> list[Path]:
    """Convert each file to PDF with LibreOffice headless, in a profile of its own (removed after),
    and return the PDFs: each must exist and be a real PDF of some size."""
    files = [Path(f) for f in files]
    profile = Path(f"/tmp/lo-{uuid.uuid4().hex}")
    try:
        subprocess.run(
            [
                "libreoffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [Path(outdir) / f"{f.stem}.pdf" for f in files]
    for pdf in pdfs:
        assert pdf.exists(), f"LibreOffice did not convert {pdf.stem}"
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000, pdf.name
    return pdfs
