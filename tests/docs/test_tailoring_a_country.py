"""The consultant's walk-through, docs/tailoring-a-country.md, runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "tailoring-a-country.md"


def _steps() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_the_page_has_a_command_for_every_step() -> None:
    assert len(_steps()) >= 6


@pytest.mark.slow
def test_a_consultant_builds_a_country_pack_from_scratch_by_the_pages_commands(
    tmp_path: Path,
) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for number, step in enumerate(_steps(), start=1):
        done = subprocess.run(
            ["bash", "-e", "-c", step],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert done.returncode == 0, f"step {number} failed:\n{step}\n{done.stdout}{done.stderr}"
    assert (tmp_path / "work" / "at" / "country.yaml").is_file()
