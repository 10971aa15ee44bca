"""Rule packs: loading the shipped packs, schema validation and country settings."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from cassa.engine import packs
from cassa.engine.country import country_from_pack, load_country
from cassa.engine.errors import NotFound
from cassa.engine.money import RoundingMode
from cassa.engine.packs import (
    API_VERSION,
    KIND_SCHEMAS,
    check_kind,
    load_pack,
    resolve_pack_path,
    shipped_packs_dir,
)
from cassa.engine.schemas import load_schema, schema_names, validate_document, validator_for
from cassa.engine.tax import PriceDirection
from cassa.engine.yamlsource import DataFileError, Problem, load_yaml_text

PACK_HEADER = "apiVersion: cassa/v1\nkind: Pack\nname: {name}\n"


def write_pack(folder: Path, files: dict[str, str], *, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if "pack.yaml" not in files:
        (folder / "pack.yaml").write_text(
            PACK_HEADER.format(name=name or folder.name) + "extends: base\n", encoding="utf-8"
        )
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def pack_problems(reference: str | Path) -> list[Problem]:
    with pytest.raises(DataFileError) as raised:
        load_pack(reference)
    return raised.value.problems


# --- the shipped packs ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["base", "it", "pl", "ch", "fr"])
def test_every_shipped_pack_loads_without_problems(name: str) -> None:
    pack = load_pack(name)
    assert pack.name == name
    assert pack.of_kind("Country")


def test_a_country_pack_extends_base_and_lists_base_first() -> None:
    pack = load_pack("it")
    assert pack.chain == ["base", "it"]
    assert pack.path == shipped_packs_dir() / "it"
    kinds = [d.data["kind"] for d in pack.documents]
    assert kinds.count("Country") == 2
    assert pack.of_kind("Country")[0].file.endswith("base/country.yaml")
    assert pack.of_kind("Country")[-1].file.endswith("it/country.yaml")


def test_the_italian_pack_has_the_four_iva_rates_and_the_natures_at_zero() -> None:
    it = load_country("it")
    assert (it.code, it.name, it.pack) == ("IT", "Italia", "it")
    assert it.currency.code == "EUR"
    assert it.currency.minor_units == 2
    assert it.currency.rounding.cash_increment is None
    assert {c: r.percent for c, r in it.vat_rates.items()} == {
        "22": Decimal(22),
        "10": Decimal(10),
        "5": Decimal(5),
        "4": Decimal(4),
        "N1": Decimal(0),
        "N2": Decimal(0),
        "N3": Decimal(0),
        "N4": Decimal(0),
        "N5": Decimal(0),
        # reverse charge (inversione contabile), country packs
        **{f"N6.{n}": Decimal(0) for n in range(1, 10)},
    }
    assert it.vat_rate("N4").nature == "N4"
    assert it.vat_rate("22").label == "IVA 22%"


def test_the_italian_pack_sells_receipts_gross_and_invoices_net() -> None:
    it = load_country("it")
    assert it.direction_for("receipt") is PriceDirection.GROSS
    assert it.direction_for("invoice") is PriceDirection.NET


def test_a_document_type_without_a_direction_is_gross() -> None:
    assert load_country("it").direction_for("order") is PriceDirection.GROSS


def test_the_polish_pack_uses_zloty_and_ptu_letters() -> None:
    pl = load_country("pl")
    assert (pl.code, pl.currency.code, pl.currency.symbol) == ("PL", "PLN", "zł")
    assert pl.vat_rate("A").percent == Decimal(23)
    assert pl.vat_rate("B").percent == Decimal(8)
    assert pl.vat_rate("E").nature == "zw"


def test_the_swiss_pack_rounds_cash_to_five_rappen() -> None:
    ch = load_country("ch")
    assert (ch.code, ch.currency.code) == ("CH", "CHF")
    assert ch.currency.rounding.cash_increment == Decimal("0.05")
    assert ch.currency.rounding.mode is RoundingMode.HALF_UP
    assert ch.currency.rounding.to_cash(Decimal("12.37")) == Decimal("12.35")
    assert ch.currencies["CHF"] == ch.currency


def test_the_swiss_vat_rates_are_exact_decimals() -> None:
    ch = load_country("ch")
    assert ch.vat_rate("N").percent == Decimal("8.1")
    assert str(ch.vat_rate("R").percent) == "2.6"


def test_the_base_pack_declares_the_currencies_every_country_can_use() -> None:
    it = load_country("it")
    assert {"EUR", "PLN", "GBP", "USD", "CHF", "JPY"} <= set(it.currencies)
    assert it.currencies["JPY"].minor_units == 0


def test_an_unknown_vat_rate_names_the_pack() -> None:
    with pytest.raises(NotFound, match="VAT rate '99' is not declared in pack it"):
        load_country("it").vat_rate("99")


# --- resolving a pack -------------------------------------------------------------------------


def test_a_pack_is_found_by_folder_path(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "mine", {})
    assert resolve_pack_path(folder) == folder.resolve()
    assert resolve_pack_path("mine", relative_to=tmp_path) == folder.resolve()


def test_a_pack_folder_near_the_store_wins_over_a_shipped_pack(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "it", {})
    assert resolve_pack_path("it", relative_to=tmp_path) == folder.resolve()


def test_a_missing_pack_is_reported(tmp_path: Path) -> None:
    (problem,) = pack_problems(tmp_path / "nothing")
    assert str(problem) == (
        f"{tmp_path / 'nothing'}:1:1: /: no rule pack here (a pack is a folder with pack.yaml)"
    )
    assert "no rule pack here" in str(pack_problems("atlantis")[0])


def test_a_pack_name_too_long_for_the_file_system_is_a_missing_pack_not_a_traceback() -> None:
    (problem,) = pack_problems("9" * 5000 + "it")
    assert problem.message == "no rule pack here (a pack is a folder with pack.yaml)"


def test_a_custom_pack_can_extend_a_shipped_country(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "milano",
        {"pack.yaml": PACK_HEADER.format(name="milano") + "extends: it\n"},
    )
    pack = load_pack(folder)
    assert pack.chain == ["base", "it", "milano"]
    assert country_from_pack(pack).code == "IT"
    assert load_country(folder).pack == "milano"


def test_the_most_specific_country_of_a_chain_wins(tmp_path: Path) -> None:
    country = """apiVersion: cassa/v1
