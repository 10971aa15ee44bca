"""The till's sounds in the browser: the alert of a failed scan (flet-audio's player,
which the web client carries). A cashier looking at the customer hears the refusal."""

from __future__ import annotations

from typing import Any

__all__ = ["ALERT", "Sounds"]

ALERT = "sounds/alert.wav"  # in cassa/ui/assets: two falling tones


class Sounds:
    """One player per browser session, made while the page is being built."""

    def __init__(self) -> None:
        from flet_audio import Audio

        self.alert_player: Any = Audio(src=ALERT, volume=1.0)

    async def alert(self) -> None:
        await self.alert_player.play()
