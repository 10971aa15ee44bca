"""A store's rule pack, loaded once per pack version and catalog version in a process.

Every till session of a server uses the same loaded pack while neither its files
nor the catalog change: the pack is kept under the SHA-256 of its files and the
catalog's version. (Its conflict check, which reads items, is kept on disk under
the pack's rules and the catalog's import token by cassa.engine.rules.conflicts,
so a till starting again does not repeat it either.)
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

import yaml

from cassa.engine.packs import resolve_pack_path
from cassa.engine.rules.rulepack import RulePack, load_rule_pack
from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.yamlsource import DataFileError

__all__ = ["pack_digest", "store_pack"]

_KEPT = 8  # packs of one process: a store's, and a few reloads
_PACKS: OrderedDict[tuple[str, str, int], RulePack] = OrderedDict()
_LOCK = threading.Lock()


def pack_digest(reference: str | Path) -> str | None:
    """The SHA-256 of every file of the pack and the packs it extends (their paths and
    bytes), or None when the chain cannot be read (loading it then says why)."""
    digest = hashlib.sha256()
    seen: set[Path] = set()
    try:
        path: Path | None = resolve_pack_path(reference)
        while path is not None and path not in seen:
            seen.add(path)
            for file in sorted(path.glob("*.yaml")):
                if not file.name.endswith(".test.yaml"):
                    digest.update(str(file).encode() + b"\0" + file.read_bytes() + b"\0")
            header = yaml.safe_load((path / "pack.yaml").read_text("utf-8"))
            extends = header.get("extends") if isinstance(header, dict) else None
            path = resolve_pack_path(str(extends), relative_to=path) if extends else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, DataFileError):
        return None
    return digest.hexdigest()


def store_pack(reference: str | Path, catalog: CatalogService) -> RulePack:
    """The store's pack checked against its catalog: the one this process loaded for
    these files and this catalog version, else loaded now. A pack with errors raises
    DataFileError, every time."""
    catalog.refresh()
    digest = pack_digest(reference)
    if digest is None:
        return load_rule_pack(reference, catalog)
    key = (str(reference), digest, catalog.version)
    with _LOCK:
        kept = _PACKS.get(key)
        if kept is not None:
            _PACKS.move_to_end(key)
            return kept
    pack = load_rule_pack(reference, catalog)
    with _LOCK:
        _PACKS[key] = pack
        while len(_PACKS) > _KEPT:
            _PACKS.popitem(last=False)
    return pack
