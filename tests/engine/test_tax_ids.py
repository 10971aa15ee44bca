"""Customers' tax ids checked by the checksum the country pack names (python-stdnum)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cassa.engine.storefiles import load_store
from cassa.engine.tax_ids import CHECKS, passed_checks
from cassa.engine.yamlsource import DataFileError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("number", "check"),
    [
        ("ESB12345674", "es_nif"),
        ("X1234567L", "es_nie"),
        ("PL5260250274", "pl_nip"),
        ("73282932000074", "fr_siret"),
        ("DE136695976", "de_ustidnr"),
        ("IT00743110157", "it_partita_iva"),
        ("RSSMRA85T10A562S", "it_codice_fiscale"),
    ],
)
def test_a_valid_number_passes_the_check_of_its_kind(number: str, check: str) -> None:
    assert check in passed_checks(number)


@pytest.mark.parametrize("number", ["ESB12345675", "PL5260250275", "DE136695977", "12"])
def test_a_number_with_a_wrong_check_digit_passes_no_check(number: str) -> None:
    assert passed_checks(number, [c for c in CHECKS if c[:2] == number[:2].lower()]) == (
        frozenset()
    )


def test_a_store_whose_business_has_a_wrong_nif_is_refused_with_where_it_is(
    tmp_path: Path,
) -> None:
    store = tmp_path / "es-store"
    shutil.copytree(ROOT / "examples" / "es-store", store)
    customers = store / "customers.yaml"
    customers.write_text(
        customers.read_text(encoding="utf-8").replace("ESB12345674", "ESB12345675"),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as refused:
        load_store(store)
    (problem,) = refused.value.problems
    assert str(problem).startswith(f"{customers}:")
    assert "/customers/0/vat_number: ESB12345675 is not a valid es_nif or es_nie" in str(problem)
