"""The till's words by key, and number formats, over the gettext catalogs.

Each key names a message of the catalogs (`cassa.i18n`), whose id is its English
text; `text(locale, key)` renders it in the operator's language. Screens that
say their words directly (`TillApp.t`) need no key here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from cassa.i18n import (
    LANGUAGES,
    Source,
    Text,
    _,
    _p,
    format_datetime,
    format_decimal,
    format_money,
    translate,
)

__all__ = ["LOCALES", "TEXTS", "engine_message", "moment", "money", "number", "permission", "text"]

# The languages the operator can switch to.
LOCALES = LANGUAGES

TEXTS: dict[str, Text] = {
    # -- top bar, screens ------------------------------------------------------------
    "till": _("Till"),
    "nobody": _("Nobody logged in"),
    "operator": _p("operator", "Cashier"),
    "screen_login": _("Login"),
    "screen_opening": _("Opening"),
    "screen_sale": _("Receipt"),
    "screen_payment": _("Payment"),
    "screen_cash": _("Cash in / out"),
    "screen_summary": _("Till summary"),
    "screen_safe": _("Safe"),
    "screen_closing": _("Closing"),
    "screen_functions": _("More functions"),
    # -- login -------------------------------------------------------------------------
    "by_password": _("Username and password"),
    "by_card": _("Card"),
    "username": _("Username"),
    "password": _("Password"),
    "new_password": _("New password"),
    "card_number": _("Card number"),
    "pin": _("PIN"),
    "login": _("Log in"),
    "password_expired": _("The password has expired: choose a new one (at least 12 characters)"),
    # -- opening -----------------------------------------------------------------------
    "open_day": _("Open the day"),
    "open_shift": _("Open the shift"),
    "open_day_hint": _("Opening float: type it or count banknotes and coins"),
    "count_by_pieces": _("Count banknotes and coins"),
    "counted": _("Counted"),
    "float": _("Float"),
    # -- sale --------------------------------------------------------------------------
    "search_label": _("Search item"),
    "add": _("Add"),
    "column_position": _("#"),
    "column_sku": _("SKU"),
    "column_name": _("Name"),
    "column_quantity": _("Quantity"),
    "column_unit": _("Unit"),
    "column_list_price": _("List price"),
    "column_price": _("Price"),
    "column_discount": _("Discount"),
    "column_value": _("Value"),
    "column_handled_by": _("Handled by"),
    "aggregate_sum": _("{column} total"),
    "aggregate_average": _("{column} average"),
    "aggregate_max": _("{column} max"),
    "aggregate_min": _("{column} min"),
    "no_group": _("No group"),
    "empty_document": _("Scan or search an item to start the receipt"),
    "lines": _("Lines"),
    "lines_count": _("{lines} lines"),
    "total_quantity": _("Total quantity"),
    "discounts": _("Discounts"),
    "total": _("Total"),
    "no_customer": _("No customer"),
    "select_line": _("Select a line to change it"),
    "handled_by": _("Handled by"),
    "delete": _("Delete"),
    "rename": _("Edit name"),
    # [Seleziona proprietà]: an item's lots, one per combination of property values
    "choose_properties": _("Choose properties"),
    "no_lot": _("No lot chosen"),
    "select": _("Select"),
    "item_type": _("Type"),
    "vat_rate": _("VAT rate"),
    "item_type_goods": _("Goods"),
    "item_type_service": _("Service"),
    "item_type_set": _("Set"),
    "item_type_voucher": _("Voucher"),
    "item_type_buy_back": _("Buy-back"),
    "context_code": _("Code"),
    "context_quantity": _("Quantity"),
    "context_line_discount": _("Line discount"),
    "context_header_discount": _p("context_header_discount", "Header discount"),
    "context_list_price": _("List price"),
    "discount_percent": _("%"),
    "discount_price": _("Price"),
    "discount_amount": _p("discount_amount", "Amount"),
    "enter": _("Enter"),
    "approve": _("Approve"),
    "tile_customer": _("Customer"),
    "tile_coupons": _("Coupons"),
    "tile_manual_promotions": _("Manual promotions"),
    "tile_loyalty_card": _("Loyalty card"),
    "tile_discount_summary": _("Discount summary"),
    "tile_line_discount": _p("tile_line_discount", "Line discount"),
    "tile_header_discount": _("Header discount"),
    "tile_list_price": _("Change price"),
    "tile_park": _("Park"),
    "tile_resume": _("Parked"),
    "tile_discard": _("Discard"),
    "tile_cash_in_out": _p("tile_cash_in_out", "Cash in / out"),
    "tile_till_summary": _p("tile_till_summary", "Till summary"),
    "tile_safe": _("Safe"),
    "tile_close_day": _("Close"),
    "tile_logout": _("Log out"),
    "tile_functions": _("More functions"),
    "tile_open_drawer": _("Open drawer"),
    "drawer_opened": _("Drawer opened"),
    "no_drawer": _("No drawer is connected to this till"),
    "operator_line_discount": _("Operator's line discount"),
    "operator_header_discount": _("Header discount"),
    "parked": _("Document parked ({lines} lines)"),
    "parked_title": _("Parked documents"),
    "no_parked": _("No parked document"),
    "discard_question": _("Discard the document without saving it?"),
    "discard_reason": _("Why is it discarded?"),
    "items_title": _("Items"),
    "customers_title": _("Customer"),
    "recalculate_question": _("Recalculate the document with this customer's settings?"),
    "coupons_title": _("Choose a coupon"),
    "coupon_code": _("Coupon code"),
    "no_coupons": _("No active coupon"),
    "loyalty_number": _("Loyalty card number"),
    "filter": _("Filter (Enter)"),
    "nothing_found": _("Nothing found"),
    "summary_before": _("Value before discounts"),
    "summary_items": _("Item discounts"),
    "summary_other": _("Other"),
    "summary_threshold": _("Basket value discounts"),
    "summary_operator": _("Operator's discounts"),
    "summary_after": _("Value after discounts"),
    # -- approval ----------------------------------------------------------------------------
    "approval_title": _("Manager's approval"),
    "approval_needed": _("A manager's approval is needed: {permissions}"),
    "permission_promotion": _("apply the promotion {promotions}"),
    "exact_amount": _p("quick cash", "Exact"),
    "approval_reason": _(
        "{operator} lacks the permission: {permissions}. A manager may approve with their own "
        "credentials."
    ),
    "manager_username": _("Manager's username"),
    "manager_card": _("or the manager's card"),
    "approve_action": _p("approve_action", "Approve"),
    # -- payment -----------------------------------------------------------------------------
    "payment_title": _("Tenders"),
    "to_pay": _("To pay"),
    "paid": _("Paid"),
    "to_give_back": _("To give back"),
    "given_back": _("Given back"),
    "refund_not_with_tender": _("Cannot be used to give money back"),
    "remaining": _("Remaining"),
    "change": _("Change"),
    "tender": _("Tender"),
    "amount": _("Amount"),
    "reference": _("Reference"),
    "amount_to_assign": _("Amount to assign"),
    "currency": _("Currency"),
    "cash_tender_key": _("Cash"),
    "back_to_document": _("Back to the document"),
    "clear": _("Clear"),
    "undo": _("Undo"),
    "number": _("Number"),
    "number_needed": _("Enter the number"),
    "card_title": _("Card payment"),
    "card_follow_terminal": _("The payment continues on the payment terminal…"),
    "card_declined": _("Card declined: {reason}"),
    "paid_as": _("Paid: {number}"),
    "given_back_as": _("Given back: {number}"),
    "printed": _("Printed"),
    "print_queued": _("Printer problem: the document waits in the print queue"),
    "receipt_omitted": _("Receipt not printed (below the limit): print it if the customer asks"),
    "not_printed": _("Not printed: {reason}"),
    "no_printer": _("No printer is configured"),
    "no_paper": _("(nothing printed)"),
    "print_receipt": _("Print receipt"),
    "print_copy": _("Print a copy"),
    "new_receipt": _("New receipt"),
    # -- cash, summary, safe, closing -----------------------------------------------------------
    "cash_in": _("Cash in"),
    "money_in": _("In"),
    "cash_in_short": _p("cash_in_short", "Cash in"),
    "cash_out_short": _("Cash out"),
    "money_out": _("Out"),
    "charged": _("charged"),
    "cash_out": _p("cash_out", "Cash out"),
    "description": _("Description"),
    "record": _("Record"),
    "drawer_balance": _("Cash in the drawer"),
    "cash_document_done": _("Recorded {number}"),
    "kind": _("Type"),
    "time": _("Time"),
    "back_to_sale": _("Back to sale"),
    "summary_of": _("day opened {date}"),
    "item": _("Item"),
    "value": _("Value"),
    "payments": _("Payments"),
    "balance": _("Balance"),
    "print": _("Print"),
    "opening": _p("opening", "Opening"),
    "deposits": _("Deposits"),
    "withdrawals": _("Withdrawals"),
    "safe_deposit": _("Deposit into the safe"),
    "safe_to_bank": _("Withdraw to the bank"),
    "safe_to_drawer": _("Withdraw into the drawer"),
    "safe_done": _("Recorded {number}"),
    "close_day": _("Close the day"),
    "close_shift": _("Close the shift"),
    "expected": _("Expected"),
    "counted_cash": _("Cash counted"),
    "withdrawal": _("Withdrawal"),
    "difference": _("Difference"),
    "remaining_in_drawer": _("Remains"),
    "closed": _("Closed at {when}"),
    "written": _("Documents written"),
    "finish_logout": _("Done: log out"),
    # -- reports: store summary, fiscal reports -------------------------------------------------
    "screen_reports": _("Reports"),
    "tile_reports": _("Reports"),
    "reports_back": _("More functions"),
    "reports_today": _("Today"),
    "reports_month": _("This month"),
    "reports_range": _("Period"),
    "reports_from": _("From"),
    "reports_to": _("To"),
    "reports_date_hint": _("yyyy-mm-dd"),
    "reports_show": _("Show"),
    "reports_store": _("Store summary"),
    "reports_fiscal": _("Fiscal reports"),
    "reports_fiscal_daily": _("Daily report"),
    "reports_fiscal_periodic": _("Periodic report"),
    "reports_fiscal_hint": _("The periodic report covers the period chosen above"),
    "reports_daily_question": _("The daily report closes the fiscal printer's day (Z). Go on?"),
    "reports_daily_confirm": _("Yes, close the day"),
    "reports_daily_force": _("Close anyway"),
    "fiscal_pending": _(
        "Documents the fiscal printer has not registered yet: {documents}. Print them before the "
        "daily report, or close anyway (they stay out of this Z)."
    ),
    "fiscal_daily_title": _("Daily report · Z {z}"),
    "fiscal_daily_done": _("Daily report done: Z {z}"),
    "no_fiscal_printer": _("No fiscal printer is connected to this till"),
    "no_z_reports": _("No daily report in the period"),
    "reports_no_fiscal": _("Choose a fiscal report"),
    "date_invalid": _("Not a date: “{text}” (write yyyy-mm-dd)"),
    "period_reversed": _("The period ends before it starts"),
    "nothing_to_print": _("Nothing to print"),
    # -- operators' shifts --------------------------------------------------------------------
    "screen_shifts": _("Operators' shifts"),
    "tile_shifts": _("Operators' shifts"),
    "shifts_filter": _("Number or cashier (Enter)"),
    "shifts_open_only": _("Open only"),
    "shifts_refresh": _("Refresh"),
    "shifts_cashier": _("Cashier"),
    "shifts_till": _("Till"),
    "shifts_start": _("Started"),
    "shifts_end": _("Ended"),
    "shifts_status": _("Status"),
    "shift_open": _("Open"),
    "shift_closed": _("Closed"),
    "shifts_none": _("No shifts"),
    "shifts_close_of": _("Close {name}'s shift"),
    "select_open_shift": _("Select an open shift in the list"),
    "shifts_by_days": _("This store works by till days: there are no operators' shifts."),
    "shifts_back": _("Back to the shifts"),
    # -- card transactions -----------------------------------------------------------------------
    "screen_cards": _("Card transactions"),
    "tile_card_payments": _("Card transactions"),
    "cards_this_till": _("This till"),
    "cards_store": _("Whole store"),
    "cards_filter": _("Amount or cashier (Enter)"),
    "cards_none": _("No card transaction"),
    "cards_unknown_count": _("Unknown outcome: {count}"),
    "cards_when": _("Date and time"),
    "cards_cashier": _("Cashier"),
    "cards_document": _("Document"),
    "card_status": _("Status"),
    "cards_authorization": _("Auth."),
    "card_state_payment": _p("card_state_payment", "Payment"),
    "card_state_voided": _("Payment voided"),
    "card_state_void": _("Payment void"),
    "card_state_refund": _("Manual refund"),
    "card_state_void_declined": _("Void declined"),
    "card_state_void_failed": _("Void not done"),
    "card_state_refund_declined": _("Refund declined"),
    "card_state_refund_failed": _("Refund not done"),
    "card_state_declined": _("Declined"),
    "card_state_failed": _("Not charged"),
    "card_state_unknown": _("Unknown outcome"),
    "card_described": _("{amount}: {status}, {when}, till {till}, {cashier}"),
    "card_authorization": _("authorization {code}"),
    "card_select_hint": _("Select a transaction to void it or to settle its outcome"),
    "card_choose_payment": _("Select an approved card payment"),
    "card_void": _("Void the transaction"),
    "card_manual_refund": _("Manual refund"),
    "card_manual_refund_hint": _("For a card payment this till has no record of"),
    "card_do_void_on_terminal": _(
        "Void the {amount} transaction on the payment terminal now: the till cannot do it itself,"
        " it only records the void. Done on the terminal?"
    ),
    "card_do_refund_on_terminal": _(
        "Refund {amount} to the customer's card on the payment terminal now: the till cannot do "
        "it itself, it only records the refund. Done on the terminal?"
    ),
    "card_done_on_terminal": _("Yes, done: record"),
    "card_not_done": _("No, go back"),
    "card_voided": _("Void of {amount} recorded"),
    "card_refunded": _("Manual refund of {amount} recorded"),
    "card_void_running": _("The payment terminal is voiding the {amount} transaction…"),
    "card_refund_running": _(
        "The payment terminal is refunding {amount} to the customer's card: the customer holds "
        "the card to the terminal…"
    ),
    "card_void_done": _("Void of {amount} done by the terminal, authorization {code}"),
    "card_refund_done": _("Manual refund of {amount} done by the terminal, authorization {code}"),
    "card_void_declined": _("The terminal declined the void: {reason}"),
    "card_refund_declined": _("The terminal declined the refund: {reason}"),
    "card_void_unknown": _(
        "The terminal gave no outcome for the void of {amount}: it is among the transactions with"
        " an unknown outcome"
    ),
    "card_refund_unknown": _(
        "The terminal gave no outcome for the refund of {amount}: it is among the transactions "
        "with an unknown outcome"
    ),
    "card_ask_terminal": _("Ask the terminal again"),
    "card_asking": _("Asking the terminal for the outcome…"),
    "card_completed_question": _(
        "The terminal gave no outcome. Was the card payment completed? Look at the terminal's slip."
    ),
    "card_void_completed_question": _(
        "The terminal gave no outcome. Was the void done? Look at the terminal's slip."
    ),
    "card_refund_completed_question": _(
        "The terminal gave no outcome. Was the card refund done? Look at the terminal's slip."
    ),
    "card_completed_yes": _("Completed: yes"),
    "card_completed_no": _("Completed: no"),
    "card_still_unknown": _(
        "The terminal still cannot tell the outcome: look at the terminal's slip and answer "
        "Completed yes or no"
    ),
    "card_not_charged": _("The terminal charged nothing: {reason}"),
    "card_settled": _("Outcome recorded: {status}"),
    "card_answered_by": _("outcome given by {who}"),
    "cards_still_unknown": _(
        "Card payments with an unknown outcome: {count}. Settle them in More functions › Card "
        "transactions"
    ),
    # -- vouchers and gift cards -----------------------------------------------------------------
    "screen_vouchers": _("Vouchers and gift cards"),
    "tile_vouchers": _p("tile_vouchers", "Vouchers and gift cards"),
    "voucher_number_label": _("Voucher or gift card number (Enter)"),
    "voucher_check": _("Check"),
    "voucher_hint": _("Scan or type the number of a voucher or a gift card"),
    "voucher_number_needed": _("Enter the voucher's or the card's number"),
    "voucher_number": _("Number"),
    "voucher_status": _("Status"),
    "voucher_use": _("Use"),
    "voucher_face_value": _("Face value"),
    "voucher_valid_to": _("Valid until"),
    "voucher_single_use": _("Single use"),
    "voucher_multi_use": _("Multi-use"),
    "voucher_valid_days": _("{days} days after sale"),
    "voucher_no_expiry": _("No expiry"),
    "voucher_status_generated": _("Issued, not sold"),
    "voucher_status_active": _("Active"),
    "voucher_status_used": _("Used"),
    "voucher_status_blocked": _("Blocked"),
    "voucher_status_deactivated": _("Deactivated"),
    "voucher_status_expired": _("Expired"),
    "voucher_history": _("History"),
    "voucher_event": _("Event"),
    "voucher_no_history": _("No history"),
    "voucher_event_issued": _("Issued"),
    "voucher_event_sold": _("Sold"),
    "voucher_event_topped_up": _("Topped up"),
    "voucher_event_redeemed": _("Used in a payment"),
    "voucher_event_refunded": _("Refund onto it"),
    "voucher_event_change": _("Change onto it"),
    "voucher_event_blocked": _("Blocked"),
    "voucher_event_deactivated": _("Deactivated"),
    "voucher_unknown": _("There is no voucher or gift card with the number {number}"),
    "gift_card_new": _(
        "No gift card has the number {number}: its first top-up creates it (selling a new card)"
    ),
    "voucher_can_be_sold": _(
        "Voucher {number} can be sold: it becomes active when the receipt is paid"
    ),
    "voucher_not_sold": _("Voucher {number} is not active yet"),
    "voucher_used": _("Voucher {number} has been used already: it is worth nothing now"),
    "voucher_blocked": _("Number {number} is blocked: it cannot be sold or used"),
    "voucher_deactivated": _("Card {number} is deactivated: it cannot be topped up or used"),
    "voucher_expired": _("Voucher {number} has expired"),
    "voucher_usable": _("{number} is active: balance {balance}"),
    "voucher_sell": _("Sell the voucher"),
    "gift_card_sell": _("Sell the gift card"),
    "gift_card_top_up": _("Top up the card"),
    "top_up_amount": _("Top-up amount"),
    "voucher_added": _("Voucher {number} added to the receipt"),
    "gift_card_added": _("New gift card {number} of {amount} added to the receipt"),
    "gift_card_topped_up": _("Top-up of {amount} on card {number} added to the receipt"),
    # -- orders ------------------------------------------------------------------------------
    "screen_orders": _("Sales orders"),
    "tile_orders": _("Orders"),
    "order_search_number": _("Order number"),
    "order_search_customer": _("Customer code"),
    "order_search_day": _("Date (made or expected)"),
    "order_find": _("Find orders"),
    "order_all": _("Show every state"),
    "order_empty": _("No order found"),
    "order_pick_one": _("Pick an order to see what remains"),
    "order_ordered": _("Ordered"),
    "order_fulfilled": _("Delivered"),
    "order_cancelled": _("Cancelled"),
    "order_remaining": _("Remaining"),
    "order_delivering": _("Now"),
    "order_fulfil_receipt": _("Fulfil on a receipt"),
    "order_fulfil_invoice": _("Fulfil on an invoice"),
    "order_scan": _("Scan to fulfil (Enter)"),
    "order_deposit": _("Deposit"),
    "order_take_deposit": _("Take the deposit"),
    "order_deposits": _("Deposits held"),
    "order_cancel": _("Cancel what remains"),
    # -- returns -----------------------------------------------------------------------------
    "screen_returns": _("Returns"),
    "tile_returns": _("Return"),
    "return_number_label": _("Receipt or invoice number (Enter)"),
    "return_hint": _("Scan or type the number of the receipt or invoice to return"),
    "return_find": _("Find"),
    "return_number_needed": _("Enter the receipt's or the invoice's number"),
    "return_unknown": _("There is no receipt or invoice numbered {number}"),
    "return_not_a_sale": _(
        "{number} is neither a receipt nor an invoice: only those can be returned"
    ),
    "return_nothing_left": _("Everything on {number} has already been returned"),
    "return_fiscal_pending": _(
        "Receipt {number} is not registered by the fiscal printer yet (fiscal pending): a return "
        "must refer to a fiscal receipt, settle it first"
    ),
    "return_sale_open": _(
        "A document is in progress: park, approve or discard it before the return"
    ),
    "return_other_open": _("The return of {number} is still open: pay it back or cancel it first"),
    "return_original": _("Original document"),
    "return_kind_receipt": _("Receipt"),
    "return_kind_invoice": _("Invoice"),
    "return_date": _("Date"),
    "return_customer": _("Customer"),
    "return_sold": _p("return_sold", "Sold"),
    "return_returned": _("Returned"),
    "return_left": _("Left"),
    "return_taking": _("Returning"),
    "return_empty": _("The original document's lines show here"),
    "return_quantity": _("Quantity to return"),
    "return_quantity_hint": _("Empty: all that is left"),
    "return_take": _("Return the line"),
    "return_put_back": _("Leave it out"),
    "return_select_line": _("Select a line of the original document"),
    "return_quantity_positive": _("The quantity to return must be above zero"),
    "return_too_many": _(
        "Line {position} ({name}): at most {left} {unit} can be returned (sold {sold}, already "
        "returned {returned}), not {quantity}"
    ),
    "return_line_done": _("Line {position} ({name}) has been returned in full already"),
    "return_line_not_taken": _("Line {position} is not on the return"),
    "return_total": _("Return total"),
    "return_refund": _("Pay back"),
    "return_cancel": _("Cancel the return"),
    "return_cancelled": _("Return cancelled"),
    "return_nothing_taken": _("Choose at least one line to return"),
    # -- the invoice of a paid receipt ---------------------------------------------------------
    "screen_invoices": _("Invoice of a receipt"),
    "tile_invoices": _("Invoice a receipt"),
    "invoice_hint": _(
        "The customer paid with a receipt and asks for an invoice: scan or type the receipt's "
        "number"
    ),
    "invoice_receipt_number": _("Receipt number"),
    "invoice_customer": _("Made out to"),
    "invoice_receipt_customer": _("The receipt's customer"),
    "invoice_receipt_customer_hint": _("the business the receipt names"),
    "invoice_issue": _("Issue the invoice"),
    "invoice_issued": _("Invoice {number} issued: paid by the receipt"),
    # -- common ------------------------------------------------------------------------------
    "yes": _("Yes"),
    "no": _("No"),
    "ok": _("OK"),
    "close": _p("close", "Close"),
    "cancel": _("Cancel"),
    "apply": _("Apply"),
    "save": _("Save"),
}

PERMISSIONS: dict[str, Text] = {
    "set_list_price": _("change a list price"),
    "sell_below_min_price": _("sell below the minimum price"),
    "close_day_with_difference": _("close with a difference"),
    "close_other_shift": _("close another cashier's shift"),
    "approve_buy_back": _("approve a buy-back"),
    "void_card_payment": _("void a card payment"),
    "manual_refund": _("manual refund"),
    "make_return": _("return goods"),
    "open_drawer": _("open the drawer"),
    "reprint": _("reprint (duplicate)"),
    "withdraw_from_safe": _("withdraw from the safe"),
    "edit_employees": _("edit employees"),
    "change_employee_password": _("change an employee's password"),
    "discount_above_limit": _("give a discount above one's limit"),
    "discard_document": _("discard a receipt above the limit"),
    "cancel_order": _("cancel a sales order"),
}


def text(locale: str, key: str, **params: Any) -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    return translate(entry.format(**params), locale)


def permission(locale: str, name: str) -> str:
    entry = PERMISSIONS.get(name)
    return translate(entry, locale) if entry is not None else name


def engine_message(locale: str, message: str) -> str:
    """An engine refusal given as plain English: its translation where the catalogs have it."""
    return translate(Text(message, source=Source.UNMARKED), locale)


def number(value: Decimal, locale: str, places: int) -> str:
    """`1234.5` as "1.234,50" (it) or "1,234.50" (en), with `places` decimals."""
    return format_decimal(value, locale, max(places, 0))


def money(value: Decimal | None, locale: str, places: int = 2) -> str:
    if value is None:
        return ""
    return format_money(value, locale, places)


def moment(value: datetime, locale: str) -> str:
    return format_datetime(value, locale)
