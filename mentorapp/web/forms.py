"""Reading and checking submitted forms, with translated messages beside each field.

Small on purpose: each view states its fields in a few lines, gets clean values or a
dict of field errors, and re-renders the form (422) with both when something is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ]{8,20}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Form:
    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.errors: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def value(self, name: str) -> Any:
        """What to show in the field: the cleaned value, else what was sent, else ''."""
        if self.values.get(name) is not None:
            return self.values[name]
        value = self.data.get(name)
        return "" if value is None else value

    def values_of(self, name: str) -> list[str]:
        """For checkboxes that share a name: every value that was sent (as text)."""
        if self.values.get(name) is not None:
            raw = self.values[name]
        elif hasattr(self.data, "getlist"):
            raw = self.data.getlist(name)
        else:
            raw = self.data.get(name, [])
        raw = raw if isinstance(raw, list | tuple | set) else [raw]
        return [str(v) for v in raw]

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def _raw(self, name: str) -> str:
        value = self.data.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def text(self, name: str, *, required: bool = True, max_length: int = 200,
             multiline: bool = False) -> str | None:
        value = self._raw(name)
        if multiline:
            value = value.replace("\r\n", "\n")
        if not value:
            if required:
                self.error(name, _("Please fill in this field."))
            return self.values.setdefault(name, None if not required else "")
        if CONTROL.search(value) or (not multiline and "\n" in value):
            self.error(name, _("This field contains characters that are not allowed."))
        elif len(value) > max_length:
            self.error(name, _("At most %(count)d characters, please.", count=max_length))
        self.values[name] = value
        return value

    def email(self, name: str = "email") -> str | None:
        value = self.text(name, max_length=254)
        if value and not EMAIL.match(value):
            self.error(name, _("This does not look like an e-mail address."))
        return value

    def phone(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_length=20)
        if value and not PHONE.match(value):
            self.error(name, _("Write the phone number with digits only, e.g. 912 34 567."))
        return value

    def integer(self, name: str, *, required: bool = True, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        raw = self._raw(name)
        if not raw:
            if required:
                self.error(name, _("Please fill in this field."))
            self.values[name] = None
            return None
        try:
            value = int(raw)
        except ValueError:
            self.error(name, _("Please write a whole number."))
            self.values[name] = raw
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.error(name, _("Please choose a number from %(low)d to %(high)d.",
                               low=minimum if minimum is not None else 0,
                               high=maximum if maximum is not None else value))
        self.values[name] = value
        return value

    def decimal(self, name: str, *, required: bool = True, minimum: float = 0,
                maximum: float = 1000) -> float | None:
        raw = self._raw(name).replace(",", ".")
        if not raw:
            if required:
                self.error(name, _("Please fill in this field."))
            self.values[name] = None
            return None
        try:
            value = float(raw)
        except ValueError:
            self.error(name, _("Please write a number, e.g. 2,5."))
            self.values[name] = raw
            return None
        if not minimum <= value <= maximum:
            self.error(name, _("Please choose a number from %(low)s to %(high)s.",
                               low=format_decimal(minimum), high=format_decimal(maximum)))
        self.values[name] = value
        return value

    def date(self, name: str, *, required: bool = True, earliest: date | None = None,
             latest: date | None = None) -> date | None:
        raw = self._raw(name)
        if not raw:
            if required:
                self.error(name, _("Please choose a date."))
            self.values[name] = None
            return None
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            self.error(name, _("Please write the date as YYYY-MM-DD."))
            self.values[name] = raw
            return None
        if earliest and value < earliest:
            self.error(name, _("The date cannot be before %(day)s.", day=earliest.isoformat()))
        elif latest and value > latest:
            self.error(name, _("The date cannot be after %(day)s.", day=latest.isoformat()))
        self.values[name] = value
        return value

    def choice(self, name: str, choices: Iterable[Any], *, required: bool = True) -> Any:
        raw = self._raw(name)
        allowed = {str(choice): choice for choice in choices}
        if not raw:
            if required:
                self.error(name, _("Please choose one."))
            self.values[name] = None
            return None
        if raw not in allowed:
            self.error(name, _("Please choose one of the options."))
            self.values[name] = None
            return None
        self.values[name] = allowed[raw]
        return allowed[raw]

    def checked(self, name: str) -> bool:
        value = self._raw(name).lower() in {"1", "on", "yes", "true"}
        self.values[name] = value
        return value
