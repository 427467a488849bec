"""Where the app's static files and catalogs are, in a checkout and in an installed wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _first_existing(name: str) -> Path:
    # In the wheel the folder sits inside the package; in a checkout it sits beside it.
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"mentorapp cannot find its {name}/ folder near {PACKAGE_DIR}")


STATIC_DIR = _first_existing("static")
TRANSLATIONS_DIR = _first_existing("translations")
