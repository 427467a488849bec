"""Files coordinators upload as resources: checked by what they contain, never by their
name, stored under the instance's uploads/ folder with generated names, and served with
a fixed Content-Type, a Content-Disposition and nosniff.

Only PDF and the common photo formats are taken: they are what mentors read on a phone,
and a browser does not run them. HTML or SVG named "guide.pdf" is refused, because a
file served from our origin must never become a page that runs script.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, current_app, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

# (content type, extension, test on the first bytes)
KINDS: tuple[tuple[str, str, object], ...] = (
    ("application/pdf", "pdf", lambda head: head.startswith(b"%PDF-")),
    ("image/png", "png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", "jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/gif", "gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", "webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
)
EXTENSIONS = {content_type: extension for content_type, extension, _test in KINDS}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg|gif|webp)$")


class UploadError(ValueError):
    """A file we will not keep; the message is translated, for the form."""


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str
    file_name: str  # the name to show: the uploader's, with the extension its content has

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(head: bytes) -> str | None:
    """The content type the bytes show, or None if they are none of the accepted kinds."""
    for content_type, _extension, test in KINDS:
        if test(head):
            return content_type
    return None


def clean_name(name: str | None, extension: str) -> str:
    """A display name without folders or control characters, ending in `extension`."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:100].strip() or "fil"
    return f"{stem}.{extension}"


def check(file: FileStorage | None, max_bytes: int) -> Checked:
    """Read the upload and check it; raises UploadError with a message for the user."""
    if file is None or not file.filename:
        raise UploadError(_("Choose a file to upload."))
    data = file.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(too_large_message(max_bytes))
    if not data:
        raise UploadError(_("The file is empty."))
    content_type = sniff(data[:16])
    if content_type is None:
        raise UploadError(_("This file is not a PDF or an image (PNG, JPEG, WebP or GIF). "
                            "Only those can be shared."))
    return Checked(data, content_type, clean_name(file.filename, EXTENSIONS[content_type]))


def too_large_message(max_bytes: int) -> str:
    return _("The file is too large. The largest allowed is %(size)s.", size=human_size(max_bytes))


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(checked: Checked) -> str:
    """Write the file under a new random name (first to a temporary name, then renamed,
    so a half-written file never carries a real name); returns the stored name."""
    name = f"{secrets.token_hex(16)}.{EXTENSIONS[checked.content_type]}"
    target = folder() / name
    temporary = target.with_name(f".{name}.part")
    with temporary.open("xb") as handle:
        handle.write(checked.data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return name


def path_of(stored_name: str) -> Path | None:
    if not STORED_NAME.match(stored_name or ""):
        return None
    return folder() / stored_name


def remove(stored_name: str) -> None:
    path = path_of(stored_name)
    if path is not None:
        path.unlink(missing_ok=True)


def send(stored_name: str, content_type: str, file_name: str) -> Response:
    """The file, shown in the browser (inline) under its display name, never sniffed."""
    path = path_of(stored_name)
    if path is None or not path.is_file() or content_type not in EXTENSIONS:
        abort(404)
    response = send_file(path, mimetype=content_type, as_attachment=False,
                         download_name=file_name, conditional=True, etag=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Only the file itself: no script, no frames, nothing fetched from it.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        "object-src 'self'; frame-ancestors 'none'")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def human_size(size: int) -> str:
    from mentorapp.web.i18n import number

    if size >= 1024 * 1024:
        return _("%(amount)s MB", amount=number(size / (1024 * 1024), 1))
    if size >= 1024:
        return _("%(amount)s kB", amount=number(size / 1024, 0))
    return _("%(amount)s bytes", amount=size)
