"""Errors a cashier, analyst or consultant can read: each says what was wrong."""

from __future__ import annotations


class CassaError(Exception):
    """Base of every error the engine reports to a person."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
