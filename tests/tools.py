"""Helpers more than one test file uses: a file downloaded in the browser, a data package validated."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def download(page, link) -> bytes:
    """Click ``link`` (a Playwright locator) in ``page`` and return the bytes of the file that arrives."""
    with page.expect_download() as arrival:
        link.click()
    file = arrival.value
    assert file.failure() is None, file.failure()
    return Path(file.path()).read_bytes()


def frictionless(target: Path) -> subprocess.CompletedProcess:
    """``frictionless validate --json`` on a datapackage.json or a zip of one."""
    return subprocess.run([str(FRICTIONLESS), "validate", "--json", str(target)], capture_output=True, text=True)
