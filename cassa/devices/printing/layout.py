"""Printed layouts as data: YAML templates a deployment can change.

A layout is a list of blocks (see print-layout.schema.json):

```yaml
apiVersion: cassa/v1
kind: PrintLayout
document: receipt
words: {it: {payments: "Pagato con"}}        # optional: replace built-in words
blocks:
  - {type: text, value: "{store.name}", align: center, bold: true, size: double_height}
  - {type: lines}                            # the item lines with their discounts
  - {type: columns, left: "{words.total} {currency}", right: "{total}", bold: true}
  - {type: rows, source: payments, left: "{row.label}", right: "{row.amount}"}
  - {type: barcode, value: "{document.number}", when: document.number}
  - {type: cut}
```
Placeholders are `{field}`, `{words.key}` and, inside `rows`, `{row.column}`;
they are looked up in plain dictionaries (never attribute access). A block
with `when: field` prints only when the field (or list) is not empty. Every
unknown block type, field, list or column is reported when the layout loads,
as `file:line:col: /pointer: message`, never at the till.

The renderer adds what no template may leave out: a copy after the first is
marked DUPLICATE (with its copy number) at the top and again at the end.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cassa.devices.printing.data import FIELDS, LISTS, WORDS, PrintData, words_for
from cassa.devices.printing.escpos_writer import EscposWriter
from cassa.engine.schemas import validate_document
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml
from cassa.i18n import language_of

__all__ = ["KINDS", "Layout", "RenderOptions", "layout_for", "load_layout", "render"]

KINDS = ("receipt", "invoice", "cash_in", "cash_out", "shift_closing", "report")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
_TEMPLATES = ("value", "left", "right", "title")
_SHIPPED = resources.files("cassa.devices") / "layouts"


@dataclass(frozen=True)
class Layout:
    document: str
    blocks: tuple[Mapping[str, Any], ...]
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class RenderOptions:
    columns: int = 42
    barcode: str = "code128"  # code128, code39 or none
    qr: bool = True


def load_layout(path: Path | str) -> Layout:
    documents = load_yaml(path)
    if len(documents) != 1:
        raise DataFileError(
            [Problem(str(path), 1, 1, "", "a layout file holds exactly one YAML document")]
        )
    return layout_from(documents[0])


def layout_from(document: SourceDocument) -> Layout:
    problems = validate_document(document, "print-layout")
    if not problems:
        problems = _check_references(document)
    if problems:
        raise DataFileError(problems)
    data = document.data
    return Layout(
        document=data["document"],
        blocks=tuple(data["blocks"]),
        words=data.get("words", {}),
        source=document.file,
    )


def layout_for(kind: str, folder: Path | None = None) -> Layout:
    """The deployment's layout for this kind of document if it has one, else the shipped one."""
    if kind not in KINDS:
        raise ValueError(f"no layout kind {kind!r} (kinds: {', '.join(KINDS)})")
    if folder is not None and (folder / f"{kind}.yaml").is_file():
        layout = load_layout(folder / f"{kind}.yaml")
    else:
        shipped = _SHIPPED / f"{kind}.yaml"
        with resources.as_file(shipped) as path:
            layout = load_layout(path)
    if layout.document != kind:
        message = f"this file is a {layout.document} layout; {kind}.yaml holds the {kind} layout"
        raise DataFileError([Problem(layout.source, 1, 1, "/document", message)])
    return layout


def _check_references(document: SourceDocument) -> list[Problem]:
    data = document.data
    kind = data["document"]
    fields = set(FIELDS[kind])
    lists = LISTS[kind]
    words = set(WORDS) | {k for v in data.get("words", {}).values() for k in v}
    problems: list[Problem] = []
    for index, block in enumerate(data["blocks"]):
        at = f"/blocks/{index}"
        columns: tuple[str, ...] = ()
        if block["type"] == "rows":
            if block["source"] not in lists:
                known = ", ".join(sorted(lists)) or "none"
                problems.append(
                    document.problem(
                        f"{at}/source",
                        f"a {kind} layout has no list '{block['source']}' (lists: {known})",
                    )
                )
            columns = lists.get(block["source"], ())
        for key in ("when", "unless"):
            name = block.get(key)
            if name is not None and name not in fields and name not in lists:
                problems.append(
                    document.problem(f"{at}/{key}", f"a {kind} layout has no field '{name}'")
                )
        for key in _TEMPLATES:
            template = block.get(key)
            if not isinstance(template, str):
                continue
            for name in _PLACEHOLDER.findall(template):
                if name in fields:
                    continue
                if name.startswith("words.") and name[6:] in words:
                    continue
                if name.startswith("row.") and name[4:] in columns:
                    continue
                hint = (
                    f"columns of {block['source']}: {', '.join(columns)}"
                    if name.startswith("row.") and block["type"] == "rows"
                    else f"fields: {', '.join(sorted(fields))}"
                )
                problems.append(
                    document.problem(
                        f"{at}/{key}", f"unknown placeholder {{{name}}} in a {kind} layout ({hint})"
                    )
                )
    return problems


