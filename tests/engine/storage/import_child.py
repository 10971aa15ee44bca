"""A child process of test_store_import: imports a store folder and, once `rows` rows are
read and written in batches, tells the parent (a marker file) and waits to be killed."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from cassa.engine.storage.db import open_database
from cassa.engine.storage.store_import import ImportProgress, import_store_folder


def main() -> None:
    spec = json.loads(sys.argv[1])
    database = open_database(spec["url"], **spec["engine_options"])
    marker = Path(spec["marker"])

    def progress(state: ImportProgress) -> None:
        if state.what == "items" and state.rows >= spec["rows"] and not marker.exists():
            marker.write_text(json.dumps({"rows": state.rows}))
            while True:  # inside the import's transaction, until SIGKILL
                time.sleep(1)

    import_store_folder(database, spec["folder"], progress=progress, batch=spec["batch"])
    sys.exit("the import ended before it was killed")


if __name__ == "__main__":
    main()
