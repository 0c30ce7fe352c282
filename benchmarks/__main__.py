"""Run every ``benchmarks/bench_*.py`` (or those named on the command line) and print ratios.

Each module has ``run() -> list[Result | Note]``. A result compares our code with a baseline
measured in the same run on the same data, so the ratio means something on any machine; a
note gives figures with no target (a breakdown, or why a comparison was skipped).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import benchmarks
from benchmarks.common import Note, Result


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        results: list[Result | Note] = module.run()
        print(f"== {name} ({time.perf_counter() - started:.1f} s)")
        for result in results:
            print("  " + result.line())
            failed += not result.ok
    print("all targets met" if not failed else f"{failed} target(s) missed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
