"""Fiscal printers: the interface, the Italian RT over XML/HTTP, its simulator, the records."""
