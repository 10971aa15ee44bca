"""Rule packs: folders of YAML documents, each with a `kind`, layered by `extends`.

A pack folder holds `pack.yaml` (kind Pack: its name and the pack it extends)
and any number of other `*.yaml` files. Files named `*.test.yaml` are the pack's
scenario tests, not part of it. The loader reads the whole chain, base first,
validates every document against the schema of its kind and raises one
DataFileError listing every problem: a pack with an error is never used.

Loading is bounded so that no folder can stop a till: at most `MAX_FILES`
files and `MAX_BYTES` bytes per pack, only regular files (see
`cassa.engine.yamlsource`), and at most `MAX_CPU_SECONDS` of the loading
thread's processor time — processor time, so a busy machine does not refuse a
pack that a quiet one accepts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cassa.engine.packvalues import document_problems, pack_level_problems
from cassa.engine.schemas import validate_document
from cassa.engine.yamlsource import (
    MAX_FILE_BYTES,
    DataFileError,
    Problem,
    SourceDocument,
    load_yaml,
)

__all__ = [
    "API_VERSION",
    "KIND_SCHEMAS",
    "MAX_BYTES",
    "MAX_CPU_SECONDS",
    "MAX_FILES",
    "Pack",
    "load_pack",
    "resolve_pack_path",
]

MAX_FILES = 1_000  # YAML files in one pack folder
MAX_BYTES = 128 * 1024 * 1024  # all of one pack folder's YAML files together
MAX_CPU_SECONDS = 120.0  # a 20,000-rule pack loads in a few seconds

API_VERSION = "cassa/v1"
KIND_SCHEMAS = {
    "Pack": "pack",
    "Currencies": "currencies",
    "Country": "country",
    "Promotions": "promotions",
    "Coupons": "coupons",
    "PriceGuards": "price-guards",
    "Roles": "roles",
    "StockRules": "stock-rules",  # negative stock per item group (cassa.engine.stock)
    "Security": "security",
    "Tenders": "tenders",
    "TenderRules": "tender-rules",
    "CashRules": "cash-rules",
    "SafeRules": "safe-rules",
    "ViewLayout": "view-layout",
    "TaxMechanisms": "tax-mechanisms",  # reverse charge, split payment (cassa.engine.taxes)
    "FiscalRules": "fiscal-rules",  # fiscal printer, hash chain, closings (cassa.engine.fiscal)
    "Orders": "orders",  # deposits on orders and cancelling them (cassa.engine.orders)
    "TaxFree": "tax-free",  # TAX FREE forms for travellers (cassa.engine.taxfree)
}


@dataclass(frozen=True)  # shared by every till of a process (loaded once per content)
class Pack:
    name: str
    path: Path
    chain: list[str] = field(default_factory=list)  # pack names, base first
    documents: list[SourceDocument] = field(default_factory=list)  # base first
    warnings: list[Problem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[SourceDocument]:
        return [d for d in self.documents if d.data.get("kind") == kind]


def shipped_packs_dir() -> Path:
    return Path(str(resources.files("cassa.rules")))


def _has_pack(folder: Path) -> bool:
    try:
        return (folder / "pack.yaml").exists()
    except OSError:  # a name too long for the file system, or a folder that cannot be read
        return False


def resolve_pack_path(reference: str | Path, relative_to: Path | None = None) -> Path:
    """A pack given as a folder path, or as the name of a pack that ships with Cassa."""
    candidate = Path(reference)
    if relative_to is not None and not candidate.is_absolute():
        near = (relative_to / candidate).resolve()
        if _has_pack(near):
            return near
    if _has_pack(candidate):
        return candidate.resolve()
    shipped = shipped_packs_dir() / str(reference)
    if _has_pack(shipped):
        return shipped
    if candidate.parts[:1] == ("rules",):  # `rules/it`: the layout's name for the shipped packs
        shipped = shipped_packs_dir().joinpath(*candidate.parts[1:])
        if _has_pack(shipped):
            return shipped
    raise DataFileError(
        [Problem(str(reference), 1, 1, "", "no rule pack here (a pack is a folder with pack.yaml)")]
    )


def load_pack(reference: str | Path, *, problems_out: list[Problem] | None = None) -> Pack:
    """Load a pack chain. Without `problems_out` any problem raises; with it,
    problems are appended there and the valid documents are returned, so a
    caller can go on checking and report everything at once."""
    problems: list[Problem] = []
    chain: list[tuple[Path, list[SourceDocument]]] = []
    path: Path | None = resolve_pack_path(reference)
    seen: set[Path] = set()
    budget = CpuBudget(MAX_CPU_SECONDS)
    while path is not None:
        if path in seen:
            problems.append(
                Problem(
                    str(path / "pack.yaml"), 1, 1, "/extends", "packs extend each other in a cycle"
                )
            )
            break
        seen.add(path)
        documents, parent, found = _read_folder(path, budget)
        problems.extend(found)
        chain.append((path, documents))
        path = parent
    errors = [p for p in problems if p.severity == "error"]
    if errors and problems_out is None:
        raise DataFileError(errors)
    if problems_out is not None:
        problems_out.extend(problems)
    chain.reverse()
    pack_path = chain[-1][0]
    names = [_declared_name(path, docs) for path, docs in chain]
    return Pack(
        name=names[-1],
        path=pack_path,
        chain=names,
        documents=[d for _, docs in chain for d in docs],
        warnings=[p for p in problems if p.severity == "warning"],
    )


def _declared_name(path: Path, documents: list[SourceDocument]) -> str:
    headers = [d for d in documents if d.data.get("kind") == "Pack"]
    return str(headers[0].data["name"]) if headers else path.name


class CpuBudget:
    """Processor time of the loading thread, checked between files."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.thread_time()

    def exceeded(self) -> bool:
        return time.thread_time() - self.start > self.seconds


