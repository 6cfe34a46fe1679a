"""Run Sphinx on a small test book in a subprocess, with this repository's claimbook importable."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def sphinx(src: Path, out: Path, builder: str = "html", *options: str, check: bool = True):
    """Build as the book does, warnings (nitpicky ones too) as errors; ``check``: it must succeed."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-q", "-W", "-n", "--keep-going", *options]
    result = subprocess.run(command + [str(src), str(out)], capture_output=True, text=True, cwd=src,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result
