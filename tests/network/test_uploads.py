"""Resource files are checked by what they contain, not by their name; a bad or too
large file answers with a clear, translated error and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorapp.network import uploads
from tests.support.network import GIF, HTML, JPEG, PDF, SVG, WEBP, add_file, created_id, png


def stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(("content", "expected"), [
    (PDF, "application/pdf"), (png(), "image/png"), (JPEG, "image/jpeg"),
    (GIF, "image/gif"), (WEBP, "image/webp"),
    (HTML, None), (SVG, None), (b"PK\x03\x04 a zip or a docx", None), (b"RIFF\0\0\0\0WAVE", None),
    (b"", None),
])
def test_sniff_knows_the_accepted_kinds_by_their_first_bytes(content, expected):
    assert uploads.sniff(content[:16]) == expected


@pytest.mark.parametrize(("name", "extension", "expected"), [
    ("sjekkliste.pdf", "pdf", "sjekkliste.pdf"),
    ("bilde.pdf", "png", "bilde.png"),  # the content decides the extension
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("C:\\Users\\kari\\Årsplan 2026.PDF", "pdf", "Årsplan 2026.pdf"),
    ("\x00\x1b[31m.pdf", "pdf", "[31m.pdf"),
    ("", "jpg", "fil.jpg"),
])
def test_display_names_lose_folders_and_control_characters(name, extension, expected):
    assert uploads.clean_name(name, extension) == expected


@pytest.mark.parametrize(("content", "name", "content_type"), [
    (PDF, "sjekkliste.pdf", "application/pdf"),
    (png(), "skjema.png", "image/png"),
    (png(), "feil-navn.pdf", "image/png"),  # named .pdf, but a PNG: kept as the PNG it is
    (JPEG, "foto.jpeg", "image/jpeg"),
    (WEBP, "foto.webp", "image/webp"),
    (GIF, "animasjon.gif", "image/gif"),
])
def test_accepted_files_are_stored_under_generated_names(app, world, as_coordinator, db,
                                                         content, name, content_type):
    resource_id = created_id(add_file(as_coordinator, content, name))
    row = db["resources"].get(resource_id)
    assert row["file_type"] == content_type and row["file_size"] == len(content)
    [stored] = stored_files(app)
    assert stored.name == row["stored_name"] and stored.read_bytes() == content
    assert name.rsplit(".", 1)[0] not in stored.name
    assert row["file_name"].endswith("." + uploads.EXTENSIONS[content_type])


@pytest.mark.parametrize(("content", "name"), [
    (HTML, "guide.pdf"),
    (SVG, "logo.png"),
    (b"PK\x03\x04" + b"\x00" * 100, "avtale.docx"),
    (b"plain text", "notat.pdf"),
])
def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_and_nothing_is_stored(
        app, world, as_coordinator, db, content, name):
    response = add_file(as_coordinator, content, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Denne filen er ikke en PDF eller et bilde" in page
    assert 'aria-invalid="true"' in page
    assert db["resources"].count == 0
    assert stored_files(app) == []


def test_the_refusal_is_in_english_for_an_english_reader(app, world, as_coordinator, db):
    as_coordinator.post("/language", data={"csrf_token": as_coordinator.csrf_token,
                                           "locale": "en"})
    page = add_file(as_coordinator, HTML, "guide.pdf").get_data(as_text=True)
    assert "This file is not a PDF or an image" in page


def test_an_oversized_file_is_refused_and_nothing_is_stored(app, world, as_coordinator, db):
    limit = app.config["UPLOAD_MAX_BYTES"]
    response = add_file(as_coordinator, PDF + b"0" * limit, "stor.pdf")
    assert response.status_code == 422
    assert "Filen er for stor. Største tillatte størrelse er 10 MB." in response.get_data(as_text=True)
    assert db["resources"].count == 0
    assert stored_files(app) == []


def test_a_file_of_exactly_the_limit_is_taken(app, world, as_coordinator, db):
    limit = app.config["UPLOAD_MAX_BYTES"]
    created_id(add_file(as_coordinator, PDF + b"0" * (limit - len(PDF)), "akkurat.pdf"))
    assert db["resources"].count == 1


def test_a_request_far_too_large_is_refused_before_it_is_read(tmp_path):
    from mentorapp import create_app
    from tests.support import world
    from tests.support.clients import signed_in

    small = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "small"),
                        "UPLOAD_MAX_BYTES": 1000})
    with small.app_context(), small.test_request_context():
        small_world = world.build(small)
    client = signed_in(small, small_world, "coordinator")
    response = add_file(client, PDF + b"0" * (2 * 1024 * 1024), "kjempestor.pdf")
    assert response.status_code == 413
    assert "for stor" in response.get_data(as_text=True)
    assert stored_files(small) == []


def test_an_empty_or_missing_file_is_refused(app, world, as_coordinator, db):
    assert "Filen er tom." in add_file(as_coordinator, b"", "tom.pdf").get_data(as_text=True)
    from tests.support.network import post

    response = post(as_coordinator, "/n/resources/new",
                    {"kind": "file", "title": "Uten fil", "language": "nb"})
    assert response.status_code == 422
    assert "Velg en fil å laste opp." in response.get_data(as_text=True)
    assert db["resources"].count == 0 and stored_files(app) == []


def test_a_file_whose_row_cannot_be_stored_is_removed_again(app, world, db):
    from mentorapp.network import actions
    from mentorapp.network.forms import ResourceFields

    class Nobody:
        id = 999_999  # no such user: the foreign key refuses the row

    fields = ResourceFields("file", "Tittel", "", "nb", [], None)
    checked = uploads.Checked(PDF, "application/pdf", "a.pdf")
    with app.test_request_context(), pytest.raises(Exception, match="FOREIGN KEY"):
        actions.add_resource(db, Nobody(), world.ids["network_1"], fields, checked)
    assert stored_files(app) == [] and db["resources"].count == 0


def test_files_are_served_with_their_type_a_name_and_nosniff(app, world, as_coordinator,
                                                             as_mentor):
    resource_id = created_id(add_file(as_coordinator, png(), "Skjema for første uke.png"))
    response = as_mentor.get(f"/n/resources/{resource_id}/file")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=UTF-8''Skjema%20for%20f%C3%B8rste%20uke.png" in disposition
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.data == png()
    assert "no-store" not in response.headers["Cache-Control"]  # the phone may keep it
