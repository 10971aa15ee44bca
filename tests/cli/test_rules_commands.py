"""The analyst's commands: every kind shown, tests filtered and their coverage listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cassa.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO_PACK = ROOT / "examples" / "demo" / "pack"
SEEDS = ROOT / "examples" / "packs" / "seeds"


def test_show_prints_every_kind_of_the_merged_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", str(DEMO_PACK), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["tenders"]["cash"]["currencies"] == ["EUR", "USD"]
    assert shown["tender_rules"][0]["when"] == {"attr": "document.type", "eq": "cash_in"}
    assert shown["role_limits"]["cashier"]["max_line_discount_percent"] == "10"
    assert shown["coupon_definitions"]["WELCOME-5A7Q"]["rule"] == "fashion-welcome-5"
    assert shown["security"]["lockout"] == {"max_failures": 5, "minutes": 15}
    assert shown["view_layouts"][0]["from"].endswith("view-layout.yaml:1")
    for kind in ("denominations", "voucher_kinds", "cash_rules", "safe_rules", "guards"):
        assert shown[kind], kind


def test_k_runs_only_the_cases_whose_name_has_the_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "test", str(SEEDS), "-k", "MINIMUM PRICE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "1 passed, 0 failed"
    assert "minimum price" in lines[0]


def test_a_filter_that_matches_nothing_fails_rather_than_passing_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "test", str(SEEDS), "-k", "no case is called this"]) == 1
    assert capsys.readouterr().out == "0 passed, 0 failed\n"


def test_coverage_lists_the_promotions_no_case_applies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "test", str(DEMO_PACK), "--coverage"]) == 0
    output = capsys.readouterr().out
    assert "coverage" in output
    assert "2 of 5 promotions applied by a test" in output
    untested = [
        line.split(": ")[1].split(" ")[0] for line in output.splitlines() if "untested" in line
    ]
    assert untested == ["fashion-welcome-5", "staff-20", "tiles-over-200"]
