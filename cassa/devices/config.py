"""A till's device configuration, read from a YAML file validated by devices.schema.json.

```yaml
apiVersion: cassa/v1
kind: Devices
till: T01
printer: {backend: network, host: 192.168.1.50, port: 9100, profile: TM-T88V, paper_width: 80}
drawer: {pin: 2, pulse_ms: 100, open_for_tenders: [cash]}
display: {device: /dev/ttyUSB1, idle: ["Benvenuti", "Bottega Demo"]}
scanner: {device: /dev/ttyUSB2, suffix: CR}
fiscal_printer: {kind: epson_rt, url: "http://192.168.1.60/cgi-bin/fpmate.cgi"}
payment_terminal: {host: 192.168.1.70, port: 9101}
print_rules: {omit_receipt_up_to: 10.00}
signing: {key: /etc/cassa/T01.key}  # Ed25519 PEM, mode 0600; create: true makes it at first start
```
Every problem is reported as `file:line:col: /pointer: message`, all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.engine.schemas import validate_document
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml

__all__ = [
    "DEFAULT_CODE_PAGES",
    "DevicesConfig",
    "DisplayConfig",
    "DrawerConfig",
    "FiscalPrinterConfig",
    "FiscalTender",
    "PrintRules",
    "PrinterConfig",
    "ScannerConfig",
    "SigningConfig",
    "TerminalConfig",
    "devices_from_data",
    "load_devices",
]

# CP858 is CP850 with the euro sign: à è é ç € and most Western letters.
# CP852 holds the Central European letters (ł ż ś ć ń ą ę) that CP858 lacks.
DEFAULT_CODE_PAGES = ("CP858", "CP852")

# Departments as commonly programmed on Italian RT printers: one per VAT rate.
DEFAULT_DEPARTMENTS = {"22": 1, "10": 2, "4": 3, "5": 4}


@dataclass(frozen=True)
class PrinterConfig:
    backend: str = "simulator"
    host: str = ""
    port: int = 9100
    device: str = ""
    baudrate: int = 9600
    vendor_id: int = 0
    product_id: int = 0
    output: str = ""
    timeout: float = 5.0
    profile: str = "TM-T88V"
    paper_width: int = 80
    columns: int | None = None
    code_pages: tuple[str, ...] = DEFAULT_CODE_PAGES
    layouts: Path | None = None
    barcode: str = "code128"
    qr: bool = True


@dataclass(frozen=True)
class DrawerConfig:
    pin: int = 2
    pulse_ms: int = 100
    off_ms: int = 100
    open_for_tenders: tuple[str, ...] = ("cash",)


@dataclass(frozen=True)
class DisplayConfig:
    device: str
    baudrate: int = 9600
    columns: int = 20
    code_page: str = "CP858"
    idle: tuple[str, ...] = ("Benvenuti", "")


@dataclass(frozen=True)
class ScannerConfig:
    device: str
    baudrate: int = 9600
    suffix: str = "CR"


@dataclass(frozen=True)
class FiscalTender:
    payment_type: int
    index: int = 0
    description: str = ""


DEFAULT_FISCAL_TENDERS = {
    "cash": FiscalTender(0, 0, "CONTANTI"),
    "cheque": FiscalTender(1, 0, "ASSEGNO"),
    "card": FiscalTender(2, 1, "PAGAMENTO ELETTRONICO"),
    "voucher": FiscalTender(3, 1, "TICKET"),
    # the part of a sale settled by what it bought back (cassa.engine.buyback): the RT's
    # "sconto a pagare", which leaves the receipt's value and VAT whole
    "buy_back": FiscalTender(6, 0, "RIACQUISTO"),
}


@dataclass(frozen=True)
class FiscalPrinterConfig:
    url: str
    kind: str = "epson_rt"
    timeout: float = 10.0
    operator: str = "1"
    serial_number: str = ""
    # the devices file's own numbers; the pack's (`with_pack_defaults`) fill the gaps,
    # then the common programming (DEFAULT_DEPARTMENTS)
    departments: dict[str, int] = field(default_factory=dict)
    tenders: dict[str, FiscalTender] = field(default_factory=lambda: dict(DEFAULT_FISCAL_TENDERS))

    def department(self, vat_code: str) -> int | None:
        return self.departments.get(vat_code, DEFAULT_DEPARTMENTS.get(vat_code))


@dataclass(frozen=True)
class TerminalConfig:
    host: str
    port: int
    timeout: float = 60.0


@dataclass(frozen=True)
class PrintRules:
    omit_receipt_up_to: Decimal | None = None


@dataclass(frozen=True)
class SigningConfig:
    """The till's key that signs its fiscal chain: a PEM file only its owner may read."""

    key: Path
    create: bool = False  # make the key at the first start when the file does not exist


