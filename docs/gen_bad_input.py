"""Write docs/bad-input.rst from the bad-input table (tests/bad_input_table.py).

Run it after changing the table or a message: ``.venv/bin/python docs/gen_bad_input.py``.
``tests/unit/test_bad_input.py`` fails while the page is stale.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def main() -> None:
    from swf.testing import DUMMY_ENV

    os.environ.update(DUMMY_ENV)  # the rows build clients; never real credentials
    sys.path.insert(0, str(TESTS))
    from bad_input_table import DOC, ROWS, render_doc

    DOC.write_text(render_doc(), encoding="utf-8")
    print(f"wrote {DOC} ({len(ROWS)} rows)")


if __name__ == "__main__":
    main()
