"""The public links behind each address (data/citations.py): links only, each with its kind;
never a note, a file path or a mirror site."""

from __future__ import annotations

import pytest
from support import TEST_DATA

from campaign.data.citations import Citation, citation, citations, recipient_citations
from campaign.data.contactsfile import load_contacts

ARTICLE = "https://en.wikipedia.org/wiki/List_of_diplomatic_missions_of_China"


@pytest.mark.parametrize(("url", "kind", "host"), [
    ("http://un.china-mission.gov.cn", "official", "un.china-mission.gov.cn"),
    ("http://zurich.china-consulate.org/eng/", "official", "zurich.china-consulate.org"),
    ("http://gd.chineseembassy.org/eng/", "official", "gd.chineseembassy.org"),
    ("http://www.china-un.ch", "official", "china-un.ch"),
    ("https://www.fmprc.gov.cn/eng/", "official", "fmprc.gov.cn"),
    ("https://www.penang.gov.my/dokumen", "official", "penang.gov.my"),
    ("https://www.mofa.go.jp/a", "official", "mofa.go.jp"),
    ("https://en.wikipedia.org/wiki/Embassy_of_China,_London", "wikipedia", "en.wikipedia.org"),
    ("https://www.wikidata.org/wiki/Q42", "wikidata", "wikidata.org"),
    ("https://github.com/example/embassies", "repository", "github.com"),
    ("https://www.zawya.com/en/business", "page", "zawya.com"),
    ("https://embassies.net/china-in-united-states", "page", "embassies.net"),
])
def test_each_link_is_cited_as_the_kind_of_page_it_is(url: str, kind: str, host: str) -> None:
    assert citation(url) == Citation(kind, url, host)


@pytest.mark.parametrize("mirror", [
    "https://wikizero.com/www/List_of_diplomatic_missions_of_China",
    "http://twiki.owiki.org/wiki/List_of_diplomatic_missions_of_China",
    "https://wikimili.com/en/List_of_diplomatic_missions_of_China",
    "https://wiki2.org/en/List_of_diplomatic_missions_of_China",
])
def test_a_mirror_of_wikipedia_is_cited_as_the_article_itself(mirror: str) -> None:
    assert citation(mirror) == Citation("wikipedia", ARTICLE, "en.wikipedia.org")


@pytest.mark.parametrize("note", [
    "shared/research/recipients.md: unconfirmed, one weak source",
    "public code datasets only",
    "ftp://files.example.org/list.txt",
    "see research/channels-2026-12.md, row 12",
    "",
])
def test_a_note_without_a_public_link_cites_nothing(note: str) -> None:
    assert citations([note]) == ()


def test_links_are_taken_out_of_notes_once_each_in_order() -> None:
    found = citations([
        "shared/research/recipients.md: unconfirmed, one weak source; website "
        "http://un.china-mission.gov.cn.",
        "Wikidata Q113224579 via database-of-embassies (2022-11-16)",
        "https://en.wikipedia.org/wiki/Foo_(country) (Nov-2023 version, Asia table)",
        "https://wikizero.com/www/List_of_diplomatic_missions_of_China, and "
        "http://twiki.owiki.org/wiki/List_of_diplomatic_missions_of_China (older version)",
    ])
    assert [c.url for c in found] == [
        "http://un.china-mission.gov.cn", "https://www.wikidata.org/wiki/Q113224579",
        "https://en.wikipedia.org/wiki/Foo_(country)", ARTICLE]


def test_the_missions_own_website_is_an_official_page() -> None:
    assert citations(["https://www.example.org/un-geneva/contact"],
                     "https://www.example.org/un-geneva")[0].kind == "official"
    assert citations(["https://www.example.org/un-geneva/contact"])[0].kind == "page"


def test_a_missions_citations_cover_its_address_and_its_postal_address() -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    us = [c.url for c in recipient_citations(contacts.recipients["us-embassy"])]
    assert us == ["https://www.example.org/sources/us",
                  "https://www.example.org/sources/us-address"]
    assert recipient_citations(contacts.recipients["ga-embassy"]) == (
        Citation("wikipedia", ARTICLE, "en.wikipedia.org"),)
