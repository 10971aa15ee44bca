"""Reverse charge and split payment at the till, as the pack's TaxMechanisms declare them.

Seeds: "Inversione contabile" and "Meccanismo della scissione dei pagamenti".

- **Reverse charge**: the item's flag is master data; a domestic business
  customer's flag may be changed at the till (`customer_editable_when`); the
  document's flag is copied from the customer whenever the customer changes and
  may be changed while the document is not approved (`editable_when`); a line's
  flag defaults from its item and may be changed while the document has it on.
  A line under reverse charge takes the pack's reverse-charge VAT rate (on a
  gross document its price keeps its net value). A document type the pack does
  not issue under reverse charge (a receipt) is refused at approval with the
  pack's message, which suggests an invoice (`issue_invoice_instead`).
- **Split payment**: each line carries its item's flag (again from the catalog
  whenever the document changes); the document's flag is set automatically
  whenever the document is saved or parked and the pack's `when` holds, kept when
  the operator set it and `editable_when` still holds, and cleared otherwise. The
  payment window's tender rules see it as `document.split_payment`. A pack that
  manages split payment turns reverse charge off for new documents.

`before_pricing`, `after_pricing` and `before_approval` are the till's hooks
(`Till._commit`, `Till.approve`); `TaxDesk` holds the operator's commands.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from cassa.engine.catalog import Customer, CustomerKind, Item
from cassa.engine.documents import Document, DocumentType, Line
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.lines import convert_price, list_price_for, pricing_line
from cassa.engine.messages import PackMessage
from cassa.engine.pricing.facts import FlatView, context_attributes, line_attributes
from cassa.engine.rules.conditions import Condition, evaluate
from cassa.engine.tax import PriceDirection
from cassa.engine.taxes._settings import Generated, ReverseCharge, TaxMechanisms, Wording, say
from cassa.i18n import _, wording

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = [
    "ConversionOffered",
    "GeneratedFlags",
    "PackMessage",
    "TaxDesk",
    "TaxRefused",
    "after_pricing",
    "before_approval",
    "before_pricing",
    "check_document_type",
    "document_mentions",
    "generated_flags",
    "mechanisms",
    "sale_view",
]

NO_MECHANISMS = TaxMechanisms()


class ConversionOffered(DocumentStateError):
    """The pack requires this document as another type: the till offers the conversion
    (`Till.taxes.convert(target)`) before any money moves."""

    code = "conversion_offered"

    def __init__(self, texts: Wording, target: str) -> None:
        self.target = target
        super().__init__(wording(dict(texts)))


class TaxRefused(DocumentStateError):
    """A refusal worded by the pack: `message` in English (or the pack's first language),
    `render(locale)` in any language the pack gives."""

    code = "tax_refused"

    def __init__(self, texts: Wording) -> None:
        self.wording = dict(texts)
        super().__init__(wording(self.wording))


def mechanisms(till: Till) -> TaxMechanisms:
    return till.pack.taxes or NO_MECHANISMS


def sale_view(till: Till, document: Document) -> FlatView:
    """The context the pack's conditions see, with `document.total` (gross, after discounts)."""
    sale = till.pricing.context(document, till.now())
    attributes = context_attributes(
        [pricing_line(line, till.catalog) for line in document.lines], sale
    )
    attributes["document.total"] = document.totals(till.currency).total
    return FlatView(attributes)


def _holds(condition: Condition, till: Till, document: Document) -> bool:
    return evaluate(condition, sale_view(till, document))


# -- the till's hooks ------------------------------------------------------------------------
def before_pricing(till: Till, document: Document) -> Document:
    """Flags and VAT of a document about to be priced and saved (every till command)."""
    mech = mechanisms(till)
    active = mech.reverse_charge_active
    declared = mech.reverse_charge
    previous = till.current if till.current is not None and till.current.id == document.id else None
    flag = document.reverse_charge
    before_flag = previous.reverse_charge if previous is not None else False
    if (previous.customer if previous is not None else None) != document.customer:
        # Seed: the flag always follows the customer chosen, whatever else is recalculated.
        customer = till.catalog.find_customer(document.customer)
        flag = bool(active is not None and customer is not None and customer.reverse_charge)
    if declared is None:
        flag = False
    known = {line.id: line for line in previous.lines} if previous is not None else {}
    reset = flag != before_flag
    lines: list[Line] = []
    changed = flag != document.reverse_charge
    for line in document.lines:
        item = till.catalog.item(line.sku) if line.sku else None
        reverse = line.reverse_charge
        if reset or line.id not in known:
            reverse = bool(item is not None and item.reverse_charge)
        reverse = reverse and flag and item is not None
        split = bool(item is not None and item.split_payment)
        new = line
        if (reverse, split) != (line.reverse_charge, line.split_payment):
            new = line.with_changes(reverse_charge=reverse, split_payment=split)
        before = known.get(line.id, line)
        if item is not None and (new.reverse_charge or before.reverse_charge):
            new = _with_vat(till, document, new, item, declared)
        changed = changed or new is not line
        lines.append(new)
    if not changed:
        return document
    return replace(document, reverse_charge=flag, lines=lines)


def _reverse_rate(rule: ReverseCharge, line: Line, till: Till) -> str:
    if rule.vat_rates:
        attributes = line_attributes(pricing_line(line, till.catalog), line.base_quantity)
        for candidate in rule.vat_rates:
            if evaluate(candidate.when, attributes):
                return candidate.vat_rate
    return rule.vat_rate


def _with_vat(
    till: Till, document: Document, line: Line, item: Item, rule: ReverseCharge | None
) -> Line:
    """The line with the VAT it must have: the reverse-charge rate, or its item's own when
    it leaves reverse charge (a line never under reverse charge keeps its VAT as it is)."""
    wanted = _reverse_rate(rule, line, till) if line.reverse_charge and rule else item.vat_code
    if wanted == line.vat_code:
        return line
    rate = till.country.vat_rate(wanted)
    price, source = line.list_price, line.price_source
    if document.direction is PriceDirection.GROSS:
        if line.reverse_charge or source == "manual":
            net = line.list_price / (1 + line.vat_percent / 100)
            price = till.currency.round(net * (1 + rate.percent / 100))
        else:  # back to the item's own rate: its price as the catalog gives it
            customer = till.catalog.find_customer(document.customer)
            price, source = list_price_for(
                item, customer, till.now().date(), till.catalog, till.country, document.direction
            )
    return line.with_changes(
        vat_code=rate.code, vat_percent=rate.percent, list_price=price, price_source=source
    )


def after_pricing(till: Till, document: Document) -> Document:
    """Split payment set, kept or cleared on a priced document about to be saved."""
    split = mechanisms(till).split_payment
    if split is None or document.type.value not in split.document_types:
        if document.split_payment or document.split_payment_manual:
            return replace(document, split_payment=False, split_payment_manual=False)
        return document
    fixed = _generated_split(till, document)
    if fixed is not None:  # the pack's `generated:` rule locks it (FV from S: always off)
        if (document.split_payment, document.split_payment_manual) == (fixed, fixed):
            return document
        return replace(document, split_payment=fixed, split_payment_manual=fixed)
    view = sale_view(till, document)
    if evaluate(split.when, view):
        on, manual = True, document.split_payment_manual
    elif document.split_payment and document.split_payment_manual:
        on = manual = evaluate(split.editable_when, view)
    else:
        on = manual = False
    if (on, manual) == (document.split_payment, document.split_payment_manual):
        return document
    return replace(document, split_payment=on, split_payment_manual=manual)


def _generated_split(till: Till, document: Document) -> bool | None:
    """The split payment of a document generated from another when the pack's rule for
    the pair locks it (neither the conditions nor the operator change it), else None."""
    if document.origin_id is None:
        return None
    origin = till.documents.load(document.origin_id)
    flags = generated_flags(mechanisms(till), origin, document.type.value)
    return None if flags.split_payment_editable else flags.split_payment


def before_approval(till: Till, document: Document) -> Document:
    """Refuse a document type the pack does not issue under reverse charge; check split
    payment once more (seed: the approval verifies the conditions of the automatic flag)."""
    rule = mechanisms(till).reverse_charge
    if any(line.reverse_charge for line in document.lines) and (
        rule is None or document.type.value not in rule.document_types
    ):
        if rule is None:
            raise DocumentStateError(
                _(
                    "a {value} with lines under reverse charge cannot be approved",
                    value=document.type.value,
                )
            )
        raise TaxRefused(rule.refused)
    check_document_type(till, document)
    return after_pricing(till, document)


def check_document_type(till: Till, document: Document) -> None:
    """Refuse, offering the conversion, a document the pack requires as another type."""
    required = mechanisms(till).invoice_required
    if (
        required is not None
        and document.lines
        and document.type.value in required.document_types
        and _holds(required.when, till, document)
    ):
        raise ConversionOffered(required.message, required.becomes)


# -- generated documents and printouts -----------------------------------------------------
@dataclass(frozen=True)
class GeneratedFlags:
    reverse_charge: bool
    reverse_charge_editable: bool
    split_payment: bool
    split_payment_editable: bool


def generated_flags(mech: TaxMechanisms, source: Document, target: str) -> GeneratedFlags:
    """The flags of a document of type `target` generated from `source` (seed: "Durante la
    generazione"): copied and editable, copied and locked, off, or off by default and
    editable, as the pack says; a combination the pack does not name copies the flag and
    leaves it editable."""

    def rule(entries: Collection[Generated], value: bool) -> tuple[bool, bool]:
        for entry in entries:
            if entry.source == source.type.value and entry.target == target:
                if entry.flag in ("off", "off_editable"):
                    return False, entry.flag == "off_editable"
                return value, entry.flag == "copy"
        return value, True

    reverse = mech.reverse_charge_active
    split = mech.split_payment
    rc, rc_editable = rule(reverse.generated, source.reverse_charge) if reverse else (False, False)
    sp, sp_editable = rule(split.generated, source.split_payment) if split else (False, False)
    return GeneratedFlags(rc, rc_editable, sp, sp_editable)


def document_mentions(
    mech: TaxMechanisms,
    document: Document,
    *,
    payment_currencies: Collection[str] = (),
    locale: str = "en",
) -> list[str]:
    """The printed mentions: the reverse-charge note, the split-payment mention (seed: when
    at least one payment, or the unpaid document, is in one of the mention's currencies)."""
    mentions = []
    rule = mech.reverse_charge
    if rule is not None and any(line.reverse_charge for line in document.lines):
        mentions.append(say(rule.note, locale))
    split = mech.split_payment
    if split is not None and document.split_payment:
        currencies = set(payment_currencies) or {document.currency}
        if not split.mention_currencies or currencies & split.mention_currencies:
            mentions.append(say(split.mention, locale))
    return mentions


# -- the operator's commands -----------------------------------------------------------------
class TaxDesk:
    """Reverse charge and split payment commands of one till (`Till.taxes`)."""

    def __init__(self, till: Till) -> None:
        self.till = till

    @property
    def mechanisms(self) -> TaxMechanisms:
        return mechanisms(self.till)

    def _reverse_charge(self) -> ReverseCharge:
        mech = self.mechanisms
        if mech.reverse_charge_active is not None:
            return mech.reverse_charge_active
        if mech.reverse_charge is not None:
            raise InvalidInput(
                _(
                    "reverse charge is off for new documents in pack {name}: "
                    "split payment replaced it",
                    name=self.till.pack.name,
                )
            )
        raise InvalidInput(
            _("pack {name} does not manage reverse charge", name=self.till.pack.name)
        )

    def convert(self, target: str) -> Document:
        """Issue the open document as `target` (the conversion the pack offers): the same
        lines, customer and discounts, list prices in the target's price direction."""
        till = self.till
        kind = DocumentType(target)
        document = till._editable_copy()
        if document.type is kind:
            return document
        if kind not in (DocumentType.RECEIPT, DocumentType.INVOICE) or document.type.is_return:
            raise InvalidInput(
                _(
                    "a {value} cannot become a {value2}",
                    value=document.type.value,
                    value2=kind.value,
                )
            )
        customer = till.catalog.customer(document.customer) if document.customer else None
        document.type = kind
        document.direction = till.country.direction_for(kind.value)
        document.lines = [till._list_priced(line, customer, document) for line in document.lines]
        till._commit(document)
        return document

    def set_reverse_charge(self, on: bool) -> Document:
        """Turn the document's reverse charge on or off (only while it is not approved)."""
        rule = self._reverse_charge()
        till = self.till
        document = till._editable_copy()
        if document.reverse_charge == on:
            return document
        if not _holds(rule.editable_when, till, document):
            raise InvalidInput(
                _(
                    "the reverse charge of this document cannot be changed (the "
                    "pack allows it for domestic transactions only)"
                )
            )
        return till._commit(replace(document, reverse_charge=on))

    def set_line_reverse_charge(self, position: int, on: bool) -> Line:
        """Turn a line's reverse charge on or off: its VAT rate follows."""
        self._reverse_charge()
        till = self.till
        document = till._editable_copy()
        line = document.line_at(position)
        if on and not document.reverse_charge:
            raise InvalidInput(
                _(
                    "turn the document's reverse charge on first: a line's flag "
                    "may be changed only on a document under reverse charge"
                )
            )
        if on and line.sku is None:
            raise InvalidInput(_("a non-coded line cannot be under reverse charge"))
        document.replace_line(position, line.with_changes(reverse_charge=on))
        return till._commit(document).lines[position - 1]

    def set_customer_reverse_charge(self, code: str, on: bool) -> Customer:
        """Change a customer's reverse-charge flag (seed: a domestic business customer's)."""
        rule = self._reverse_charge()
        till = self.till
        customer = till.catalog.customer(code)
        probe = replace(
            till.document() if till.current is not None else _blank(till), customer=code
        )
        if customer.kind is not CustomerKind.BUSINESS or not _holds(
            rule.customer_editable_when, till, probe
        ):
            raise InvalidInput(
                _(
                    "the reverse charge of customer {code} cannot be changed: "
                    "only a domestic business customer's can",
                    code=code,
                )
            )
        changed = replace(customer, reverse_charge=on)
        till.catalog.save_customer(changed)
        return changed

    def set_split_payment(self, on: bool) -> Document:
        """Set or clear split payment by hand, under the pack's `editable_when` (seed: not
        approved, a business customer, no line under reverse charge)."""
        till = self.till
        split = self.mechanisms.split_payment
        if split is None:
            raise InvalidInput(_("pack {name} does not manage split payment", name=till.pack.name))
        document = till._editable_copy()
        if document.type.value not in split.document_types:
            raise InvalidInput(
                _("a {value} does not carry split payment", value=document.type.value)
            )
        if document.split_payment == on:
            return document
        if not _holds(split.editable_when, till, document):
            raise InvalidInput(
                _(
                    "split payment cannot be changed on this document: it needs "
                    "a business customer and no line under reverse charge"
                )
            )
        if not on and _holds(split.when, till, document):
            raise InvalidInput(
                _("split payment is mandatory for this document (the pack's conditions hold)")
            )
        return till._commit(replace(document, split_payment=on, split_payment_manual=on))

    def issue_invoice_instead(self) -> Document:
        """Turn the open receipt into an invoice for its customer (the answer "yes" to the
        seed's question when a receipt under reverse charge is refused)."""
        till = self.till
        document = till._editable_copy()
        if document.type is not DocumentType.RECEIPT:
            raise InvalidInput(
                _("the document is a {value}, not a receipt", value=document.type.value)
            )
        if document.customer is None:
            raise InvalidInput(_("an invoice needs a customer: choose one first"))
        direction = till.country.direction_for(DocumentType.INVOICE.value)
        lines = [
            line.with_changes(
                list_price=convert_price(
                    line.list_price, document.direction, direction, line.vat_percent, till.country
                )
            )
            for line in document.lines
        ]
        invoice = replace(document, type=DocumentType.INVOICE, direction=direction, lines=lines)
        return till._commit(invoice)

    def mentions(self, document: Document | None = None, locale: str = "en") -> list[str]:
        return document_mentions(self.mechanisms, document or self.till.document(), locale=locale)


def _blank(till: Till) -> Document:
    return Document(
        id="",
        type=DocumentType.INVOICE,
        store=till.store.code,
        till=till.code,
        currency=till.currency.code,
        direction=till.country.direction_for("invoice"),
        created_at=till.now(),
        operator=till.operator,
    )
