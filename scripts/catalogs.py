"""Keep the gettext catalogs in step with the code.

    python scripts/catalogs.py update   extract messages, update nb, nn and en; English
                                         entries get their own text (the source language)
    python scripts/catalogs.py check    fail on an untranslated, fuzzy or missing message
                                         in any of them

Bokmål and Nynorsk translations are written by hand, in translations/nb/LC_MESSAGES/messages.po
and translations/nn/LC_MESSAGES/messages.po (the words: docs/glossary.md).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LOCALES = ("nb", "nn", "en")
HAND_WRITTEN = ("nb", "nn")  # the source language, English, writes itself
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext"]


def extract(target: Path) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
                    "--project", "mentorapp", "-o", str(target), "."],
                   check=True, cwd=ROOT)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parts[-3] if path.suffix == ".po" else None)


def update() -> None:
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "messages.pot"
        extract(template)
        for locale in LOCALES:
            path = po_path(locale)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "init",
                                "-i", str(template), "-d", str(TRANSLATIONS), "-l", locale],
                               check=True)
            subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "update",
                            "-i", str(template), "-d", str(TRANSLATIONS), "-l", locale,
                            "--no-fuzzy-matching", "--ignore-obsolete"],
                           check=True)
    english = read(po_path("en"))
    for message in english:
        if message.id and not _translated(message):
            message.string = message.id
    with po_path("en").open("wb") as handle:
        write_po(handle, english, sort_output=True, omit_header=False, no_location=True)
    for locale in HAND_WRITTEN:
        catalog = read(po_path(locale))
        with po_path(locale).open("wb") as handle:
            write_po(handle, catalog, sort_output=True, omit_header=False, no_location=True)
    print("Catalogs updated. Untranslated Bokmål and Nynorsk messages:")
    for problem in problems():
        print("  " + problem)


def _translated(message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def problems() -> list[str]:
    """Everything that keeps the catalogs from being complete and current."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "messages.pot"
        extract(template)
        wanted = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in read(template) if message.id}
    for locale in LOCALES:
        catalog = read(po_path(locale))
        present = set()
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            present.add(key)
            if message.fuzzy:
                found.append(f"{locale}: fuzzy: {key!r}")
            elif not _translated(message):
                found.append(f"{locale}: untranslated: {key!r}")
        for key in sorted(wanted - present):
            found.append(f"{locale}: missing from the catalog: {key!r}")
        for key in sorted(present - wanted):
            found.append(f"{locale}: no longer in the code: {key!r}")
    return found


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
        return 0
    if command == "check":
        found = problems()
        for problem in found:
            print(problem)
        print("Catalogs complete." if not found else f"{len(found)} catalog problem(s).")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