class _Renderer:
    def __init__(
        self, layout: Layout, data: PrintData, writer: EscposWriter, options: RenderOptions
    ) -> None:
        self.data, self.writer, self.options = data, writer, options
        words = dict(words_for(data.language))
        words.update(layout.words.get(language_of(data.language), {}))
        self.words = words

    def fill(self, template: str, row: Mapping[str, str] | None = None) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("words."):
                return self.words.get(name[6:], "")
            if name.startswith("row.") and row is not None:
                return row.get(name[4:], "")
            return self.data.fields.get(name, "")

        return _PLACEHOLDER.sub(value, template)

    def active(self, block: Mapping[str, Any]) -> bool:
        def present(name: str) -> bool:
            return bool(self.data.fields.get(name, "").strip() or self.data.lists.get(name))

        when, unless = block.get("when"), block.get("unless")
        return (when is None or present(when)) and (unless is None or not present(unless))

    def width(self, size: str = "normal") -> int:
        columns = self.options.columns
        return columns // 2 if size in ("double_width", "double") else columns

    def text(self, text: str, *, align: str = "left", width: int | None = None) -> None:
        width = width or self.width()
        for piece in textwrap.wrap(text, width) or [""]:
            if align == "center":
                piece = piece.center(width).rstrip()
            elif align == "right":
                piece = piece.rjust(width)
            self.writer.line(piece)

    def duplicate_mark(self) -> None:
        if self.data.copy <= 1:
            return
        self.writer.style(bold=True, size="double_height")
        self.text(f"*** {self.words['duplicate']} ***", align="center")
        self.writer.style()
        self.text(f"{self.words['copy']} {self.data.copy}", align="center")

    def run(self, blocks: tuple[Mapping[str, Any], ...]) -> None:
        self.writer.style()
        self.duplicate_mark()
        marked_at_end = False
        for position, block in enumerate(blocks):
            is_last = position == len(blocks) - 1
            if block["type"] == "cut" and is_last:
                self.duplicate_mark()
                marked_at_end = True
            if self.active(block):
                self.block(block)
        if not marked_at_end:
            self.duplicate_mark()

    def block(self, block: Mapping[str, Any]) -> None:
        kind = block["type"]
        size = block.get("size", "normal")
        if kind in ("text", "columns"):
            self.writer.style(
                bold=block.get("bold", False), underline=block.get("underline", False), size=size
            )
            if kind == "text":
                filled = self.fill(block["value"])
                if filled.strip():
                    self.text(filled, align=block.get("align", "left"), width=self.width(size))
            else:
                left, right = self.fill(block["left"]), self.fill(block["right"])
                self.writer.line(_both(left, right, self.width(size)))
            self.writer.style()
        elif kind == "rule":
            self.writer.line(block.get("char", "-") * self.width())
        elif kind == "feed":
            self.writer.feed(block.get("lines", 1))
        elif kind == "lines":
            self.lines(
                discounts=block.get("discounts", True),
                notes=block.get("notes", True),
                properties=block.get("properties", True),
            )
        elif kind == "rows":
            self.rows(block)
        elif kind == "barcode":
            value = self.fill(block["value"])
            symbology = block.get("symbology", self.options.barcode)
            if value and symbology != "none" and self.options.barcode != "none":
                self.writer.barcode(value, symbology)
        elif kind == "qr":
            value = self.fill(block["value"])
            if value and self.options.qr:
                self.writer.qr(value, size=block.get("size", 4))
        elif kind == "cut":
            self.writer.cut(partial=block.get("partial", False))
        else:  # the schema lists every type; this is a programming error
            raise AssertionError(kind)

    def lines(self, *, discounts: bool, notes: bool, properties: bool) -> None:
        width = self.width()
        for line in self.data.lines:
            self.writer.line(_both(line.name[: width - 8], line.vat_label, width))
            if properties and line.properties:
                self.writer.line(f"  {line.properties}"[:width])
            self.writer.line(_both(f"  {line.detail}", line.amount, width))
            if discounts:
                for label, amount in line.adjustments:
                    self.writer.line(_both(f"    {label}", amount, width))
            if notes and line.note:
                self.writer.line(f"    {line.note}"[:width])

    def rows(self, block: Mapping[str, Any]) -> None:
        rows = self.data.lists.get(block["source"], ())
        if not rows:
            return
        width = self.width()
        if block.get("title"):
            self.writer.style(bold=True)
            self.text(self.fill(block["title"]))
            self.writer.style(bold=block.get("bold", False))
        elif block.get("bold"):
            self.writer.style(bold=True)
        for row in rows:
            left = self.fill(block["left"], row)
            right = self.fill(block.get("right", ""), row)
            if right:
                self.writer.line(_both(left, right, width))
            else:  # a row of text alone (a mention) wraps rather than being cut
                self.text(left)
        self.writer.style()


def _both(left: str, right: str, width: int) -> str:
    """Left and right text on one line; the left side gives way when both do not fit."""
    room = width - len(right) - 1
    if len(left) > room:
        left = left[: max(room, 0)]
    return f"{left}{' ' * max(1, width - len(left) - len(right))}{right}"


def render(
    layout: Layout,
    data: PrintData,
    writer: EscposWriter,
    options: RenderOptions | None = None,
) -> None:
    """Render `data` through `layout` into the writer's bytes."""
    if layout.document != data.kind:
        raise ValueError(f"a {layout.document} layout cannot print a {data.kind}")
    _Renderer(layout, data, writer, options or RenderOptions()).run(layout.blocks)
