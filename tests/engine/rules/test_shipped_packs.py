"""Every shipped and example pack validates, and its tests pass through `cassa rules test`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cassa.cli import main
from cassa.engine.schemas import validator_for

ROOT = Path(__file__).resolve().parents[3]
PACKS_WITH_TESTS = [
    ROOT / "examples" / "packs" / "seeds",
    ROOT / "examples" / "packs" / "seeds-manual-employee",
    ROOT / "examples" / "packs" / "combining",
    ROOT / "examples" / "demo" / "pack",
]


@pytest.mark.parametrize("pack", ["base", "it", "pl", "fr", "ch", *map(str, PACKS_WITH_TESTS)])
def test_a_shipped_or_example_pack_is_valid(pack: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "validate", pack]) == 0
    assert "valid pack" in capsys.readouterr().out


@pytest.mark.parametrize("pack", PACKS_WITH_TESTS, ids=lambda p: p.name)
def test_the_pack_tests_pass(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "test", str(pack)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 failed" in out.splitlines()[-1]


def test_a_failing_expectation_prints_expected_and_actual_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Pack\nname: probe\n"
        f"extends: {ROOT / 'examples/packs/seeds'}\n",
        encoding="utf-8",
    )
    (pack / "probe.test.yaml").write_text(
        """apiVersion: cassa/v1
kind: PricingTest
cases:
  - name: wrong on purpose
    basket: {lines: [{sku: GLOSS}]}
    expect: {lines: [{price: 9.00}], applied: [employee-10]}
""",
        encoding="utf-8",
    )
    assert main(["rules", "test", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "line 1 (Gloss) price: expected 9.00, got 8.00" in out
    assert "rule employee-10: expected applied, it was not" in out


def test_rules_show_prints_the_merged_pack_with_overrides_and_disabled_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "show", str(ROOT / "examples/packs/seeds-manual-employee")]) == 0
    merged = yaml.safe_load(capsys.readouterr().out)
    ids = [rule["id"] for rule in merged["promotions"]]
    assert merged["chain"] == ["base", "it", "seeds", "seeds-manual-employee"]
    assert "employee-10" not in ids
    assert "employee-manual-20" in ids
    cosmetics = next(rule for rule in merged["promotions"] if rule["id"] == "cosmetics-20")
    assert cosmetics["discount"] == {"percent": 10}
    assert cosmetics["from"].startswith(str(ROOT / "examples/packs/seeds-manual-employee"))
    assert merged["country"]["vat_rates"]["22"] == "22"


def test_rules_show_of_the_italian_pack_gives_its_country_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "show", "it", "--json"]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["country"]["currency"] == "EUR"
    assert set(merged["country"]["vat_rates"]) >= {"22", "10", "5", "4"}


def test_price_prints_json_in_the_published_shape(capsys: pytest.CaptureFixture[str]) -> None:
    basket = ROOT / "examples" / "baskets" / "shoes.yaml"
    pack = str(ROOT / "examples/packs/seeds")
    assert main(["price", "--pack", pack, "--basket", str(basket), "--json", "--explain"]) == 0
    priced = json.loads(capsys.readouterr().out)
    assert list(validator_for("priced-basket").iter_errors(priced)) == []
    assert priced["total"] == "75.00"
    shoes = next(rule for rule in priced["rules"] if rule["id"] == "shoes-over-100")
    assert not shoes["applied"]
    assert any("40.00 short of 100.00" in reason for reason in shoes["reasons"])


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("it", "al carrello mancano 40.00 per arrivare a 100.00"),
        ("de", "dem Warenkorb fehlen 40.00 bis 100.00"),
        ("fr", "il manque 40.00 au panier pour atteindre 100.00"),
    ],
)
def test_explain_speaks_the_readers_language_from_the_catalogs(
    capsys: pytest.CaptureFixture[str], locale: str, words: str
) -> None:
    basket = ROOT / "examples" / "baskets" / "shoes.yaml"
    pack = str(ROOT / "examples/packs/seeds")
    arguments = ["--basket", str(basket), "--json", "--locale", locale]
    assert main(["explain", "--pack", pack, *arguments]) == 0
    priced = json.loads(capsys.readouterr().out)
    shoes = next(rule for rule in priced["rules"] if rule["id"] == "shoes-over-100")
    assert shoes["shortfall"] == "40.00"
    assert any(words in reason for reason in shoes["reasons"]), shoes["reasons"]


def test_explain_says_how_far_a_threshold_is(capsys: pytest.CaptureFixture[str]) -> None:
    basket = ROOT / "examples" / "baskets" / "shoes.yaml"
    pack = str(ROOT / "examples/packs/seeds")
    assert main(["explain", "--pack", pack, "--basket", str(basket), "--locale", "it"]) == 0
    out = capsys.readouterr().out
    assert "not applied shoes-over-100" in out
    assert "mancano 40,00\xa0€" in out


def test_price_at_another_moment_follows_the_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    basket = ROOT / "examples" / "baskets" / "gelato.yaml"
    pack = str(ROOT / "examples/packs/seeds")
    main(
        [
            "price",
            "--pack",
            pack,
            "--basket",
            str(basket),
            "--at",
            "2019-07-05T14:00:00+02:00",
            "--json",
        ]
    )
    assert json.loads(capsys.readouterr().out)["total"] == "2.70"
    main(
        [
            "price",
            "--pack",
            pack,
            "--basket",
            str(basket),
            "--at",
            "2019-07-14T14:00:00+02:00",
            "--json",
        ]
    )
    assert json.loads(capsys.readouterr().out)["total"] == "3.00"