def _pack_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    files = sorted(  # pack.yaml first: its Pack document is the pack's header
        (f for f in folder.glob("*.yaml") if not f.name.endswith(".test.yaml")),
        key=lambda f: (f.name != "pack.yaml", f.name),
    )
    if len(files) > MAX_FILES:
        message = f"the pack has {len(files)} YAML files, more than {MAX_FILES}"
        return files[:MAX_FILES], [Problem(str(folder / "pack.yaml"), 1, 1, "", message)]
    return files, []


def _read_folder(
    folder: Path, budget: CpuBudget
) -> tuple[list[SourceDocument], Path | None, list[Problem]]:
    documents: list[SourceDocument] = []
    parent: Path | None = None
    header: SourceDocument | None = None
    files, problems = _pack_files(folder)
    remaining = MAX_BYTES
    for file in files:
        if budget.exceeded():
            problems.append(
                Problem(
                    str(file),
                    1,
                    1,
                    "",
                    f"loading the pack took more than {budget.seconds:.0f} s of processor time: "
                    "this file and the ones after it were not read",
                )
            )
            break
        try:
            loaded = load_yaml(file, max_bytes=min(remaining, MAX_FILE_BYTES))
            remaining -= file.stat().st_size
        except DataFileError as error:
            problems.extend(error.problems)
            continue
        if not loaded:
            problems.append(
                Problem(
                    str(file),
                    1,
                    1,
                    "",
                    "the file is empty: a document with apiVersion and "
                    "kind is expected (delete the file if it is not needed)",
                )
            )
        for document in loaded:
            found = check_kind(document)
            problems.extend(found)
            problems.extend(document.warnings)
            if found:
                continue
            if document.data["kind"] == "Pack" and header is None:
                header = document
                problems.extend(_store_problems(document, folder))
                if document.data.get("extends"):
                    try:
                        parent = resolve_pack_path(document.data["extends"], relative_to=folder)
                    except DataFileError:
                        problems.append(
                            document.problem(
                                "/extends", f"no pack '{document.data['extends']}' to extend"
                            )
                        )
            documents.append(document)
    problems.extend(pack_level_problems(documents))
    if not (folder / "pack.yaml").exists():
        problems.append(Problem(str(folder / "pack.yaml"), 1, 1, "", "missing pack.yaml"))
    return documents, parent, problems


def _store_problems(header: SourceDocument, folder: Path) -> list[Problem]:
    """`store:` points at a folder with a store.yaml (a pack copied elsewhere keeps a
    relative path that may point nowhere: the line is named, not a missing file)."""
    if "store" not in header.data:
        return []
    target = (folder / str(header.data["store"])).resolve()
    if (target / "store.yaml").is_file():
        return []
    return [
        header.problem(
            "/store",
            f"store '{header.data['store']}' is {target}, which holds no store.yaml "
            "(the path is relative to this pack's folder)",
        )
    ]


def check_kind(document: SourceDocument) -> list[Problem]:
    """Validate a document against the schema its `kind` names."""
    data = document.data
    if not isinstance(data, dict):
        return [document.problem("", "a document must be a mapping with apiVersion and kind")]
    if data.get("apiVersion") != API_VERSION:
        return [document.problem("/apiVersion", f"apiVersion must be '{API_VERSION}'")]
    kind = data.get("kind")
    schema = KIND_SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        known = ", ".join(sorted(KIND_SCHEMAS))
        return [document.problem("/kind", f"unknown kind {kind!r} (known kinds: {known})")]
    return validate_document(document, schema) or document_problems(document)