kind: Country
country: SM
name: San Marino
currency: EUR
vat_rates:
  - {code: "17", percent: 17}
"""
    folder = write_pack(
        tmp_path / "sm",
        {"pack.yaml": PACK_HEADER.format(name="sm") + "extends: it\n", "country.yaml": country},
    )
    settings = load_country(folder)
    assert settings.code == "SM"
    assert list(settings.vat_rates) == ["17"]
    assert settings.directions == {}


def test_scenario_test_files_are_not_part_of_the_pack(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", {"promotions.test.yaml": "not: [valid yaml\n"})
    pack = load_pack(folder)
    assert all(not d.file.endswith(".test.yaml") for d in pack.documents)


def test_a_pack_that_extends_a_missing_pack_is_reported_at_extends(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p", {"pack.yaml": PACK_HEADER.format(name="p") + "extends: atlantis\n"}
    )
    (problem,) = pack_problems(folder)
    assert str(problem) == f"{folder / 'pack.yaml'}:4:10: /extends: no pack 'atlantis' to extend"


def test_packs_that_extend_each_other_are_reported_as_a_cycle(tmp_path: Path) -> None:
    write_pack(tmp_path / "a", {"pack.yaml": PACK_HEADER.format(name="a") + "extends: ../b\n"})
    write_pack(tmp_path / "b", {"pack.yaml": PACK_HEADER.format(name="b") + "extends: ../a\n"})
    (problem,) = pack_problems(tmp_path / "a")
    assert problem.pointer == "/extends"
    assert problem.message == "packs extend each other in a cycle"


def test_a_pack_that_extends_itself_is_a_cycle(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "self", {"pack.yaml": PACK_HEADER.format(name="self") + "extends: .\n"}
    )
    (problem,) = pack_problems(folder)
    assert problem.message == "packs extend each other in a cycle"


def test_a_pack_without_a_country_cannot_give_country_settings(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "bare", {"pack.yaml": PACK_HEADER.format(name="bare")})
    with pytest.raises(DataFileError, match="the pack declares no Country"):
        load_country(folder)


def test_a_country_whose_currency_is_not_declared_is_reported_at_currency(
    tmp_path: Path,
) -> None:
    country = """apiVersion: cassa/v1
