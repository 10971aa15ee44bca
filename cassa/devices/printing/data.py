"""What a layout prints: the fields, lists and item lines of one document.

A layout (receipt.yaml, cash_in.yaml, …) refers to fields as `{store.name}`
and to lists through `rows` blocks (`source: payments`). The builders here
turn a sale (or a cash movement, a shift closing, a report) into that data:

- `sale_data(document, totals, country, header, payments=[Payment("cash", 50)], change=…)`
  payments are optional (tender code, tendered amount); change defaults to
  what was tendered above the total;
- `cash_movement_data(CashMovement(...))`, `shift_closing_data(ShiftClosing(...))`,
  `report_data(Report(...))`.

Amounts are Decimal, written for the paper's locale by Babel from CLDR with the
currency's decimals, exactly as the screen writes them ("1.234,50" in Italian,
"1 234,50" in French and Polish); CLDR's no-break spaces print as plain spaces,
which every printer code page has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from cassa.engine.country import CountrySettings
from cassa.engine.documents import Document, DocumentTotals, DocumentType, total_quantity
from cassa.engine.money import Currency
from cassa.engine.receipt_text import WORDS, ReceiptHeader
from cassa.i18n import format_date, format_decimal, format_time, locale_for, translate

__all__ = [
    "FIELDS",
    "LISTS",
    "WORDS",
    "CashMovement",
    "Payment",
    "PrintData",
    "PrintLine",
    "Report",
    "ShiftClosing",
    "TenderCount",
    "cash_movement_data",
    "paper_money",
    "paper_text",
    "report_data",
    "sale_data",
    "shift_closing_data",
    "words_for",
]


_COMMON_FIELDS = (
    "store.name",
    "store.address",
    "store.vat_number",
    "document.title",
    "document.number",
    "document.date",
    "document.time",
    "document.operator",
    "document.till",
    "currency",
    "copy",
)
# The fields and lists each kind of layout may use; a layout naming any other
# is refused when it loads, not when the till prints.
FIELDS: dict[str, tuple[str, ...]] = {
    "receipt": (
        *_COMMON_FIELDS,
        "document.draft",
        "customer.line",
        "total",
        "net_total",
        "vat_total",
        "discount_total",
        "total_quantity",
        "change",
        "refund",  # a return: the money paid back, as a positive amount
        "document.signature",  # fiscal integrity: the signature's short form (cassa.engine.fiscal)
        "document.duplicate",  # fiscal integrity: a duplicate's own number
        "tse.qr",  # Germany: the TSE transaction's QR code (DSFinV-K)
    ),
    "cash_in": (*_COMMON_FIELDS, "amount", "tender", "reason", "counterpart"),
    "shift_closing": (
        *_COMMON_FIELDS,
        "opened_at",
        "closed_at",
        "opening_float",
        "documents",
        "sales_total",
        "withdrawal",
    ),
    "report": (*_COMMON_FIELDS, "period", "report.scope"),
}
FIELDS["invoice"] = FIELDS["receipt"]
FIELDS["cash_out"] = FIELDS["cash_in"]
LISTS: dict[str, dict[str, tuple[str, ...]]] = {
    "receipt": {
        "tse": ("label", "value"),  # Germany: the TSE's answer, as the pack names its fields
        "header": ("text",),  # the country's fixed lines under the store's name
        "footer": ("text",),  # and at the end
        "vat": ("label", "net", "vat", "gross"),
        "payments": ("label", "tender", "amount"),
        "discounts": ("label", "amount"),
        "mentions": ("text",),  # reverse-charge note, split-payment mention (country packs)
    },
    "cash_in": {},
    "shift_closing": {"tenders": ("label", "expected", "counted", "difference")},
    "report": {"rows": ("label", "value")},
}
LISTS["invoice"] = LISTS["receipt"]
LISTS["cash_out"] = LISTS["cash_in"]


def words_for(language: str) -> dict[str, str]:
    """The printed words in `language` (a locale: its language's words)."""
    return {key: translate(text, language) for key, text in WORDS.items()}


@dataclass(frozen=True)
class Payment:
    """One tender used to pay: what the customer handed over, in the document's currency."""

    tender: str  # cash, card, voucher, … (the tender's code)
    amount: Decimal  # tendered
    label: str = ""  # shown on paper; default: the word for the tender code


@dataclass(frozen=True)
class PrintLine:
    name: str
    vat_label: str
    detail: str  # "2 pz x 1.50"
    amount: str
    adjustments: tuple[tuple[str, str], ...] = ()  # (label, "-0.50")
    note: str = ""
    properties: str = ""  # the lot's property values as the catalog names them: "Colore: Beige"


@dataclass(frozen=True)
class PrintData:
    kind: str  # receipt, invoice, cash_in, cash_out, shift_closing, report
    language: str
    fields: Mapping[str, str]
    lists: Mapping[str, Sequence[Mapping[str, str]]] = field(default_factory=dict)
    lines: Sequence[PrintLine] = ()
    copy: int = 1  # 1 for the original; every later copy prints as a duplicate

    def with_copy(self, copy: int) -> PrintData:
        fields = dict(self.fields)
        fields["copy"] = str(copy)
        return PrintData(self.kind, self.language, fields, self.lists, self.lines, copy)


# CLDR separates groups (fr, pl) and units with no-break spaces, which code pages lack
_PLAIN_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def paper_text(text: str) -> str:
    """`text` with CLDR's no-break spaces as plain spaces, as a printer prints it."""
    return text.translate(_PLAIN_SPACES)


def paper_money(currency: Currency, locale: str) -> Callable[[Decimal], str]:
    """The function writing an amount of `currency` on paper in `locale`: rounded as the
    currency rounds, with its decimals, grouped as the locale groups."""

    def written(amount: Decimal) -> str:
        return paper_text(format_decimal(currency.round(amount), locale, currency.minor_units))

    return written


def _moment(moment: datetime, timezone: str, locale: str = "it") -> tuple[str, str]:
    local = moment.astimezone(ZoneInfo(timezone))
    return paper_text(format_date(local, locale)), paper_text(format_time(local, locale))


def _plain(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _rate_label(code: str) -> str:
    return f"{code}%" if _is_number(code) else code


def _total_quantity(document: Document, totals: DocumentTotals) -> str:
    if not document.type.is_return:
        return str(totals.total_quantity)
    # the seeds' count leaves negative quantities out: a return counts what comes back
    back = [line.with_changes(quantity=-line.quantity) for line in document.lines]
    return str(-total_quantity(back))


def _header_fields(
    header: ReceiptHeader, title: str, number: str, moment: datetime, locale: str = "it"
) -> dict[str, str]:
    day, time = _moment(moment, header.timezone, locale)
    return {
        "store.name": header.name,
        "store.address": header.address,
        "store.vat_number": header.vat_number,
        "document.title": title,
        "document.number": number,
        "document.date": day,
        "document.time": time,
        "copy": "1",
    }


def sale_data(
    document: Document,
    totals: DocumentTotals,
    country: CountrySettings,
    header: ReceiptHeader,
    *,
    payments: Sequence[Payment] = (),
    change: Decimal | None = None,
    language: str | None = None,
    customer_line: str = "",
    mentions: Sequence[str] = (),
    origin_at: datetime | None = None,
) -> PrintData:
    """A receipt or invoice as layout data: header, lines, VAT summary, payments, discounts
    and the mentions a country pack requires (reverse charge, split payment). A return
    prints as its original's kind, titled with the original's number and date
    (`origin_at`), and says what was paid back; an invoice of a receipt names the receipt
    that paid it."""
    language = language or country.receipt_locale
    words = words_for(language)
    currency = country.currency
    locale = locale_for(language, country.code)  # English at an Italian till: Italian numbers
    money = paper_money(currency, locale)
    invoices = (DocumentType.INVOICE, DocumentType.INVOICE_RETURN)
    kind = "invoice" if document.type in invoices else "receipt"
    declared = country.documents.get(document.type.value)
    own_title = declared.title_text() if declared is not None else None
    title = words[kind]
    if own_title is not None:  # the country's own title, as it is
        title = translate(own_title, language)
    elif document.type is DocumentType.MANUAL_CORRECTION:  # what a sale bought back
        title = f"{words[document.type.value]} {document.origin_number or ''}".rstrip()
    elif document.type.is_return:
        title = f"{words[document.type.value]} {document.origin_number or ''}".rstrip()
        if origin_at is not None:
            title += f" {words['dated']} {_moment(origin_at, header.timezone, locale)[0]}"
    paid_by: list[str] = []
    if document.paid_by_origin and document.origin_number:  # an invoice of a paid receipt
        day = _moment(origin_at, header.timezone, locale)[0] if origin_at is not None else ""
        paid_by.append(words["paid_by"].format(number=document.origin_number, day=day))
    fields = _header_fields(
        header,
        title,
        document.number or "",
        document.approved_at or document.created_at,
        locale,
    )
    legal = [translate(m, language) for m in declared.mention_texts()] if declared else []
    tendered = sum((p.amount for p in payments), Decimal(0))
    if change is None:
        change = max(tendered - totals.total, Decimal(0)) if payments else Decimal(0)
    fields |= {
        "document.operator": document.operator,
        "document.till": document.till,
        "document.draft": "" if document.number else words["draft"],
        "customer.line": customer_line,
        "currency": currency.code,
        "total": money(totals.total),
        "net_total": money(totals.net_total),
        "vat_total": money(totals.vat_total),
        "discount_total": money(totals.discount_total) if totals.discount_total else "",
        "total_quantity": _total_quantity(document, totals),
        "change": money(change) if change else "",
        "refund": money(-totals.total) if document.type.is_return else "",
    }
    lines = []
    discounts: dict[str, Decimal] = {}
    for t in totals.lines:
        line = t.line
        if line.base_unit and line.base_unit != line.unit:
            shown = f"{_plain(line.quantity)} {line.unit}"
            quantity = f"{_plain(line.base_quantity)} {line.base_unit} ({shown})"
        else:
            quantity = f"{_plain(line.quantity)} {line.unit}"
        adjustments = []
        for adjustment in line.adjustments:
            label = adjustment.label or words["discount"]
            # a return's discounts are negative: they come back as a plus
            adjustments.append((label, money(-adjustment.amount)))
            discounts[label] = discounts.get(label, Decimal(0)) + adjustment.amount
        lines.append(
            PrintLine(
                name=line.name,
                vat_label=_rate_label(line.vat_code),
                detail=f"{quantity} x {money(line.list_price)}",
                amount=money(t.gross_amount),
                adjustments=tuple(adjustments),
                note=line.note,
                properties=", ".join(f"{name}: {value}" for name, value in line.lot_properties),
            )
        )
    lists = {
        "vat": [
            {
                "label": f"{words['vat']} {_rate_label(s.rate.code)}",
                "net": money(s.net),
                "vat": money(s.vat),
                "gross": money(s.gross),
            }
            for s in totals.vat
        ],
        "payments": [
            {
                "label": p.label or words.get(p.tender, p.tender),
                "tender": p.tender,
                "amount": money(p.amount),
            }
            for p in payments
        ],
        "discounts": [
            {"label": label, "amount": money(-amount)} for label, amount in discounts.items()
        ],
        "mentions": [{"text": text} for text in (*paid_by, *mentions, *legal)],
        "header": [
            {"text": translate(t, language)} for t in (declared.header_texts() if declared else ())
        ],
        "footer": [
            {"text": translate(t, language)} for t in (declared.footer_texts() if declared else ())
        ],
    }
    return PrintData(kind, language, fields, lists, lines)


@dataclass(frozen=True)
class CashMovement:
    """A cash in (versamento) or cash out (prelievo) slip."""

    kind: str  # cash_in or cash_out
    number: str
    till: str
    operator: str
    at: datetime
    amount: Decimal
    currency: Currency
    tender: str = "cash"
    reason: str = ""
    counterpart: str = ""


def cash_movement_data(
    movement: CashMovement, header: ReceiptHeader, language: str = "it"
) -> PrintData:
    if movement.kind not in ("cash_in", "cash_out"):
        raise ValueError(f"a cash movement is cash_in or cash_out, not {movement.kind!r}")
    words = words_for(language)
    fields = _header_fields(header, words[movement.kind], movement.number, movement.at, language)
    fields |= {
        "document.operator": movement.operator,
        "document.till": movement.till,
        "currency": movement.currency.code,
        "amount": paper_money(movement.currency, language)(movement.amount),
        "tender": words.get(movement.tender, movement.tender),
        "reason": movement.reason,
        "counterpart": movement.counterpart,
    }
    return PrintData(movement.kind, language, fields)


@dataclass(frozen=True)
class TenderCount:
    tender: str
    expected: Decimal
    counted: Decimal | None = None


@dataclass(frozen=True)
class ShiftClosing:
    number: str
    till: str
    operator: str
    opened_at: datetime
    closed_at: datetime
    currency: Currency
    opening_float: Decimal
    documents: int
    sales_total: Decimal
    tenders: Sequence[TenderCount] = ()
    withdrawal: Decimal | None = None
    title: str = ""  # a day's closing says so; by default the shift closing's title


def shift_closing_data(
    closing: ShiftClosing, header: ReceiptHeader, language: str = "it"
) -> PrintData:
    words = words_for(language)
    money = paper_money(closing.currency, language)
    title = closing.title or words["shift_closing"]
    fields = _header_fields(header, title, closing.number, closing.closed_at, language)
    opened_day, opened_time = _moment(closing.opened_at, header.timezone, language)
    closed_day, closed_time = _moment(closing.closed_at, header.timezone, language)
    fields |= {
        "document.operator": closing.operator,
        "document.till": closing.till,
        "currency": closing.currency.code,
        "opened_at": f"{opened_day} {opened_time}",
        "closed_at": f"{closed_day} {closed_time}",
        "opening_float": money(closing.opening_float),
        "documents": str(closing.documents),
        "sales_total": money(closing.sales_total),
        "withdrawal": money(closing.withdrawal) if closing.withdrawal is not None else "",
    }
    tenders = [
        {
            "label": words.get(t.tender, t.tender),
            "expected": money(t.expected),
            "counted": money(t.counted) if t.counted is not None else "",
            "difference": money(t.counted - t.expected) if t.counted is not None else "",
        }
        for t in closing.tenders
    ]
    return PrintData("shift_closing", language, fields, {"tenders": tenders})


@dataclass(frozen=True)
class Report:
    """Any report as labelled values (till summary, sales by category, …)."""

    title: str
    number: str
    till: str
    operator: str
    at: datetime
    rows: Sequence[tuple[str, str]]
    period: str = ""
    currency: str = ""
    scope: str = ""  # what the report is of, as printed: "Cassa T01", "Negozio MI01"


def report_data(report: Report, header: ReceiptHeader, language: str = "it") -> PrintData:
    fields = _header_fields(header, report.title, report.number, report.at, language)
    fields |= {
        "document.operator": report.operator,
        "document.till": report.till,
        "report.scope": report.scope or report.till,
        "currency": report.currency,
        "period": report.period,
    }
    rows = [{"label": label, "value": value} for label, value in report.rows]
    return PrintData("report", language, fields, {"rows": rows})
