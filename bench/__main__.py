"""`python -m bench` (make bench): run every benchmark module in this folder that has a
main(), one after the other, each printing its own figures."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    folder = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(folder)])):
        loaded = importlib.import_module(f"bench.{module}")
        if hasattr(loaded, "main"):
            print(f"== bench.{module}")
            loaded.main()


if __name__ == "__main__":
    main()