kind: Country
country: XX
currency: XYZ
vat_rates:
  - {code: S, percent: 10}
"""
    folder = write_pack(tmp_path / "xx", {"country.yaml": country})
    with pytest.raises(DataFileError) as raised:
        load_country(folder)
    assert str(raised.value) == (
        f"{folder / 'country.yaml'}:4:11: /currency: currency XYZ is not declared in the pack chain"
    )


def test_a_country_may_round_its_currency_its_own_way(tmp_path: Path) -> None:
    country = """apiVersion: cassa/v1
kind: Country
country: XX
currency: EUR
rounding: {mode: half_even, cash_increment: 0.10}
vat_rates:
  - {code: S, percent: 10}
"""
    folder = write_pack(tmp_path / "xx", {"country.yaml": country})
    settings = load_country(folder)
    assert settings.currency.rounding.mode is RoundingMode.HALF_EVEN
    assert settings.currency.rounding.cash_increment == Decimal("0.10")
    assert settings.currencies["EUR"].rounding.mode is RoundingMode.HALF_EVEN


# --- errors in pack files ---------------------------------------------------------------------


def test_an_unknown_field_is_reported_at_its_key(tmp_path: Path) -> None:
    country = """apiVersion: cassa/v1
kind: Country
country: XX
currency: EUR
x: 1
vat_rates:
  - {code: S, percent: 10}
"""
    folder = write_pack(tmp_path / "p", {"country.yaml": country})
    (problem,) = pack_problems(folder)
    assert (problem.file, problem.line, problem.column) == (str(folder / "country.yaml"), 5, 1)
    assert problem.pointer == "/x"
    assert problem.message.startswith("unknown field 'x'")
    assert str(problem).startswith(
        f"{folder / 'country.yaml'}:5:1: /x: unknown field 'x' (allowed:"
    )


def test_an_unknown_field_lists_the_allowed_fields(tmp_path: Path) -> None:
    header = PACK_HEADER.format(name="p") + "extends: base\ncolour: red\n"
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"pack.yaml": header}))
    assert str(problem).startswith(
        f"{tmp_path / 'p' / 'pack.yaml'}:5:1: /colour: unknown field 'colour' (allowed: "
    )
    allowed = problem.message.split("(allowed: ")[1].rstrip(")").split(", ")
    assert {"apiVersion", "description", "extends", "kind", "name"} <= set(allowed)
    assert allowed == sorted(allowed)


def test_an_unknown_field_in_a_nested_mapping_is_reported_at_its_key(tmp_path: Path) -> None:
    country = """apiVersion: cassa/v1
kind: Country
country: XX
currency: EUR
vat_rates:
  - code: S
    percent: 10
    rate: 10
"""
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"country.yaml": country}))
    assert (problem.line, problem.column, problem.pointer) == (8, 5, "/vat_rates/0/rate")
    assert problem.message.startswith("unknown field 'rate' (allowed: code, ")
    assert "percent" in problem.message


def test_a_wrong_api_version_is_reported_at_its_value(tmp_path: Path) -> None:
    country = "apiVersion: cassa/v2\nkind: Country\n"
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"country.yaml": country}))
    assert str(problem) == (
        f"{tmp_path / 'p' / 'country.yaml'}:1:13: /apiVersion: apiVersion must be 'cassa/v1'"
    )


def test_a_missing_api_version_is_reported(tmp_path: Path) -> None:
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"country.yaml": "kind: Country\n"}))
    assert problem.message == f"apiVersion must be '{API_VERSION}'"


def test_an_unknown_kind_lists_the_known_kinds(tmp_path: Path) -> None:
    text = "apiVersion: cassa/v1\nkind: Gizmo\n"
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"gizmos.yaml": text}))
    known = ", ".join(sorted(KIND_SCHEMAS))
    assert str(problem) == (
        f"{tmp_path / 'p' / 'gizmos.yaml'}:2:7: /kind: unknown kind 'Gizmo' (known kinds: {known})"
    )
    assert {"Country", "Currencies", "Pack"} <= set(KIND_SCHEMAS)


def test_a_document_that_is_not_a_mapping_is_reported(tmp_path: Path) -> None:
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"list.yaml": "- 1\n- 2\n"}))
    assert problem.message == "a document must be a mapping with apiVersion and kind"


def test_a_schema_violation_is_reported_at_the_value(tmp_path: Path) -> None:
    country = """apiVersion: cassa/v1
