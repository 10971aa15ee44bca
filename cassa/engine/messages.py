"""Messages shown to cashiers, in the till's languages.

Engine code raises or returns a Message (a code and its parameters); the till
renders it in the operator's locale. English is the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Message", "render"]

CATALOG: dict[str, dict[str, str]] = {
    "operator_discount_reduced": {
        "en": "The operator's maximum discount was exceeded. "
        "The line's discount was reduced to {limit}%",
        "it": "Lo sconto massimo dell'utente è stato superato. Lo sconto dell'elemento è stato "
        "ridotto fino al {limit}%",
    },
    "operator_header_discount_reduced": {
        "en": "The operator's maximum discount was exceeded. "
        "The document discount was reduced to {limit}%",
        "it": "Lo sconto massimo dell'utente è stato superato. Lo sconto di testata è stato "
        "ridotto fino al {limit}%",
    },
    "manual_not_applied": {
        "en": "The discount {name} was not applied. The conditions for the discount are not met",
        "it": "Lo sconto {name} non è stato applicato. Le condizioni di concessione dello sconto "
        "non sono state soddisfatte",
    },
    "no_manual_for_line": {
        "en": "No discount is available for the selected line",
        "it": "Per la voce selezionata non è disponibile alcuno sconto",
    },
    "guard_reduced": {
        "en": "The discount on {name} was reduced to {amount} by {guard}",
        "it": "Lo sconto su {name} è stato ridotto a {amount} ({guard})",
    },
    "gift_available": {
        "en": "Gift available from {rule}: add {item}",
        "it": "Omaggio disponibile da {rule}: aggiungere {item}",
    },
    "threshold_missing": {
        "en": "{rule}: add {amount}{what} to reach {threshold}",
        "it": "{rule}: mancano {amount} per raggiungere {threshold}",
    },
    "coupon_unknown": {
        "en": "No coupon with code {code}",
        "it": "Nessun buono sconto con il codice {code}",
    },
    # -- people (cassa.engine.people): seed "Gestione dei dipendenti" --
    "employee_other_store": {
        "en": "The selected action cannot be performed. "
        "The selected employee works in another store.",
        "it": "Impossibile eseguire l'azione selezionata. "
        "Il dipendente selezionato lavora in un altro centro.",
    },
    "password_changed": {
        "en": "The password was changed.",
        "it": "La password è stata cambiata.",
    },
    "password_expired": {"en": "Expired", "it": "Scaduta"},
    "password_valid_until": {"en": "Valid until {date}", "it": "Valida al {date}"},
    "password_valid": {"en": "Valid", "it": "Valida"},
    "password_not_set": {"en": "Not set", "it": "Non impostata"},
}


@dataclass(frozen=True)
class Message:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, locale: str = "en") -> str:
        return render(self, locale)

    def __str__(self) -> str:
        return render(self, "en")


def render(message: Message, locale: str = "en") -> str:
    templates = CATALOG.get(message.code, {})
    template = templates.get(locale) or templates.get("en") or message.code
    return template.format(**message.params)
