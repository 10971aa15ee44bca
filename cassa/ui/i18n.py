"""The till's words in Italian (first: the seeds' users) and English, and number formats.

The engine's own messages (`cassa.engine.messages`) are rendered by the engine
in the same locale; these are the screen's labels. Every key exists in both
languages (a test checks it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["LOCALES", "TEXTS", "engine_message", "moment", "money", "number", "permission", "text"]

LOCALES = ("it", "en")

TEXTS: dict[str, dict[str, str]] = {
    # -- top bar, screens ------------------------------------------------------------
    "till": {"it": "Cassa", "en": "Till"},
    "nobody": {"it": "Nessun operatore", "en": "Nobody logged in"},
    "operator": {"it": "Operatore di cassa", "en": "Cashier"},
    "screen_login": {"it": "Accesso", "en": "Login"},
    "screen_opening": {"it": "Apertura", "en": "Opening"},
    "screen_sale": {"it": "Scontrino", "en": "Receipt"},
    "screen_payment": {"it": "Finestra di pagamento", "en": "Payment"},
    "screen_cash": {"it": "Versamenti e prelievi", "en": "Cash in / out"},
    "screen_summary": {"it": "Riepilogo della postazione", "en": "Till summary"},
    "screen_safe": {"it": "Cassaforte", "en": "Safe"},
    "screen_closing": {"it": "Chiusura", "en": "Closing"},
    "screen_functions": {"it": "Altre funzioni", "en": "More functions"},
    # -- login -------------------------------------------------------------------------
    "by_password": {"it": "Utente e password", "en": "Username and password"},
    "by_card": {"it": "Carta", "en": "Card"},
    "username": {"it": "Utente", "en": "Username"},
    "password": {"it": "Password", "en": "Password"},
    "new_password": {"it": "Nuova password", "en": "New password"},
    "card_number": {"it": "Numero della carta", "en": "Card number"},
    "login": {"it": "Accedi", "en": "Log in"},
    "password_expired": {
        "it": "La password è scaduta: scegline una nuova (almeno 12 caratteri)",
        "en": "The password has expired: choose a new one (at least 12 characters)",
    },
    # -- opening -----------------------------------------------------------------------
    "open_day": {"it": "Apri il giorno", "en": "Open the day"},
    "open_shift": {"it": "Apri il turno", "en": "Open the shift"},
    "open_day_hint": {
        "it": "Fondo cassa iniziale: digitalo o conta banconote e monete",
        "en": "Opening float: type it or count banknotes and coins",
    },
    "count_by_pieces": {"it": "Conteggia la cassa", "en": "Count banknotes and coins"},
    "counted": {"it": "Contato", "en": "Counted"},
    "float": {"it": "Fondo cassa", "en": "Float"},
    # -- sale --------------------------------------------------------------------------
    "search_label": {"it": "Cerca articolo", "en": "Search item"},
    "add": {"it": "Aggiungi", "en": "Add"},
    "column_position": {"it": "#", "en": "#"},
    "column_sku": {"it": "Codice", "en": "SKU"},
    "column_name": {"it": "Nome", "en": "Name"},
    "column_quantity": {"it": "Quantità", "en": "Quantity"},
    "column_unit": {"it": "U.m.", "en": "Unit"},
    "column_list_price": {"it": "Prezzo iniziale", "en": "List price"},
    "column_price": {"it": "Prezzo", "en": "Price"},
    "column_discount": {"it": "Sconto", "en": "Discount"},
    "column_value": {"it": "Valore", "en": "Value"},
    "column_handled_by": {"it": "Gestito da", "en": "Handled by"},
    "aggregate_sum": {"it": "{column} totale", "en": "{column} total"},
    "aggregate_average": {"it": "{column} media", "en": "{column} average"},
    "aggregate_max": {"it": "{column} massimo", "en": "{column} max"},
    "aggregate_min": {"it": "{column} minimo", "en": "{column} min"},
    "no_group": {"it": "Senza gruppo", "en": "No group"},
    "empty_document": {
        "it": "Scansiona o cerca un articolo per iniziare lo scontrino",
        "en": "Scan or search an item to start the receipt",
    },
    "lines": {"it": "Voci", "en": "Lines"},
    "lines_count": {"it": "{lines} voci", "en": "{lines} lines"},
    "total_quantity": {"it": "Quantità totale", "en": "Total quantity"},
    "discounts": {"it": "Sconti", "en": "Discounts"},
    "total": {"it": "Totale", "en": "Total"},
    "no_customer": {"it": "Cliente non definito", "en": "No customer"},
    "select_line": {
        "it": "Seleziona una voce per modificarla",
        "en": "Select a line to change it",
    },
    "handled_by": {"it": "Gestito da", "en": "Handled by"},
    "delete": {"it": "Elimina", "en": "Delete"},
    "rename": {"it": "Modifica nome", "en": "Edit name"},
    "context_code": {"it": "Codice", "en": "Code"},
    "context_quantity": {"it": "Quantità", "en": "Quantity"},
    "context_line_discount": {"it": "Sconto voce", "en": "Line discount"},
    "context_header_discount": {"it": "Sconto testata", "en": "Header discount"},
    "context_list_price": {"it": "Prezzo iniziale", "en": "List price"},
    "discount_percent": {"it": "%", "en": "%"},
    "discount_price": {"it": "Prezzo", "en": "Price"},
    "discount_amount": {"it": "Valore", "en": "Amount"},
    "enter": {"it": "Invio", "en": "Enter"},
    "approve": {"it": "Approva", "en": "Approve"},
    "tile_customer": {"it": "Cliente", "en": "Customer"},
    "tile_coupons": {"it": "Buoni sconto", "en": "Coupons"},
    "tile_manual_promotions": {"it": "Sconti manuali", "en": "Manual promotions"},
    "tile_loyalty_card": {"it": "Carta fedeltà", "en": "Loyalty card"},
    "tile_discount_summary": {"it": "Riepilogo sconti", "en": "Discount summary"},
    "tile_line_discount": {"it": "Modifica sconto", "en": "Line discount"},
    "tile_header_discount": {"it": "Sconto di testata", "en": "Header discount"},
    "tile_list_price": {"it": "Modifica prezzo", "en": "Change price"},
    "tile_park": {"it": "Parcheggia", "en": "Park"},
    "tile_resume": {"it": "Parcheggiati", "en": "Parked"},
    "tile_discard": {"it": "Chiudi", "en": "Discard"},
    "tile_cash_in_out": {"it": "Versamenti / prelievi", "en": "Cash in / out"},
    "tile_till_summary": {"it": "Riepilogo", "en": "Till summary"},
    "tile_safe": {"it": "Cassaforte", "en": "Safe"},
    "tile_close_day": {"it": "Chiusura", "en": "Close"},
    "tile_logout": {"it": "Esci", "en": "Log out"},
    "tile_functions": {"it": "Altre funzioni", "en": "More functions"},
    "tile_open_drawer": {"it": "Apri cassetto", "en": "Open drawer"},
    "drawer_opened": {"it": "Cassetto aperto", "en": "Drawer opened"},
    "no_drawer": {
        "it": "Nessun cassetto collegato a questa cassa",
        "en": "No drawer is connected to this till",
    },
    "operator_line_discount": {"it": "Sconto utente", "en": "Operator's line discount"},
    "operator_header_discount": {"it": "Sconto di testata", "en": "Header discount"},
    "parked": {
        "it": "Documento parcheggiato ({lines} voci)",
        "en": "Document parked ({lines} lines)",
    },
    "parked_title": {"it": "Documenti parcheggiati", "en": "Parked documents"},
    "no_parked": {"it": "Nessun documento parcheggiato", "en": "No parked document"},
    "discard_question": {
        "it": "Chiudere il documento senza salvare le modifiche?",
        "en": "Discard the document without saving it?",
    },
    "items_title": {"it": "Elenco degli articoli", "en": "Items"},
    "customers_title": {"it": "Cliente", "en": "Customer"},
    "recalculate_question": {
        "it": "Vuoi ricalcolare il documento secondo le impostazioni del cliente?",
        "en": "Recalculate the document with this customer's settings?",
    },
    "coupons_title": {"it": "Seleziona buono sconto", "en": "Choose a coupon"},
    "coupon_code": {"it": "Codice del buono sconto", "en": "Coupon code"},
    "no_coupons": {"it": "Nessun buono sconto attivo", "en": "No active coupon"},
    "loyalty_number": {"it": "Numero della carta fedeltà", "en": "Loyalty card number"},
    "filter": {"it": "Filtra (Invio)", "en": "Filter (Enter)"},
    "nothing_found": {"it": "Nessun risultato", "en": "Nothing found"},
    "summary_before": {"it": "Valore del documento senza sconti", "en": "Value before discounts"},
    "summary_items": {"it": "Sconti merce", "en": "Item discounts"},
    "summary_other": {"it": "Altri", "en": "Other"},
    "summary_threshold": {
        "it": "Sconto di testata in base al valore della transazione",
        "en": "Basket value discounts",
    },
    "summary_operator": {"it": "Sconti utente", "en": "Operator's discounts"},
    "summary_after": {
        "it": "Valore dopo la presa in considerazione dello sconto",
        "en": "Value after discounts",
    },
    # -- approval ----------------------------------------------------------------------------
    "approval_title": {"it": "Autorizzazione del responsabile", "en": "Manager's approval"},
    "approval_needed": {
        "it": "Serve l'autorizzazione di un responsabile: {permissions}",
        "en": "A manager's approval is needed: {permissions}",
    },
    "approval_reason": {
        "it": "{operator} non ha l'autorizzazione: {permissions}. "
        "Un responsabile può approvare con le sue credenziali.",
        "en": "{operator} lacks the permission: {permissions}. "
        "A manager may approve with their own credentials.",
    },
    "manager_username": {"it": "Utente del responsabile", "en": "Manager's username"},
    "manager_card": {"it": "oppure carta del responsabile", "en": "or the manager's card"},
    "approve_action": {"it": "Autorizza", "en": "Approve"},
    # -- payment -----------------------------------------------------------------------------
    "payment_title": {"it": "Modalità di pagamento", "en": "Tenders"},
    "to_pay": {"it": "Da pagare", "en": "To pay"},
    "paid": {"it": "Pagato", "en": "Paid"},
    "remaining": {"it": "Importo rimanente", "en": "Remaining"},
    "change": {"it": "Resto", "en": "Change"},
    "tender": {"it": "Modalità", "en": "Tender"},
    "amount": {"it": "Importo", "en": "Amount"},
    "reference": {"it": "Riferimento", "en": "Reference"},
    "amount_to_assign": {"it": "Importo da assegnare", "en": "Amount to assign"},
    "currency": {"it": "Valuta", "en": "Currency"},
    "cash_tender_key": {"it": "Contanti", "en": "Cash"},
    "back_to_document": {"it": "Torna al documento", "en": "Back to the document"},
    "clear": {"it": "Pulisci", "en": "Clear"},
    "undo": {"it": "Annulla", "en": "Undo"},
    "number": {"it": "Numero", "en": "Number"},
    "number_needed": {"it": "Inserisci il numero", "en": "Enter the number"},
    "card_title": {"it": "Pagamento con carta", "en": "Card payment"},
    "card_follow_terminal": {
        "it": "Il pagamento continua sul terminale di pagamento…",
        "en": "The payment continues on the payment terminal…",
    },
    "card_declined": {"it": "Carta rifiutata: {reason}", "en": "Card declined: {reason}"},
    "paid_as": {"it": "Pagato: {number}", "en": "Paid: {number}"},
    "printed": {"it": "Stampato", "en": "Printed"},
    "print_queued": {
        "it": "Problema della stampante: il documento attende nella coda di stampa",
        "en": "Printer problem: the document waits in the print queue",
    },
    "receipt_omitted": {
        "it": "Scontrino non stampato (sotto il limite): stampalo se il cliente lo chiede",
        "en": "Receipt not printed (below the limit): print it if the customer asks",
    },
    "not_printed": {"it": "Non stampato: {reason}", "en": "Not printed: {reason}"},
    "no_printer": {"it": "Nessuna stampante configurata", "en": "No printer is configured"},
    "no_paper": {"it": "(nessuna stampa)", "en": "(nothing printed)"},
    "print_receipt": {"it": "Stampa scontrino", "en": "Print receipt"},
    "print_copy": {"it": "Stampa copia", "en": "Print a copy"},
    "new_receipt": {"it": "Nuovo scontrino", "en": "New receipt"},
    # -- cash, summary, safe, closing -----------------------------------------------------------
    "cash_in": {"it": "Versamento di cassa", "en": "Cash in"},
    "money_in": {"it": "Entrate", "en": "In"},
    "cash_in_short": {"it": "Versamento", "en": "Cash in"},
    "cash_out_short": {"it": "Prelievo", "en": "Cash out"},
    "money_out": {"it": "Uscite", "en": "Out"},
    "charged": {"it": "addebitata", "en": "charged"},
    "cash_out": {"it": "Prelievo di cassa", "en": "Cash out"},
    "description": {"it": "Descrizione", "en": "Description"},
    "record": {"it": "Registra", "en": "Record"},
    "drawer_balance": {"it": "Saldo contanti in cassa", "en": "Cash in the drawer"},
    "cash_document_done": {"it": "Registrato {number}", "en": "Recorded {number}"},
    "kind": {"it": "Tipo", "en": "Type"},
    "time": {"it": "Ora", "en": "Time"},
    "back_to_sale": {"it": "Torna alla vendita", "en": "Back to sale"},
    "summary_of": {"it": "giorno aperto il {date}", "en": "day opened {date}"},
    "item": {"it": "Voce", "en": "Item"},
    "value": {"it": "Valore", "en": "Value"},
    "payments": {"it": "Pagamenti", "en": "Payments"},
    "balance": {"it": "Saldo", "en": "Balance"},
    "print": {"it": "Stampa", "en": "Print"},
    "opening": {"it": "Iniziale", "en": "Opening"},
    "deposits": {"it": "Versamenti", "en": "Deposits"},
    "withdrawals": {"it": "Prelievi", "en": "Withdrawals"},
    "safe_deposit": {"it": "Versamento alla cassaforte", "en": "Deposit into the safe"},
    "safe_to_bank": {"it": "Prelievo per la banca", "en": "Withdraw to the bank"},
    "safe_to_drawer": {"it": "Prelievo in cassa", "en": "Withdraw into the drawer"},
    "safe_done": {"it": "Registrato {number}", "en": "Recorded {number}"},
    "close_day": {"it": "Chiudi il giorno", "en": "Close the day"},
    "close_shift": {"it": "Chiudi il turno", "en": "Close the shift"},
    "expected": {"it": "Atteso", "en": "Expected"},
    "counted_cash": {"it": "Contanti contati", "en": "Cash counted"},
    "withdrawal": {"it": "Prelievo", "en": "Withdrawal"},
    "difference": {"it": "Differenza", "en": "Difference"},
    "remaining_in_drawer": {"it": "Rimane", "en": "Remains"},
    "closed": {"it": "Chiuso il {when}", "en": "Closed at {when}"},
    "written": {"it": "Documenti registrati", "en": "Documents written"},
    "finish_logout": {"it": "Fine: esci", "en": "Done: log out"},
    # -- common ------------------------------------------------------------------------------
    "yes": {"it": "Sì", "en": "Yes"},
    "no": {"it": "No", "en": "No"},
    "ok": {"it": "OK", "en": "OK"},
    "close": {"it": "Chiudi", "en": "Close"},
    "cancel": {"it": "Annulla", "en": "Cancel"},
    "apply": {"it": "Applica", "en": "Apply"},
    "save": {"it": "Salva", "en": "Save"},
}

PERMISSIONS: dict[str, dict[str, str]] = {
    "set_list_price": {"it": "modifica del prezzo iniziale", "en": "change a list price"},
    "sell_below_min_price": {
        "it": "vendita sotto il prezzo minimo",
        "en": "sell below the minimum price",
    },
    "close_day_with_difference": {
        "it": "chiusura con una differenza",
        "en": "close with a difference",
    },
    "close_other_shift": {
        "it": "chiusura dei turni di altri operatori",
        "en": "close another cashier's shift",
    },
    "approve_buy_back": {"it": "approvazione del riacquisto", "en": "approve a buy-back"},
    "void_card_payment": {
        "it": "annullamento di un pagamento con carta",
        "en": "void a card payment",
    },
    "manual_refund": {"it": "rimborso manuale", "en": "manual refund"},
    "open_drawer": {"it": "apertura del cassetto", "en": "open the drawer"},
    "reprint": {"it": "ristampa (duplicato)", "en": "reprint (duplicate)"},
    "edit_employees": {"it": "gestione dei dipendenti", "en": "edit employees"},
    "change_employee_password": {
        "it": "modifica della password del dipendente",
        "en": "change an employee's password",
    },
}

# The engine's most frequent refusals, in Italian (the engine speaks English).
ENGINE_IT: dict[str, str] = {
    "wrong username or password": "Utente o password errati",
    "select a line first": "Seleziona prima una voce",
    "give both the username and the password": "Inserisci l'utente e la password",
    "give a username and a password, or a card number": (
        "Inserisci l'utente e la password, oppure il numero della carta"
    ),
    "an empty document cannot be paid: add at least one line": (
        "Un documento vuoto non può essere pagato: aggiungi almeno una voce"
    ),
    "an empty document cannot be parked": "Un documento vuoto non può essere parcheggiato",
    "the amount must be above zero": "L'importo deve essere maggiore di zero",
}


def text(locale: str, key: str, **params: Any) -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    template = entry.get(locale) or entry["en"]
    return template.format(**params) if params else template


def permission(locale: str, name: str) -> str:
    entry = PERMISSIONS.get(name)
    return (entry.get(locale) or entry["en"]) if entry else name


def engine_message(locale: str, message: str) -> str:
    if locale == "it":
        return ENGINE_IT.get(message, message)
    return message


def number(value: Decimal, locale: str, places: int) -> str:
    """`1234.5` as "1.234,50" (it) or "1,234.50" (en), with `places` decimals."""
    quantum = Decimal(1).scaleb(-places) if places > 0 else Decimal(1)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    english = f"{rounded:,.{max(places, 0)}f}"
    if locale == "it":
        return english.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return english


def money(value: Decimal | None, locale: str, places: int = 2) -> str:
    if value is None:
        return ""
    return number(value, locale, places)


def moment(value: datetime, locale: str) -> str:
    if locale == "it":
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%Y-%m-%d %H:%M")
