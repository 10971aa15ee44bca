"""Errors a cashier, analyst or consultant can read: each says what was wrong.

An error carries a lazy `Text` (`cassa.i18n`): `message` is its English, and
whoever shows it renders it in the reader's language with `render(locale)`.
"""

from __future__ import annotations

from cassa.i18n import SOURCE_LANGUAGE, Source, Text, translate


class CassaError(Exception):
    """Base of every error the engine reports to a person."""

    code = "error"

    def __init__(self, message: str | Text) -> None:
        # plain English not marked with `_` yet is translated where the catalogs have it
        self.text = message if isinstance(message, Text) else Text(message, source=Source.UNMARKED)
        self.message = translate(self.text, SOURCE_LANGUAGE)
        super().__init__(self.message)

    def render(self, locale: str = SOURCE_LANGUAGE) -> str:
        return translate(self.text, locale)


class NotFound(CassaError):
    code = "not_found"


class InvalidInput(CassaError):
    code = "invalid_input"


class QuantityPrecisionError(InvalidInput):
    code = "quantity_precision"


class DocumentStateError(CassaError):
    code = "document_state"


class ConfigurationError(CassaError):
    code = "configuration"


class PermissionDenied(CassaError):
    code = "permission_denied"
