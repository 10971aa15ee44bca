"""The country packs as data: TaxMechanisms and FiscalRules load, merge, refuse mistakes
with file:line:col, show in `cassa rules show` and pass their scenario tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cassa.cli import main
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.yamlsource import DataFileError


def pack_over(folder: Path, base: str, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: probe\nextends: {base}\n", encoding="utf-8"
    )
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataFileError) as error:
        load_rule_pack(folder)
    return [str(p) for p in error.value.problems]


def test_an_unknown_vat_rate_is_reported_where_it_is_written(tmp_path: Path) -> None:
    pack = pack_over(
        tmp_path / "p",
        "it",
        taxes="apiVersion: cassa/v1\nkind: TaxMechanisms\nreverse_charge:\n  vat_rate: N7\n",
    )
    (problem,) = problems_of(pack)
    assert problem.startswith(f"{pack / 'taxes.yaml'}:4:13: /reverse_charge/vat_rate: ")
    assert "VAT rate 'N7' is not declared in the Country of the pack" in problem


def test_an_unknown_attribute_in_a_condition_is_reported_at_its_pointer(tmp_path: Path) -> None:
    pack = pack_over(
        tmp_path / "p",
        "pl",
        taxes=(
            "apiVersion: cassa/v1\nkind: TaxMechanisms\nsplit_payment:\n"
            "  when: {all: [{attr: document.gross, gte: 15000}]}\n"
        ),
    )
    (problem,) = problems_of(pack)
    assert "/split_payment/when/all/0/attr: unknown attribute 'document.gross'" in problem


def test_a_split_payment_without_its_conditions_is_refused(tmp_path: Path) -> None:
    pack = pack_over(
        tmp_path / "p",
        "base",
        taxes="apiVersion: cassa/v1\nkind: TaxMechanisms\nsplit_payment:\n  mention: {en: x}\n",
    )
    assert any("split_payment needs 'when'" in p for p in problems_of(pack))


def test_a_mistyped_key_is_refused_by_the_schema(tmp_path: Path) -> None:
    pack = pack_over(
        tmp_path / "p",
        "it",
        taxes="apiVersion: cassa/v1\nkind: TaxMechanisms\nreverse_charge:\n  vat: N6.9\n",
    )
    assert any("unknown field 'vat'" in p for p in problems_of(pack))


def test_monthly_closings_without_daily_ones_are_refused(tmp_path: Path) -> None:
    pack = pack_over(
        tmp_path / "p",
        "fr",
        fiscal="apiVersion: cassa/v1\nkind: FiscalRules\nintegrity:\n  closings: [month]\n",
    )
    assert any("need the daily one" in p for p in problems_of(pack))


def test_a_store_pack_overrides_one_key_and_keeps_the_others(tmp_path: Path) -> None:
    pack = pack_over(
        tmp_path / "p",
        "pl",
        taxes=("apiVersion: cassa/v1\nkind: TaxMechanisms\nsplit_payment:\n  mention: {pl: MPP}\n"),
    )
    taxes = load_rule_pack(pack).taxes
    assert taxes is not None
    assert taxes.split_payment is not None
    assert dict(taxes.split_payment.mention) == {"pl": "MPP"}
    assert taxes.split_payment.document_types == {  # the Polish pack's, kept
        "invoice",
        "invoice_return",
        "sales_order",
        "advance_invoice",
        "advance_invoice_correction",
    }
    sources = taxes.sources["split_payment"]["from"]
    assert [s.rsplit(":", 1)[0] for s in sources] == [
        str(Path(load_rule_pack("pl").path) / "tax-mechanisms.yaml"),
        str(pack / "taxes.yaml"),
    ]


def test_rules_show_prints_the_merged_italian_pack_a_consultant_deploys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "show", "rules/it", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["chain"] == ["base", "it"]
    assert shown["country"]["vat_rates"]["22"] == "22"
    assert {"N2", "N4", "N6.3", "N6.9"} <= set(shown["country"]["vat_rates"])
    reverse = shown["tax_mechanisms"]["reverse_charge"]
    assert (reverse["vat_rate"], reverse["in_force"]) == ("N6.9", True)
    assert reverse["from"][0].endswith("it/tax-mechanisms.yaml:12")  # its first value
    assert shown["fiscal_rules"]["fiscal_printer"]["kind"] == "epson_rt"


def test_rules_show_says_reverse_charge_is_not_in_force_in_poland(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "show", "rules/pl", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["tax_mechanisms"]
    assert shown["reverse_charge"]["in_force"] is False
    assert shown["split_payment"]["in_force"] is True


@pytest.mark.parametrize("pack", ["rules/it", "rules/pl", "rules/fr", "rules/es", "rules/de"])
def test_the_country_packs_scenario_tests_pass_through_rules_test(
    pack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["rules", "test", pack])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 failed" in out.splitlines()[-1]


@pytest.mark.parametrize("store", ["it-store", "pl-store", "fr-store", "es-store", "de-store"])
def test_the_demo_stores_and_their_packs_are_valid(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(__file__).resolve().parents[3] / "examples" / store
    assert main(["store", "check", str(folder)]) == 0
    assert main(["rules", "validate", str(folder / "pack")]) == 0
    assert "references checked against store" in capsys.readouterr().out
