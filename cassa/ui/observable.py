"""A plain observable: view-models call `changed()`, the Flet view re-renders.

The view-models of `cassa.ui` import nothing from Flet, so plain pytest drives
them; `cassa.ui.views` subscribes once per browser session and turns every
notification into one re-render.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["Observable"]


class Observable:
    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []
        self.version = 0
        self._soon: threading.Timer | None = None
        self._soon_lock = threading.Lock()

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every change; the result unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def changed(self) -> None:
        self._cancel_soon()
        self.version += 1
        for listener in list(self._listeners):
            listener()

    def changed_soon(self, delay: float = 0.15) -> None:
        """A change worth showing once the keys pause: each call postpones it by `delay`
        seconds, and any `changed()` meanwhile shows it at once. A wedge scanner types a
        code and Enter within milliseconds: one redraw for the scan, not one a key."""
        if not self._listeners:
            self.version += 1  # nobody draws it: nothing to wait for
            return
        with self._soon_lock:
            if self._soon is not None:
                self._soon.cancel()
            timer = threading.Timer(delay, self._fire_soon)
            timer.daemon = True
            self._soon = timer
        timer.start()

    def _fire_soon(self) -> None:
        with self._soon_lock:
            if self._soon is None or self._soon is not threading.current_thread():
                return  # cancelled, or superseded by a later key
            self._soon = None
        self.changed()

    def _cancel_soon(self) -> None:
        with self._soon_lock:
            if self._soon is not None:
                self._soon.cancel()
                self._soon = None
