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
    # [Seleziona proprietà]: an item's lots, one per combination of property values
    "choose_properties": {"it": "Seleziona proprietà", "en": "Choose properties"},
    "no_lot": {"it": "Nessun lotto scelto", "en": "No lot chosen"},
    "select": {"it": "Seleziona", "en": "Select"},
    "item_type": {"it": "Tipo", "en": "Type"},
    "vat_rate": {"it": "Aliquota IVA", "en": "VAT rate"},
    "item_type_goods": {"it": "Merce", "en": "Goods"},
    "item_type_service": {"it": "Servizio", "en": "Service"},
    "item_type_set": {"it": "Set", "en": "Set"},
    "item_type_voucher": {"it": "Buono", "en": "Voucher"},
    "item_type_buy_back": {"it": "Riacquisto", "en": "Buy-back"},
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
    "to_give_back": {"it": "Da restituire", "en": "To give back"},
    "given_back": {"it": "Restituito", "en": "Given back"},
    "refund_by_card": {
        "it": "Per restituire su carta usa il rimborso manuale di Transazioni con carta",
        "en": "To give money back to a card use the manual refund of Card transactions",
    },
    "refund_not_with_tender": {
        "it": "Non si può usare per restituire denaro",
        "en": "Cannot be used to give money back",
    },
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
    "given_back_as": {"it": "Restituito: {number}", "en": "Given back: {number}"},
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
    # -- reports: store summary, fiscal reports -------------------------------------------------
    "screen_reports": {"it": "Rapporti", "en": "Reports"},
    "tile_reports": {"it": "Rapporti", "en": "Reports"},
    "reports_back": {"it": "Altre funzioni", "en": "More functions"},
    "reports_today": {"it": "Oggi", "en": "Today"},
    "reports_month": {"it": "Questo mese", "en": "This month"},
    "reports_range": {"it": "Periodo", "en": "Period"},
    "reports_from": {"it": "Data dal", "en": "From"},
    "reports_to": {"it": "Data al", "en": "To"},
    "reports_date_hint": {"it": "gg/mm/aaaa", "en": "yyyy-mm-dd"},
    "reports_show": {"it": "Mostra", "en": "Show"},
    "reports_store": {"it": "Riepilogo del negozio", "en": "Store summary"},
    "reports_fiscal": {"it": "Rapporti fiscali", "en": "Fiscal reports"},
    "reports_fiscal_daily": {"it": "Rapporto giornaliero", "en": "Daily report"},
    "reports_fiscal_periodic": {"it": "Rapporto periodico", "en": "Periodic report"},
    "reports_fiscal_hint": {
        "it": "Il rapporto periodico usa il periodo scelto sopra",
        "en": "The periodic report covers the period chosen above",
    },
    "reports_daily_question": {
        "it": "Il rapporto giornaliero chiude la giornata della stampante fiscale (Z). Procedere?",
        "en": "The daily report closes the fiscal printer's day (Z). Go on?",
    },
    "reports_daily_confirm": {"it": "Sì, chiudi la giornata", "en": "Yes, close the day"},
    "reports_daily_force": {"it": "Chiudi comunque", "en": "Close anyway"},
    "fiscal_pending": {
        "it": "Documenti non ancora registrati dalla stampante fiscale: {documents}. "
        "Stampali prima del rapporto giornaliero, oppure chiudi comunque "
        "(resteranno fuori da questo Z).",
        "en": "Documents the fiscal printer has not registered yet: {documents}. "
        "Print them before the daily report, or close anyway (they stay out of this Z).",
    },
    "fiscal_daily_title": {"it": "Rapporto giornaliero · Z {z}", "en": "Daily report · Z {z}"},
    "fiscal_daily_done": {
        "it": "Rapporto giornaliero eseguito: Z {z}",
        "en": "Daily report done: Z {z}",
    },
    "no_fiscal_printer": {
        "it": "Nessuna stampante fiscale collegata a questa cassa",
        "en": "No fiscal printer is connected to this till",
    },
    "no_z_reports": {
        "it": "Nessun rapporto giornaliero nel periodo",
        "en": "No daily report in the period",
    },
    "reports_no_fiscal": {
        "it": "Scegli un rapporto fiscale",
        "en": "Choose a fiscal report",
    },
    "date_invalid": {
        "it": "Data non valida: «{text}» (scrivi gg/mm/aaaa)",
        "en": "Not a date: “{text}” (write yyyy-mm-dd)",
    },
    "period_reversed": {
        "it": "Il periodo finisce prima di iniziare",
        "en": "The period ends before it starts",
    },
    "nothing_to_print": {"it": "Niente da stampare", "en": "Nothing to print"},
    # -- operators' shifts --------------------------------------------------------------------
    "screen_shifts": {"it": "Turni degli operatori", "en": "Operators' shifts"},
    "tile_shifts": {"it": "Turni degli operatori", "en": "Operators' shifts"},
    "shifts_filter": {
        "it": "Filtra per numero o cassiere (Invio)",
        "en": "Number or cashier (Enter)",
    },
    "shifts_open_only": {"it": "Solo aperti", "en": "Open only"},
    "shifts_refresh": {"it": "Aggiorna", "en": "Refresh"},
    "shifts_cashier": {"it": "Cassiere", "en": "Cashier"},
    "shifts_till": {"it": "Cassa", "en": "Till"},
    "shifts_start": {"it": "Data di inizio", "en": "Started"},
    "shifts_end": {"it": "Data di fine", "en": "Ended"},
    "shifts_status": {"it": "Stato", "en": "Status"},
    "shift_open": {"it": "Aperto", "en": "Open"},
    "shift_closed": {"it": "Chiuso", "en": "Closed"},
    "shifts_none": {"it": "Nessun turno", "en": "No shifts"},
    "shifts_close_of": {"it": "Chiudi il turno di {name}", "en": "Close {name}'s shift"},
    "select_open_shift": {
        "it": "Seleziona un turno aperto dall'elenco",
        "en": "Select an open shift in the list",
    },
    "shifts_by_days": {
        "it": "Questo negozio lavora per giornate di cassa: non ci sono turni degli operatori.",
        "en": "This store works by till days: there are no operators' shifts.",
    },
    "shifts_back": {"it": "Torna ai turni", "en": "Back to the shifts"},
    # -- card transactions -----------------------------------------------------------------------
    "screen_cards": {"it": "Transazioni con carta", "en": "Card transactions"},
    "tile_card_payments": {"it": "Transazioni con carta", "en": "Card transactions"},
    "cards_this_till": {"it": "Questa cassa", "en": "This till"},
    "cards_store": {"it": "Tutto il negozio", "en": "Whole store"},
    "cards_filter": {"it": "Importo o cassiere (Invio)", "en": "Amount or cashier (Enter)"},
    "cards_none": {"it": "Nessuna transazione con carta", "en": "No card transaction"},
    "cards_unknown_count": {
        "it": "Esito sconosciuto: {count}",
        "en": "Unknown outcome: {count}",
    },
    "cards_when": {"it": "Data e ora", "en": "Date and time"},
    "cards_cashier": {"it": "Cassiere", "en": "Cashier"},
    "cards_document": {"it": "Documento", "en": "Document"},
    "card_status": {"it": "Stato", "en": "Status"},
    "cards_authorization": {"it": "Autoriz.", "en": "Auth."},
    "card_state_payment": {"it": "Pagamento", "en": "Payment"},
    "card_state_voided": {"it": "Pagamento annullato", "en": "Payment voided"},
    "card_state_void": {"it": "Annullamento pagamento", "en": "Payment void"},
    "card_state_refund": {"it": "Rimborso manuale", "en": "Manual refund"},
    "card_state_void_declined": {"it": "Annullamento rifiutato", "en": "Void declined"},
    "card_state_void_failed": {"it": "Annullamento non eseguito", "en": "Void not done"},
    "card_state_refund_declined": {"it": "Rimborso rifiutato", "en": "Refund declined"},
    "card_state_refund_failed": {"it": "Rimborso non eseguito", "en": "Refund not done"},
    "card_state_declined": {"it": "Rifiutato", "en": "Declined"},
    "card_state_failed": {"it": "Non addebitato", "en": "Not charged"},
    "card_state_unknown": {"it": "Esito sconosciuto", "en": "Unknown outcome"},
    "card_described": {
        "it": "{amount}: {status}, {when}, cassa {till}, {cashier}",
        "en": "{amount}: {status}, {when}, till {till}, {cashier}",
    },
    "card_authorization": {"it": "autorizzazione {code}", "en": "authorization {code}"},
    "card_select_hint": {
        "it": "Seleziona una transazione per annullarla o per risolverne l'esito",
        "en": "Select a transaction to void it or to settle its outcome",
    },
    "card_choose_payment": {
        "it": "Seleziona un pagamento con carta approvato",
        "en": "Select an approved card payment",
    },
    "card_void": {"it": "Annulla la transazione", "en": "Void the transaction"},
    "card_manual_refund": {"it": "Rimborso manuale", "en": "Manual refund"},
    "card_manual_refund_hint": {
        "it": "Per un pagamento con carta che questa cassa non ha registrato",
        "en": "For a card payment this till has no record of",
    },
    "card_do_void_on_terminal": {
        "it": "Annulla ora sul terminale di pagamento la transazione di {amount}: la cassa "
        "non può farlo da sé, registra soltanto l'annullamento. Fatto sul terminale?",
        "en": "Void the {amount} transaction on the payment terminal now: the till cannot "
        "do it itself, it only records the void. Done on the terminal?",
    },
    "card_do_refund_on_terminal": {
        "it": "Esegui ora sul terminale di pagamento il rimborso di {amount} sulla carta del "
        "cliente: la cassa non può farlo da sé, registra soltanto il rimborso. "
        "Fatto sul terminale?",
        "en": "Refund {amount} to the customer's card on the payment terminal now: the till "
        "cannot do it itself, it only records the refund. Done on the terminal?",
    },
    "card_done_on_terminal": {"it": "Sì, fatto: registra", "en": "Yes, done: record"},
    "card_not_done": {"it": "No, torna indietro", "en": "No, go back"},
    "card_voided": {"it": "Annullamento di {amount} registrato", "en": "Void of {amount} recorded"},
    "card_refunded": {
        "it": "Rimborso manuale di {amount} registrato",
        "en": "Manual refund of {amount} recorded",
    },
    "card_void_running": {
        "it": "Il terminale di pagamento sta annullando la transazione di {amount}…",
        "en": "The payment terminal is voiding the {amount} transaction…",
    },
    "card_refund_running": {
        "it": "Il terminale di pagamento sta rimborsando {amount} sulla carta del cliente: "
        "il cliente avvicini la carta al terminale…",
        "en": "The payment terminal is refunding {amount} to the customer's card: the "
        "customer holds the card to the terminal…",
    },
    "card_void_done": {
        "it": "Annullamento di {amount} eseguito dal terminale, autorizzazione {code}",
        "en": "Void of {amount} done by the terminal, authorization {code}",
    },
    "card_refund_done": {
        "it": "Rimborso manuale di {amount} eseguito dal terminale, autorizzazione {code}",
        "en": "Manual refund of {amount} done by the terminal, authorization {code}",
    },
    "card_void_declined": {
        "it": "Il terminale ha rifiutato l'annullamento: {reason}",
        "en": "The terminal declined the void: {reason}",
    },
    "card_refund_declined": {
        "it": "Il terminale ha rifiutato il rimborso: {reason}",
        "en": "The terminal declined the refund: {reason}",
    },
    "card_void_unknown": {
        "it": "Il terminale non ha detto l'esito dell'annullamento di {amount}: è tra le "
        "transazioni con esito sconosciuto",
        "en": "The terminal gave no outcome for the void of {amount}: it is among the "
        "transactions with an unknown outcome",
    },
    "card_refund_unknown": {
        "it": "Il terminale non ha detto l'esito del rimborso di {amount}: è tra le "
        "transazioni con esito sconosciuto",
        "en": "The terminal gave no outcome for the refund of {amount}: it is among the "
        "transactions with an unknown outcome",
    },
    "card_ask_terminal": {"it": "Chiedi di nuovo al terminale", "en": "Ask the terminal again"},
    "card_asking": {
        "it": "Sto chiedendo l'esito al terminale…",
        "en": "Asking the terminal for the outcome…",
    },
    "card_completed_question": {
        "it": "Il terminale non ha detto l'esito. Il pagamento con carta è stato completato? "
        "Guarda lo scontrino del terminale.",
        "en": "The terminal gave no outcome. Was the card payment completed? "
        "Look at the terminal's slip.",
    },
    "card_void_completed_question": {
        "it": "Il terminale non ha detto l'esito. L'annullamento è stato eseguito? "
        "Guarda lo scontrino del terminale.",
        "en": "The terminal gave no outcome. Was the void done? Look at the terminal's slip.",
    },
    "card_refund_completed_question": {
        "it": "Il terminale non ha detto l'esito. Il rimborso sulla carta è stato eseguito? "
        "Guarda lo scontrino del terminale.",
        "en": "The terminal gave no outcome. Was the card refund done? "
        "Look at the terminal's slip.",
    },
    "card_completed_yes": {"it": "Completato: sì", "en": "Completed: yes"},
    "card_completed_no": {"it": "Completato: no", "en": "Completed: no"},
    "card_still_unknown": {
        "it": "Il terminale non sa ancora dire l'esito: guarda lo scontrino del terminale "
        "e rispondi Completato sì o no",
        "en": "The terminal still cannot tell the outcome: look at the terminal's slip and "
        "answer Completed yes or no",
    },
    "card_not_charged": {
        "it": "Il terminale non ha addebitato nulla: {reason}",
        "en": "The terminal charged nothing: {reason}",
    },
    "card_settled": {"it": "Esito registrato: {status}", "en": "Outcome recorded: {status}"},
    "card_answered_by": {"it": "esito dato da {who}", "en": "outcome given by {who}"},
    "cards_still_unknown": {
        "it": "Pagamenti con carta con esito sconosciuto: {count}. Risolvili in Altre "
        "funzioni › Transazioni con carta",
        "en": "Card payments with an unknown outcome: {count}. Settle them in More "
        "functions › Card transactions",
    },
    # -- vouchers and gift cards -----------------------------------------------------------------
    "screen_vouchers": {"it": "Buoni acquisto e carte regalo", "en": "Vouchers and gift cards"},
    "tile_vouchers": {"it": "Buoni e carte regalo", "en": "Vouchers and gift cards"},
    "voucher_number_label": {
        "it": "Numero del buono o della carta regalo (Invio)",
        "en": "Voucher or gift card number (Enter)",
    },
    "voucher_check": {"it": "Verifica", "en": "Check"},
    "voucher_hint": {
        "it": "Scansiona o digita il numero di un buono acquisto o di una carta regalo",
        "en": "Scan or type the number of a voucher or a gift card",
    },
    "voucher_number_needed": {
        "it": "Inserisci il numero del buono o della carta",
        "en": "Enter the voucher's or the card's number",
    },
    "voucher_number": {"it": "Numero", "en": "Number"},
    "voucher_status": {"it": "Stato", "en": "Status"},
    "voucher_use": {"it": "Utilizzo", "en": "Use"},
    "voucher_face_value": {"it": "Valore nominale", "en": "Face value"},
    "voucher_valid_to": {"it": "Valido fino al", "en": "Valid until"},
    "voucher_single_use": {"it": "Monouso", "en": "Single use"},
    "voucher_multi_use": {"it": "Multiuso", "en": "Multi-use"},
    "voucher_valid_days": {"it": "{days} giorni dalla vendita", "en": "{days} days after sale"},
    "voucher_no_expiry": {"it": "Senza scadenza", "en": "No expiry"},
    "voucher_status_generated": {"it": "Emesso, non venduto", "en": "Issued, not sold"},
    "voucher_status_active": {"it": "Attivo", "en": "Active"},
    "voucher_status_used": {"it": "Utilizzato", "en": "Used"},
    "voucher_status_blocked": {"it": "Bloccato", "en": "Blocked"},
    "voucher_status_deactivated": {"it": "Disattivato", "en": "Deactivated"},
    "voucher_status_expired": {"it": "Scaduto", "en": "Expired"},
    "voucher_history": {"it": "Movimenti", "en": "History"},
    "voucher_event": {"it": "Movimento", "en": "Event"},
    "voucher_no_history": {"it": "Nessun movimento", "en": "No history"},
    "voucher_event_issued": {"it": "Emesso", "en": "Issued"},
    "voucher_event_sold": {"it": "Venduto", "en": "Sold"},
    "voucher_event_topped_up": {"it": "Ricaricato", "en": "Topped up"},
    "voucher_event_redeemed": {"it": "Usato in un pagamento", "en": "Used in a payment"},
    "voucher_event_refunded": {"it": "Rimborso sul buono", "en": "Refund onto it"},
    "voucher_event_change": {"it": "Resto sul buono", "en": "Change onto it"},
    "voucher_event_blocked": {"it": "Bloccato", "en": "Blocked"},
    "voucher_event_deactivated": {"it": "Disattivato", "en": "Deactivated"},
    "voucher_unknown": {
        "it": "Non esiste un buono acquisto o una carta regalo con il numero {number}",
        "en": "There is no voucher or gift card with the number {number}",
    },
    "gift_card_new": {
        "it": "Nessuna carta regalo con il numero {number}: la prima ricarica la crea "
        "(vendita di una nuova carta)",
        "en": "No gift card has the number {number}: its first top-up creates it "
        "(selling a new card)",
    },
    "voucher_can_be_sold": {
        "it": "Il buono {number} può essere venduto: diventa attivo quando lo scontrino è pagato",
        "en": "Voucher {number} can be sold: it becomes active when the receipt is paid",
    },
    "voucher_not_sold": {
        "it": "Il buono {number} non è ancora attivo",
        "en": "Voucher {number} is not active yet",
    },
    "voucher_used": {
        "it": "Il buono {number} è già stato utilizzato: non vale più",
        "en": "Voucher {number} has been used already: it is worth nothing now",
    },
    "voucher_blocked": {
        "it": "Il numero {number} è bloccato: non può essere venduto né usato",
        "en": "Number {number} is blocked: it cannot be sold or used",
    },
    "voucher_deactivated": {
        "it": "La carta {number} è disattivata: non può essere ricaricata né usata",
        "en": "Card {number} is deactivated: it cannot be topped up or used",
    },
    "voucher_expired": {
        "it": "Il buono {number} è scaduto",
        "en": "Voucher {number} has expired",
    },
    "voucher_usable": {
        "it": "{number} è attivo: saldo {balance}",
        "en": "{number} is active: balance {balance}",
    },
    "voucher_sell": {"it": "Vendi il buono", "en": "Sell the voucher"},
    "gift_card_sell": {"it": "Vendi la carta regalo", "en": "Sell the gift card"},
    "gift_card_top_up": {"it": "Ricarica la carta", "en": "Top up the card"},
    "top_up_amount": {"it": "Importo della ricarica", "en": "Top-up amount"},
    "voucher_added": {
        "it": "Buono {number} aggiunto allo scontrino",
        "en": "Voucher {number} added to the receipt",
    },
    "gift_card_added": {
        "it": "Nuova carta regalo {number} da {amount} aggiunta allo scontrino",
        "en": "New gift card {number} of {amount} added to the receipt",
    },
    "gift_card_topped_up": {
        "it": "Ricarica di {amount} della carta {number} aggiunta allo scontrino",
        "en": "Top-up of {amount} on card {number} added to the receipt",
    },
    # -- returns -----------------------------------------------------------------------------
    "screen_returns": {"it": "Reso merce", "en": "Returns"},
    "tile_returns": {"it": "Reso", "en": "Return"},
    "return_number_label": {
        "it": "Numero dello scontrino o della fattura (Invio)",
        "en": "Receipt or invoice number (Enter)",
    },
    "return_hint": {
        "it": "Scansiona o digita il numero dello scontrino o della fattura da rendere",
        "en": "Scan or type the number of the receipt or invoice to return",
    },
    "return_find": {"it": "Cerca", "en": "Find"},
    "return_number_needed": {
        "it": "Inserisci il numero dello scontrino o della fattura",
        "en": "Enter the receipt's or the invoice's number",
    },
    "return_unknown": {
        "it": "Non esiste uno scontrino o una fattura con il numero {number}",
        "en": "There is no receipt or invoice numbered {number}",
    },
    "return_not_a_sale": {
        "it": "{number} non è uno scontrino né una fattura: si rendono soltanto questi",
        "en": "{number} is neither a receipt nor an invoice: only those can be returned",
    },
    "return_nothing_left": {
        "it": "Tutto quanto su {number} è già stato reso",
        "en": "Everything on {number} has already been returned",
    },
    "return_fiscal_pending": {
        "it": "Lo scontrino {number} non è ancora registrato dalla stampante fiscale (fiscale "
        "in sospeso): il reso deve riferirsi a uno scontrino fiscale, regolarizzalo prima",
        "en": "Receipt {number} is not registered by the fiscal printer yet (fiscal pending): "
        "a return must refer to a fiscal receipt, settle it first",
    },
    "return_sale_open": {
        "it": "C'è un documento in corso: parcheggialo, approvalo o chiudilo prima del reso",
        "en": "A document is in progress: park, approve or discard it before the return",
    },
    "return_other_open": {
        "it": "Il reso di {number} è ancora aperto: rimborsalo o annullalo prima",
        "en": "The return of {number} is still open: pay it back or cancel it first",
    },
    "return_original": {"it": "Documento originale", "en": "Original document"},
    "return_kind_receipt": {"it": "Scontrino", "en": "Receipt"},
    "return_kind_invoice": {"it": "Fattura", "en": "Invoice"},
    "return_date": {"it": "Data", "en": "Date"},
    "return_customer": {"it": "Cliente", "en": "Customer"},
    "return_sold": {"it": "Venduti", "en": "Sold"},
    "return_returned": {"it": "Già resi", "en": "Returned"},
    "return_left": {"it": "Rendibili", "en": "Left"},
    "return_taking": {"it": "Nel reso", "en": "Returning"},
    "return_empty": {
        "it": "Le voci del documento originale appaiono qui",
        "en": "The original document's lines show here",
    },
    "return_quantity": {"it": "Quantità da rendere", "en": "Quantity to return"},
    "return_quantity_hint": {
        "it": "Vuoto: tutto quanto è rendibile",
        "en": "Empty: all that is left",
    },
    "return_take": {"it": "Rendi la voce", "en": "Return the line"},
    "return_put_back": {"it": "Togli dal reso", "en": "Leave it out"},
    "return_select_line": {
        "it": "Seleziona una voce del documento originale",
        "en": "Select a line of the original document",
    },
    "return_quantity_positive": {
        "it": "La quantità da rendere deve essere maggiore di zero",
        "en": "The quantity to return must be above zero",
    },
    "return_too_many": {
        "it": "Voce {position} ({name}): si possono rendere al massimo {left} {unit} (venduti "
        "{sold}, già resi {returned}), non {quantity}",
        "en": "Line {position} ({name}): at most {left} {unit} can be returned (sold {sold}, "
        "already returned {returned}), not {quantity}",
    },
    "return_line_done": {
        "it": "La voce {position} ({name}) è già stata resa per intero",
        "en": "Line {position} ({name}) has been returned in full already",
    },
    "return_line_not_taken": {
        "it": "La voce {position} non è nel reso",
        "en": "Line {position} is not on the return",
    },
    "return_total": {"it": "Totale del reso", "en": "Return total"},
    "return_refund": {"it": "Rimborsa", "en": "Pay back"},
    "return_cancel": {"it": "Annulla il reso", "en": "Cancel the return"},
    "return_cancelled": {"it": "Reso annullato", "en": "Return cancelled"},
    "return_nothing_taken": {
        "it": "Scegli almeno una voce da rendere",
        "en": "Choose at least one line to return",
    },
    # -- the invoice of a paid receipt ---------------------------------------------------------
    "screen_invoices": {"it": "Fattura da scontrino", "en": "Invoice of a receipt"},
    "tile_invoices": {"it": "Fattura da scontrino", "en": "Invoice a receipt"},
    "invoice_hint": {
        "it": "Il cliente ha pagato con uno scontrino e chiede la fattura: "
        "scansiona o digita il numero dello scontrino",
        "en": "The customer paid with a receipt and asks for an invoice: "
        "scan or type the receipt's number",
    },
    "invoice_receipt_number": {"it": "Numero dello scontrino", "en": "Receipt number"},
    "invoice_customer": {"it": "Intestata a", "en": "Made out to"},
    "invoice_receipt_customer": {
        "it": "Il cliente dello scontrino",
        "en": "The receipt's customer",
    },
    "invoice_receipt_customer_hint": {
        "it": "l'azienda indicata sullo scontrino",
        "en": "the business the receipt names",
    },
    "invoice_issue": {"it": "Emetti fattura", "en": "Issue the invoice"},
    "invoice_issued": {
        "it": "Fattura {number} emessa: pagata con lo scontrino",
        "en": "Invoice {number} issued: paid by the receipt",
    },
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
    "make_return": {"it": "reso della merce", "en": "return goods"},
    "open_drawer": {"it": "apertura del cassetto", "en": "open the drawer"},
    "reprint": {"it": "ristampa (duplicato)", "en": "reprint (duplicate)"},
    "edit_employees": {"it": "gestione dei dipendenti", "en": "edit employees"},
    "change_employee_password": {
        "it": "modifica della password del dipendente",
        "en": "change an employee's password",
    },
    "withdraw_from_safe": {"it": "prelievo dalla cassaforte", "en": "withdraw from the safe"},
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
