"""A user's program type-checks against the installed swf with ``mypy --strict`` (issue 12,
typing): swf is found through the (editable) install, its types are precise, and a type error
in the library fails this test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROGRAM = Path(__file__).parent.parent / "typing" / "user_program.py"


def test_a_user_program_type_checks_with_mypy_strict(tmp_path: Path) -> None:
    # Run from elsewhere, with no configuration of ours: swf must come from the install, as
    # in a user's project (from the project's root, mypy would read ./swf directly).
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            str(PROGRAM),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found in 1 source file")
