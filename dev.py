#!/usr/bin/env python3
"""One command to run the bot, one to run the tests, on a machine that only has Python.

    python3 dev.py start   # install into .venv (first time), then run the bot
    python3 dev.py check   # install with test extras, then lint and format check (ruff), and check types (mypy)
    python3 dev.py test    # install with test extras, then run the whole test suite

It creates `.venv` beside this file and reinstalls only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_installed(extras: str) -> None:
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        print("Creating a virtual environment in .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    target = f".[{extras}]" if extras else "."
    print(f"Installing {target} …", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target],
        cwd=ROOT,
        check=True,
    )
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "help"
    rest = argv[2:]
    if command == "start":
        ensure_installed("")
        return subprocess.call([str(PYTHON), "-m", "bot", *rest], cwd=ROOT)
    if command == "check":
        ensure_installed("test")
        return (
            subprocess.call([str(PYTHON), "-m", "ruff", "check", "."], cwd=ROOT)
            or subprocess.call([str(PYTHON), "-m", "ruff", "format", "--check", "."], cwd=ROOT)
            or subprocess.call([str(PYTHON), "-m", "mypy"], cwd=ROOT)
        )
    if command == "test":
        ensure_installed("test")
        return subprocess.call([str(PYTHON), "-m", "pytest", "-q", *rest], cwd=ROOT)
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
