"""A coordinator shares links and files with title, description, tags and language;
the network's mentors browse, search and filter them."""

from __future__ import annotations

import re

import pytest

from tests.support.network import add_file, add_link, created_id, post


def test_a_link_with_everything_a_mentor_needs(world, as_coordinator, as_mentor, db):
    resource_id = created_id(add_link(as_coordinator, description="Hva tilskuddet dekker",
                                      tags="Tilskudd, avtale, tilskudd"))
    row = db["resources"].get(resource_id)
    assert (row["kind"], row["url"], row["language"]) == ("link", "https://www.nav.no/mentor", "nb")
    assert row["network_id"] == world.ids["network_1"]
    assert row["tags"] == '["Tilskudd", "avtale"]'  # each tag once, whatever its case
    page = as_mentor.get(f"/n/resources/{resource_id}").get_data(as_text=True)
    assert "NAV om mentortilskudd" in page and "Hva tilskuddet dekker" in page
    assert 'href="https://www.nav.no/mentor" rel="noopener noreferrer external"' in page
    assert "Lenke til www.nav.no" in page and "Norsk (bokmål)" in page


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://nav.no/fil",
    "file:///etc/passwd", "www.nav.no", "https://", "https://nav no.no", "http://exa mple.no/",
    "https://user:pass@nav.no/", "https://nav.no:99999/", "//nav.no/x", "https://-.no/",
    "https://" + "a" * 2000 + ".no",
])
def test_only_http_and_https_addresses_with_a_host_are_taken(world, as_coordinator, db, url):
    response = add_link(as_coordinator, url=url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("Skriv en hel nettadresse som begynner med https://" in page
            or "Høyst 2000 tegn" in page)
    assert db["resources"].count == 0


@pytest.mark.parametrize("url", ["https://www.nav.no/mentor?a=1&b=2#del", "http://192.168.1.10/x",
                                 "https://bjørnøya.no/fil", "https://nav.no:8443/"])
def test_ordinary_addresses_are_taken(world, as_coordinator, db, url):
    created_id(add_link(as_coordinator, url=url))


@pytest.mark.parametrize(("change", "message"), [
    ({"title": ""}, "Fyll ut dette feltet."),
    ({"title": "x" * 121}, "Høyst 120 tegn"),
    ({"language": "sv"}, "Velg ett av alternativene."),
    ({"kind": "video"}, "Velg ett av alternativene."),
    ({"tags": "a, " + "b" * 31}, "Et stikkord kan ha høyst 30 tegn."),
    ({"tags": ", ".join(f"t{n}" for n in range(9))}, "Høyst 8 stikkord, takk."),
])
def test_bad_fields_answer_beside_the_field_and_store_nothing(world, as_coordinator, db,
                                                              change, message):
    response = add_link(as_coordinator, **change)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db["resources"].count == 0


def test_mentors_and_other_roles_cannot_add(world, as_mentor, as_counsellor, as_admin, db):
    for client in (as_mentor, as_counsellor, as_admin):
        assert add_link(client).status_code == 404
        assert client.get("/n/resources/new").status_code == 404
    assert db["resources"].count == 0


@pytest.fixture
def library(world, as_coordinator):
    ids = {
        "grant": created_id(add_link(as_coordinator, title="Mentortilskudd", tags="tilskudd")),
        "absence": created_id(add_link(as_coordinator, title="Når deltakeren uteblir",
                                       description="Fravær: hva gjør du?",
                                       url="https://example.no/fravaer", tags="Fravær")),
        "english": created_id(add_link(as_coordinator, title="Natural support at work",
                                       url="https://example.org/support", language="en",
                                       tags="støtte")),
        "checklist": created_id(add_file(as_coordinator, title="Sjekkliste for ØVELSE",
                                         tags="første uke")),
    }
    return ids


def _titles(client, query: str) -> list[str]:
    page = client.get("/n/resources" + query).get_data(as_text=True)
    return [t for t in ("Mentortilskudd", "Når deltakeren uteblir", "Natural support at work",
                        "Sjekkliste for ØVELSE") if f">{t}</a>" in page]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["Mentortilskudd", "Når deltakeren uteblir", "Natural support at work",
          "Sjekkliste for ØVELSE"]),
    ("?q=fravær", ["Når deltakeren uteblir"]),  # in the description and the tag
    ("?q=FRAVÆR", ["Når deltakeren uteblir"]),  # case folded beyond ASCII
    ("?q=øvelse", ["Sjekkliste for ØVELSE"]),
    ("?q=sjekkliste+uke", ["Sjekkliste for ØVELSE"]),  # every word, anywhere
    ("?q=ingenting+slikt", []),
    ("?tag=fravær", ["Når deltakeren uteblir"]),
    ("?language=en", ["Natural support at work"]),
    ("?kind=file", ["Sjekkliste for ØVELSE"]),
    ("?kind=link&language=nb", ["Mentortilskudd", "Når deltakeren uteblir"]),
    ("?kind=nonsense", ["Mentortilskudd", "Når deltakeren uteblir", "Natural support at work",
                        "Sjekkliste for ØVELSE"]),  # an unknown filter is ignored
])
def test_mentors_search_and_filter(library, as_mentor, query, expected):
    assert sorted(_titles(as_mentor, query)) == sorted(expected)


