"""`python -m cassa.i18n update | check`: see cassa.i18n._tools."""

from __future__ import annotations

import sys

from cassa.i18n._catalogs import LANGUAGES
from cassa.i18n._tools import extract, missing, update


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command not in ("update", "check"):
        print("usage: python -m cassa.i18n update | check", file=sys.stderr)
        return 2
    template = update() if command == "update" else extract()
    lacking = 0
    for language in LANGUAGES:
        gaps = list(missing(template, language))
        lacking += len(gaps)
        print(f"{language}: {len(template) - len(gaps)}/{len(template)} translated")
        for message in gaps[:20] if command == "check" else ():
            print(f"  missing: {message.id!r}")
    return 1 if lacking else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
