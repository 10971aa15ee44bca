"""The demo store's people, as the README lists them (shared by the people tests)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "examples" / "demo"
DEMO_PACK = DEMO / "pack"

PASSWORDS = {
    "marco": "responsabile-milano",
    "lucia": "seconda-responsabile",
    "anna": "cassiera-di-turno",
    "bruno": "assistente-estivo",
}
CARDS = {"marco": "2925212787649", "lucia": "2902948810407", "anna": "2943308543399"}
PINS = {"marco": "4821", "lucia": "7390", "anna": "1596", "bruno": "3074"}


def pack_over_demo(folder: Path, security: str) -> Path:
    """A pack extending the demo's with a Security document of its own."""
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: {folder.name}\nextends: {DEMO_PACK}\n",
        encoding="utf-8",
    )
    (folder / "security.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Security\n{security}\n", encoding="utf-8"
    )
    return folder
