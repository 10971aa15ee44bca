"""Tax identifiers a country needs of its customers, checked by python-stdnum.

A country pack names, from this closed list, the checks a customer's tax id
(`vat_number`) must pass (`Country.tax_id_checks`); conditions read the checks a
customer's number passes as `customer.tax_id_checks` (a set: `contains: es_nie`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from stdnum.de import vat as de_vat
from stdnum.es import nie as es_nie
from stdnum.es import nif as es_nif
from stdnum.fr import siret as fr_siret
from stdnum.it import codicefiscale as it_codice_fiscale
from stdnum.it import iva as it_iva
from stdnum.pl import nip as pl_nip

__all__ = ["CHECKS", "passed_checks"]

# name -> the checksum of that identifier (with or without its country prefix)
CHECKS: dict[str, Callable[[str], bool]] = {
    "it_codice_fiscale": it_codice_fiscale.is_valid,
    "it_partita_iva": it_iva.is_valid,
    "es_nif": es_nif.is_valid,
    "es_nie": es_nie.is_valid,
    "pl_nip": pl_nip.is_valid,
    "fr_siret": fr_siret.is_valid,
    "de_ustidnr": de_vat.is_valid,
}


def passed_checks(number: str | None, checks: Iterable[str] = CHECKS) -> frozenset[str]:
    """The checks of `checks` that `number` passes (none for no number)."""
    if not number:
        return frozenset()
    return frozenset(name for name in checks if CHECKS[name](number))
