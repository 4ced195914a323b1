"""No public page shows what contacts.yaml keeps for organizers: an organizers' `note`, the
notes around a source's links, a research file or repository path. Every page, in every
language, for every country the tests' data lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from support import TEST_DATA, client_on, form_values, page, valid, with_organizers
from support.notes import internal_texts, shown

from campaign.data.contacts import Contacts
from campaign.data.contactsfile import load_contacts
from campaign.i18n.languages import LANGUAGES

SLUG = "stop-forced-repatriation"


def pages(client: FlaskClient, contacts: Contacts, language: str) -> Iterator[tuple[str, str]]:
    """Every page a supporter, partner or reader can see, in a language, as (what, HTML)."""
    base = f"/{language}/"
    for code in ["", *contacts.countries, "other"]:
        query = f"?country={code}" if code else ""
        yield f"letter {query}", client.get(base + query).get_data(as_text=True)
        yield f"about {query}", client.get(f"{base}about{query}").get_data(as_text=True)
    yield "embed", client.get(f"{base}embed/{SLUG}?country=BR").get_data(as_text=True)
    arrival = page(client.get(base + "?country=US"))
    values = {**form_values(arrival), **valid(country="US", region="NY")}
    ready = client.post(base, data=values)
    yield "letter ready", ready.get_data(as_text=True)
    posted = form_values(page(ready))
    yield "hand-off", client.post(f"{base}{SLUG}/go/gmail", data=posted).get_data(as_text=True)
    yield "thanks", client.post(f"{base}{SLUG}/sent", data=posted).get_data(as_text=True)
    for path in ("privacy", "impact", f"{SLUG}/flyer", "no-such-letter/"):
        yield path, client.get(base + path).get_data(as_text=True)


@pytest.fixture
def named_client(data_copy: Path) -> FlaskClient:
    """The app on the tests' data, its organizers named (their section is read too)."""
    with_organizers(data_copy)
    return client_on(data_copy)


def test_the_tests_data_holds_what_must_stay_internal() -> None:
    texts = internal_texts(load_contacts(TEST_DATA / "contacts.yaml"))
    assert "Its contact page misprints its own domain, so no address is taken from it." in texts
    assert any(text.startswith("shared/research/recipients.md") for text in texts)
    assert "test data: one weak source" in texts


@pytest.mark.parametrize("language", [language.code for language in LANGUAGES])
def test_no_public_page_shows_a_note_or_a_repository_path(named_client: FlaskClient,
                                                          language: str) -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    for what, html in pages(named_client, contacts, language):
        assert shown(html, contacts) == [], what
