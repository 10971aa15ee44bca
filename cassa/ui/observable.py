"""A plain observable: view-models call `changed()`, the Flet view re-renders.

The view-models of `cassa.ui` import nothing from Flet, so plain pytest drives
them; `cassa.ui.views` subscribes once per browser session and turns every
notification into one re-render.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Observable"]


class Observable:
    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []
        self.version = 0

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every change; the result unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def changed(self) -> None:
        self.version += 1
        for listener in list(self._listeners):
            listener()
