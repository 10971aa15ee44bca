"""Rule packs: folders of YAML documents, each with a `kind`, layered by `extends`.

A pack folder holds `pack.yaml` (kind Pack: its name and the pack it extends)
and any number of other `*.yaml` files. Files named `*.test.yaml` are the pack's
scenario tests, not part of it. The loader reads the whole chain, base first,
validates every document against the schema of its kind and raises one
DataFileError listing every problem: a pack with an error is never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cassa.engine.schemas import validate_document
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml

__all__ = ["API_VERSION", "KIND_SCHEMAS", "Pack", "load_pack", "resolve_pack_path"]

API_VERSION = "cassa/v1"
KIND_SCHEMAS = {
    "Pack": "pack",
    "Currencies": "currencies",
    "Country": "country",
    "Promotions": "promotions",
    "Coupons": "coupons",
    "PriceGuards": "price-guards",
    "Roles": "roles",
    "Security": "security",
    "Tenders": "tenders",
    "TenderRules": "tender-rules",
    "CashRules": "cash-rules",
    "SafeRules": "safe-rules",
    "ViewLayout": "view-layout",
    "TaxMechanisms": "tax-mechanisms",  # reverse charge, split payment (cassa.engine.taxes)
    "FiscalRules": "fiscal-rules",  # fiscal printer, hash chain, closings (cassa.engine.fiscal)
}


@dataclass
class Pack:
    name: str
    path: Path
    chain: list[str] = field(default_factory=list)  # pack names, base first
    documents: list[SourceDocument] = field(default_factory=list)  # base first

    def of_kind(self, kind: str) -> list[SourceDocument]:
        return [d for d in self.documents if d.data.get("kind") == kind]


def shipped_packs_dir() -> Path:
    return Path(str(resources.files("cassa.rules")))


def resolve_pack_path(reference: str | Path, relative_to: Path | None = None) -> Path:
    """A pack given as a folder path, or as the name of a pack that ships with Cassa."""
    candidate = Path(reference)
    if relative_to is not None and not candidate.is_absolute():
        near = (relative_to / candidate).resolve()
        if (near / "pack.yaml").exists():
            return near
    if (candidate / "pack.yaml").exists():
        return candidate.resolve()
    shipped = shipped_packs_dir() / str(reference)
    if (shipped / "pack.yaml").exists():
        return shipped
    if candidate.parts[:1] == ("rules",):  # `rules/it`: the layout's name for the shipped packs
        shipped = shipped_packs_dir().joinpath(*candidate.parts[1:])
        if (shipped / "pack.yaml").exists():
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
    while path is not None:
        if path in seen:
            problems.append(
                Problem(
                    str(path / "pack.yaml"), 1, 1, "/extends", "packs extend each other in a cycle"
                )
            )
            break
        seen.add(path)
        documents, parent, found = _read_folder(path)
        problems.extend(found)
        chain.append((path, documents))
        path = parent
    if problems and problems_out is None:
        raise DataFileError(problems)
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
    )


def _declared_name(path: Path, documents: list[SourceDocument]) -> str:
    headers = [d for d in documents if d.data.get("kind") == "Pack"]
    return str(headers[0].data["name"]) if headers else path.name


def _read_folder(folder: Path) -> tuple[list[SourceDocument], Path | None, list[Problem]]:
    problems: list[Problem] = []
    documents: list[SourceDocument] = []
    parent: Path | None = None
    for file in sorted(folder.glob("*.yaml")):
        if file.name.endswith(".test.yaml"):
            continue
        try:
            loaded = load_yaml(file)
        except DataFileError as error:
            problems.extend(error.problems)
            continue
        for document in loaded:
            found = check_kind(document)
            problems.extend(found)
            if found:
                continue
            documents.append(document)
            if document.data["kind"] == "Pack" and document.data.get("extends"):
                try:
                    parent = resolve_pack_path(document.data["extends"], relative_to=folder)
                except DataFileError:
                    problems.append(
                        document.problem(
                            "/extends", f"no pack '{document.data['extends']}' to extend"
                        )
                    )
    if not (folder / "pack.yaml").exists():
        problems.append(Problem(str(folder / "pack.yaml"), 1, 1, "", "missing pack.yaml"))
    return documents, parent, problems


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
    return validate_document(document, schema)
