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
    "operator_discount_blocked": {
        "en": "{name} cannot take an operator discount: the line is taken by the promotion {rule}",
        "it": "Su {name} non è possibile concedere uno sconto utente: la voce fa parte della "
        "promozione {rule}",
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
    # -- payments, cash and safe (cassa.engine.payments, cassa.engine.cash) --
    "payment_below_document": {
        "en": "The payment cannot be saved. The payment is lower than the document value",
        "it": "Impossibile salvare il pagamento. Il valore del pagamento è inferiore al valore "
        "del documento",
    },
    "payment_registered": {
        "en": "The payment has been registered. It is not possible to go back to the document.",
        "it": "Il pagamento è stato registrato. Non è possibile ritornare al documento.",
    },
    "split_payment_bank_only": {
        "en": "The split payment mechanism was applied. The payment can be made by bank "
        "transfer only.",
        "it": "È stato utilizzato il meccanismo della scissione dei pagamenti. Il pagamento può "
        "essere effettuato soltanto tramite il bonifico.",
        "pl": "Zastosowano mechanizm podzielonej płatności. Płatność może zostać dokonana "
        "wyłącznie przelewem.",
    },
    "card_outcome_unknown": {
        "en": "A problem occurred during the payment. Details: transaction failed! "
        "Was the card payment completed anyway?",
        "it": "Si è verificato un problema durante il pagamento. Dettagli: Transazione non "
        "riuscita! Il pagamento con carta è stato tuttavia completato con successo?",
    },
    "voucher_not_found": {
        "en": "There is no voucher with this number",
        "it": "Non esiste un buono acquisto con tale numero",
    },
    "voucher_not_available": {
        "en": "The action is not available for voucher number {number}",
        "it": "L'azione non è disponibile per il buono acquisto numero {number}",
    },
    "voucher_quantity_fixed": {
        "en": "A voucher is added one at a time: its quantity cannot be changed",
        "it": "È possibile aggiungere soltanto un buono acquisto e non è possibile modificare la "
        "sua quantità",
    },
    "voucher_not_on_cash_in": {
        "en": "This kind of voucher cannot be used on a cash-in document",
        "it": "Questo genere di buono acquisto non può essere utilizzato nel documento VC",
    },
    "no_change_forfeit": {
        "en": "{tender} gives no change: {amount} above the total is not returned",
        "it": "{tender} non dà resto: l'importo di {amount} oltre il totale non viene restituito",
    },
    "cash_count_mandatory": {
        "en": "Counting the cash balance is mandatory",
        "it": "Il conteggio del saldo della cassa è obbligatorio",
    },
    "safe_balance_limit": {
        "en": "The safe's maximum balance has been reached. The safe's maximum balance is: "
        "{limit}. Current safe balance: {balance}. Withdraw from the safe and deposit at the bank.",
        "it": "Il limite massimo del saldo della cassaforte è stato raggiunto. Il limite massimo "
        "dello stato della cassaforte è: {limit}. Saldo attuale della cassaforte: {balance}. "
        "Bisogna effettuare il prelievo dalla cassaforte e il versamento bancario.",
    },
    "safe_time_limit": {
        "en": "The oldest money in the safe has been there for {hours} hours (limit: {limit} "
        "hours). Withdraw from the safe and deposit at the bank.",
        "it": "Il denaro più vecchio della cassaforte vi si trova da {hours} ore (limite: {limit} "
        "ore). "
        "Bisogna effettuare il prelievo dalla cassaforte e il versamento bancario.",
    },
    "drawer_balance_limit": {
        "en": "The drawer's maximum cash balance has been reached: {limit}. Current balance: "
        "{balance}. Deposit into the safe.",
        "it": "Il limite massimo del saldo della cassa è stato raggiunto: {limit}. Saldo "
        "attuale: {balance}. Bisogna effettuare il versamento alla cassaforte.",
    },
    "opening_deposit": {
        "en": "Deposit at day opening",
        "it": "Versamento all'apertura del giorno",
    },
    "closing_withdrawal": {
        "en": "Withdrawal at day closing",
        "it": "Prelievo alla chiusura del giorno",
    },
    "closing_difference": {
        "en": "Difference at day closing",
        "it": "Differenza alla chiusura del giorno",
    },
    "safe_deposit_slip": {
        "en": "Deposit into the safe {number}",
        "it": "Versamento alla cassaforte {number}",
    },
    "tender_rule_notice": {"en": "{text}", "it": "{text}"},
    "safe_withdrawal_slip": {
        "en": "Withdrawal from the safe {number}",
        "it": "Prelievo dalla cassaforte {number}",
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