kind: Country
country: it
currency: EUR
rounding: {mode: sideways}
vat_rates:
  - {code: S, percent: -5}
"""
    problems = pack_problems(write_pack(tmp_path / "p", {"country.yaml": country}))
    assert [(p.line, p.column, p.pointer) for p in problems] == [
        (3, 10, "/country"),
        (5, 18, "/rounding/mode"),
        (7, 24, "/vat_rates/0/percent"),
    ]
    assert (
        problems[0].message
        == "'it' is not the country's ISO 3166 code, two capital letters (IT, FR)"
    )
    assert problems[1].message.startswith("'sideways' is not one of")


def test_a_missing_required_field_is_reported_at_the_document(tmp_path: Path) -> None:
    country = "apiVersion: cassa/v1\nkind: Country\ncountry: XX\ncurrency: EUR\n"
    (problem,) = pack_problems(write_pack(tmp_path / "p", {"country.yaml": country}))
    assert (problem.line, problem.column, problem.pointer) == (1, 1, "")
    assert problem.message == "'vat_rates' is a required property"


def test_a_pack_with_errors_reports_all_of_them_and_is_not_loaded(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "bad",
        {
            "pack.yaml": PACK_HEADER.format(name="bad") + "extends: base\nx: 1\n",
            "country.yaml": "apiVersion: cassa/v2\nkind: Country\n",
            "gizmos.yaml": "apiVersion: cassa/v1\nkind: Gizmo\n",
            "broken.yaml": "a: [1\n",
            "dupes.yaml": "apiVersion: cassa/v1\nkind: Currencies\nkind: Currencies\n",
            "tags.yaml": "apiVersion: cassa/v1\nkind: !custom Country\n",
            "rates.yaml": (
                "apiVersion: cassa/v1\nkind: Country\ncountry: XX\ncurrency: EUR\n"
                "vat_rates:\n  - {code: S, percent: 10, y: 2}\n"
            ),
        },
    )
    problems = pack_problems(folder)
    found = {(Path(p.file).name, p.line, p.column): p.message for p in problems}
    assert len(problems) == 7
    assert found[("pack.yaml", 5, 1)].startswith("unknown field 'x'")
    assert found[("country.yaml", 1, 13)] == "apiVersion must be 'cassa/v1'"
    assert found[("gizmos.yaml", 2, 7)].startswith("unknown kind 'Gizmo'")
    assert found[("broken.yaml", 2, 1)].startswith("YAML syntax error")
    assert found[("dupes.yaml", 3, 1)].startswith("duplicate key 'kind'")
    assert found[("tags.yaml", 2, 7)] == "YAML tags are not allowed here (!custom)"
    assert found[("rates.yaml", 6, 28)].startswith("unknown field 'y'")
    with pytest.raises(DataFileError) as raised:
        load_pack(folder)
    assert str(raised.value).count("\n") == 6


def test_an_error_in_a_pack_stops_the_country_from_loading(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", {"extra.yaml": "apiVersion: cassa/v1\nkind: Nope\n"})
    with pytest.raises(DataFileError, match="unknown kind 'Nope'"):
        load_country(folder)


# --- schemas ----------------------------------------------------------------------------------


def test_every_kind_has_a_shipped_schema() -> None:
    names = schema_names()
    for schema in KIND_SCHEMAS.values():
        assert schema in names
    assert {"store", "catalog", "customers", "definitions"} <= set(names)


@pytest.mark.parametrize("name", ["pack", "country", "currencies", "store", "catalog", "customers"])
def test_every_shipped_schema_is_a_valid_json_schema(name: str) -> None:
    validator = validator_for(name)
    validator.check_schema(load_schema(name))
    assert load_schema(name)["$id"].endswith(f"/{name}.schema.json")


def test_a_valid_document_has_no_schema_problems() -> None:
    (document,) = load_yaml_text(
        "apiVersion: cassa/v1\nkind: Pack\nname: shop\ndescription: A shop\n", "pack.yaml"
    )
    assert validate_document(document, "pack") == []
    assert check_kind(document) == []


def test_decimal_values_from_yaml_validate_as_numbers() -> None:
    (document,) = load_yaml_text(
        "apiVersion: cassa/v1\nkind: Country\ncountry: XX\ncurrency: EUR\n"
        "vat_rates:\n  - {code: A, percent: 8.1}\n  - {code: B, percent: '2.6'}\n",
        "country.yaml",
    )
    assert validate_document(document, "country") == []


def test_schema_problems_are_sorted_by_position() -> None:
    (document,) = load_yaml_text(
        "apiVersion: cassa/v1\nkind: Pack\nzeta: 1\nname: 'Bad Name'\nalpha: 2\n", "pack.yaml"
    )
    problems = validate_document(document, "pack")
    assert [(p.line, p.pointer) for p in problems] == [(3, "/zeta"), (4, "/name"), (5, "/alpha")]


# --- bounded loading: nothing in a pack folder can block or exhaust the loader -----------------


def test_a_named_pipe_in_a_pack_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "piped", {})
    os.mkfifo(folder / "rules.yaml")  # nobody ever writes to it
    (problem,) = pack_problems(folder)
    assert str(problem) == (
        f"{folder / 'rules.yaml'}:1:1: /: cannot read a named pipe: a regular file is needed"
    )


def test_a_link_to_an_endless_device_in_a_pack_is_refused_without_reading_it(
    tmp_path: Path,
) -> None:
    folder = write_pack(tmp_path / "endless", {})
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (problem,) = pack_problems(folder)
    assert problem.message == "cannot read a device: a regular file is needed"


def test_a_pack_of_too_many_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MAX_FILES", 3)
    folder = write_pack(tmp_path / "many", {f"r{i}.yaml": "" for i in range(3)})
    problems = pack_problems(folder)
    assert problems[0].message == "the pack has 4 YAML files, more than 3"


def test_a_pack_larger_than_its_byte_budget_is_refused_at_the_file_that_crosses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MAX_BYTES", 300)
    rules = "apiVersion: cassa/v1\nkind: Promotions\nrules: []\n# " + "x" * 150 + "\n"
    header = PACK_HEADER.format(name="heavy")
    folder = write_pack(tmp_path / "heavy", {"pack.yaml": header, "a.yaml": rules, "b.yaml": rules})
    (problem,) = pack_problems(folder)
    assert problem.file == str(folder / "b.yaml")
    assert problem.message.startswith("file is larger than")


def test_loading_stops_when_the_processor_time_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MAX_CPU_SECONDS", -1.0)
    folder = write_pack(tmp_path / "slow", {})
    (problem,) = pack_problems(folder)
    assert "took more than" in problem.message
    assert "processor time" in problem.message


def test_the_pack_header_is_read_first_whatever_the_file_names(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "order", {"a.yaml": PACK_HEADER.format(name="impostor")})
    (problem,) = pack_problems(folder)
    assert problem.file == str(folder / "a.yaml")
    assert problem.message.startswith("a second Pack document")


def test_a_thousands_style_number_warns_without_refusing_the_pack(tmp_path: Path) -> None:
    guards = "apiVersion: cassa/v1\nkind: PriceGuards\nitems:\n  - {sku: A, min_price: 1.000}\n"
    folder = write_pack(tmp_path / "warned", {"guards.yaml": guards})
    (warning,) = load_pack(folder).warnings
    assert (warning.file, warning.line, warning.column) == (str(folder / "guards.yaml"), 4, 25)
    assert warning.severity == "warning"