def test_the_filters_offer_the_tags_in_use(library, as_mentor):
    page = as_mentor.get("/n/resources").get_data(as_text=True)
    for tag in ("tilskudd", "Fravær", "støtte", "første uke"):
        assert f'<option value="{tag}"' in page


def test_htmx_gets_only_the_list(library, as_mentor):
    response = as_mentor.get("/n/resources?q=tilskudd", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="resource-list">')
    assert "<html" not in body and "Mentortilskudd" in body
    assert "HX-Request" in response.headers["Vary"]


def test_the_coordinator_changes_and_removes_a_resource(library, as_coordinator, as_mentor, db):
    resource_id = library["grant"]
    response = post(as_coordinator, f"/n/resources/{resource_id}/edit",
                    {"title": "Mentortilskudd 2026", "description": "Nye satser",
                     "language": "nb", "url": "https://www.nav.no/tilskudd", "tags": "penger"})
    assert response.status_code == 303
    row = db["resources"].get(resource_id)
    assert (row["title"], row["url"], row["tags"]) == (
        "Mentortilskudd 2026", "https://www.nav.no/tilskudd", '["penger"]')
    bad = post(as_coordinator, f"/n/resources/{resource_id}/edit",
               {"title": "", "language": "nb", "url": "javascript:x"})
    assert bad.status_code == 422
    assert db["resources"].get(resource_id)["title"] == "Mentortilskudd 2026"

    assert post(as_coordinator, f"/n/resources/{resource_id}/delete").status_code == 303
    assert as_mentor.get(f"/n/resources/{resource_id}").status_code == 404
    assert "Mentortilskudd 2026" not in as_mentor.get("/n/resources").get_data(as_text=True)
    assert db["resources"].get(resource_id)["deleted_at"] is not None  # kept, hidden


def test_a_removed_file_is_no_longer_served(library, as_coordinator, as_mentor):
    resource_id = library["checklist"]
    assert as_mentor.get(f"/n/resources/{resource_id}/file").status_code == 200
    post(as_coordinator, f"/n/resources/{resource_id}/delete")
    assert as_mentor.get(f"/n/resources/{resource_id}/file").status_code == 404


def test_a_link_has_no_file(library, as_mentor):
    assert as_mentor.get(f"/n/resources/{library['grant']}/file").status_code == 404


def test_file_resources_offer_keeping_them_on_the_phone(library, as_mentor):
    page = as_mentor.get("/n/resources").get_data(as_text=True)
    url = f"/n/resources/{library['checklist']}/file"
    assert f'data-keep-url="{url}"' in page
    assert "Lagre på denne telefonen" in page
    assert page.count("data-keep-url=") == 1  # links are not kept


def test_a_resource_in_another_language_is_marked_for_screen_readers(library, as_mentor):
    page = as_mentor.get("/n/resources").get_data(as_text=True)
    assert re.search(r'<h2 class="resource-title" lang="en"><a [^>]+>Natural support at work', page)
    detail = as_mentor.get(f"/n/resources/{library['english']}").get_data(as_text=True)
    assert '<h1 lang="en">Natural support at work</h1>' in detail
