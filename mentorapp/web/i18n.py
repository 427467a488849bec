"""Language: Bokmål by default, Nynorsk and English beside it; dates and numbers through
Babel (which knows all three).

The choice is the user's saved language, then the one picked on this browser, then the
browser's Accept-Language; plain "no" (Norwegian, no written standard given) gets Bokmål.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from mentorapp.domain import clock, vocabulary
from mentorapp.paths import TRANSLATIONS_DIR

# Each language by its own name, in the order offered (account page, report language).
LANGUAGES = {"nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "en": "English"}
# The language switch in the header: short own names, each offered in its own language.
SWITCH_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
# The language tag for places outside the page's own lang attribute (the web app manifest).
BCP47 = {"nb": "nb-NO", "nn": "nn-NO", "en": "en"}
# Languages that write 2,5 (Babel's numbers in both Norwegian standards): their CSV files
# part cells with semicolons, as Norwegian spreadsheets expect.
DECIMAL_COMMA = frozenset({"nb", "nn"})
DEFAULT = "nb"
_ACCEPTED = {"nb": "nb", "no": "nb", "nn": "nn", "en": "en"}

babel = Babel()


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT  # the command line, the push sender
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("locale") in LANGUAGES:
        return session["locale"]
    # The browser's most wanted language we have, by its primary tag: "nn-NO" is Nynorsk even
    # when a plain "nb" comes later in the list (an exact-match-first rule would pick Bokmål).
    for tag, quality in request.accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in _ACCEPTED:
            return _ACCEPTED[primary]
    return DEFAULT


def current_locale() -> str:
    return str(get_locale() or DEFAULT)


def when(value: str | datetime | None, style: str = "medium") -> str:
    """A stored UTC timestamp as Oslo time in the reader's language."""
    if not value:
        return ""
    return format_datetime(clock.local(value), style)


def day(value: str | date | None, style: str = "medium") -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, style)


def number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits if digits else "#,##0")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT,
                   default_timezone="Europe/Oslo",
                   default_translation_directories=str(TRANSLATIONS_DIR))
    app.jinja_env.filters.update(when=when, day=day, number=number)
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, SWITCH_NAMES=SWITCH_NAMES, current_locale=current_locale,
        vocab=vocabulary,
        label=vocabulary.label, role_label=lambda role: vocabulary.label(vocabulary.ROLES, role))