@dataclass(frozen=True)
class DevicesConfig:
    till: str
    language: str | None = None  # of the paper and display; default: the country pack's
    printer: PrinterConfig | None = None
    drawer: DrawerConfig | None = None
    display: DisplayConfig | None = None
    scanner: ScannerConfig | None = None
    fiscal_printer: FiscalPrinterConfig | None = None
    payment_terminal: TerminalConfig | None = None
    print_rules: PrintRules = field(default_factory=PrintRules)
    signing: SigningConfig | None = None
    source: str = ""


def load_devices(path: Path | str) -> DevicesConfig:
    """Read and validate a devices file; raise DataFileError listing every problem."""
    documents = load_yaml(path)
    if len(documents) != 1:
        raise DataFileError(
            [Problem(str(path), 1, 1, "", "a devices file holds exactly one YAML document")]
        )
    return devices_from_data(documents[0], base=Path(path).parent)


def devices_from_data(document: SourceDocument, base: Path | None = None) -> DevicesConfig:
    problems = validate_document(document, "devices")
    if problems:
        raise DataFileError(problems)
    data: dict[str, Any] = document.data
    base = base or Path(".")
    printer = data.get("printer")
    fiscal = data.get("fiscal_printer")
    rules = data.get("print_rules") or {}
    return DevicesConfig(
        till=data["till"],
        language=data.get("language"),
        printer=_printer(printer, base) if printer is not None else None,
        drawer=_drawer(data["drawer"]) if "drawer" in data else None,
        display=_display(data["display"]) if "display" in data else None,
        scanner=ScannerConfig(**data["scanner"]) if "scanner" in data else None,
        fiscal_printer=_fiscal(fiscal) if fiscal is not None else None,
        payment_terminal=_terminal(data["payment_terminal"])
        if "payment_terminal" in data
        else None,
        print_rules=PrintRules(
            omit_receipt_up_to=Decimal(str(rules["omit_receipt_up_to"]))
            if "omit_receipt_up_to" in rules
            else None
        ),
        signing=SigningConfig(
            key=(base / data["signing"]["key"]).resolve(),
            create=bool(data["signing"].get("create", False)),
        )
        if "signing" in data
        else None,
        source=document.file,
    )


def _printer(spec: dict[str, Any], base: Path) -> PrinterConfig:
    values = dict(spec)
    if "code_pages" in values:
        values["code_pages"] = tuple(values["code_pages"])
    if "timeout" in values:
        values["timeout"] = float(values["timeout"])
    if "layouts" in values:
        values["layouts"] = (base / values["layouts"]).resolve()
    if "output" in values:
        values["output"] = str(base / values["output"])
    return PrinterConfig(**values)


def _drawer(spec: dict[str, Any]) -> DrawerConfig:
    values = dict(spec)
    if "open_for_tenders" in values:
        values["open_for_tenders"] = tuple(values["open_for_tenders"])
    return DrawerConfig(**values)


def _display(spec: dict[str, Any]) -> DisplayConfig:
    values = dict(spec)
    if "idle" in values:
        values["idle"] = tuple(values["idle"])
    return DisplayConfig(**values)


def _fiscal(spec: dict[str, Any]) -> FiscalPrinterConfig:
    tenders = dict(DEFAULT_FISCAL_TENDERS)
    tenders.update({code: FiscalTender(**t) for code, t in spec.get("tenders", {}).items()})
    departments = dict(spec.get("departments", {}))
    return FiscalPrinterConfig(
        url=spec["url"],
        kind=spec["kind"],
        timeout=float(spec.get("timeout", 10)),
        operator=spec.get("operator", "1"),
        serial_number=spec.get("serial_number", ""),
        departments=departments,
        tenders=tenders,
    )


def _terminal(spec: dict[str, Any]) -> TerminalConfig:
    return TerminalConfig(spec["host"], spec["port"], float(spec.get("timeout", 60)))
