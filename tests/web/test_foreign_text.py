"""No page says anything in another language than its own unless it marks it so: every page
(the letter, its embed, the hand-off, the thanks, the flyer, impact, about, privacy, errors) in
every language, its DOM walked, each text (and each attribute a person reads, each field's
value) checked against the language its nearest lang= declares, by script: Hangul, kana, Han,
Cyrillic and Arabic in a Latin page, or Latin words in a Korean, Japanese, Chinese, Russian or
Arabic page beyond brands, addresses, numbers and the data's own names. (English left in a
French page is the pseudo-locale's to find: tests/web/test_languages.py.)"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from support import (
    TEST_DATA,
    client_on,
    form_values,
    page,
    post_letter,
    second_letter,
    valid,
    with_organizers,
)
from support.counts import LETTERS, send

from campaign.counting.storage import Counter
from campaign.data.cities import load_city_names
from campaign.data.contacts import iso_subdivisions
from campaign.data.contactsfile import load_contacts
from campaign.i18n.languages import LANGUAGES, Language
from campaign.i18n.names import mission_city, region_name
from campaign.i18n.words import Words

SLUG = "stop-forced-repatriation"
# The scripts each language is written in (a page's, or a part marked with its own lang).
SCRIPTS = {"ko": {"Hangul"}, "ja": {"Kana", "Han"}, "zh-Hans": {"Han"}, "zh-Hant": {"Han"},
           "ru": {"Cyrillic"}, "ar": {"Arabic"}}
LATIN = {"Latin"}
# Latin words any page may show: the services' and networks' own names, and the formats'.
BRANDS = {"Gmail", "Outlook", "Yahoo", "Yahoo!", "JAPAN", "X", "Facebook", "WhatsApp",
          "Telegram", "LINE", "QR", "Code", "A4", "US", "Letter", "UTC", "PDF", "SNS",
          # technical words Korean, Japanese and Chinese write in Latin letters
          "JavaScript", "IP", "Cookie", "cookie", "App", "Email", "E-mail"}
# Addresses: links, a link's bare scheme (https://), mail addresses, X handles, host names.
ADDRESS = re.compile(r"https?://\S*|\blocalhost\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+"
                     r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:/\S*)?")
LETTER = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"  # Latin letters
LATIN_WORD = re.compile(rf"[{LETTER}][{LETTER}0-9'’!.-]*")
SHOWN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "data-done", "data-failed",
                    "label")


def script_of(character: str) -> str | None:
    """The script a letter is in, as the test tells them apart (None: no letter)."""
    if not character.isalpha():
        return None
    name = unicodedata.name(character, "")
    for script, words in (("Hangul", ("HANGUL",)), ("Kana", ("HIRAGANA", "KATAKANA")),
                          ("Han", ("CJK", "IDEOGRAPHIC")), ("Cyrillic", ("CYRILLIC",)),
                          ("Arabic", ("ARABIC",)), ("Latin", ("LATIN",))):
        if any(word in name for word in words):
            return script
    return "other"


def declared(node: Any) -> str:
    """The language a text is marked as written in: its nearest lang=."""
    for element in [node, *node.parents] if isinstance(node, Tag) else node.parents:
        if isinstance(element, Tag) and element.has_attr("lang"):
            return str(element["lang"])
    return ""


def texts(soup: BeautifulSoup) -> Iterator[tuple[Any, str]]:
    """Every text a person reads or hears on a page, with the element it belongs to."""
    for node in soup.find_all(string=True):
        if node.parent.name in ("script", "style", "[document]") or not node.strip():
            continue
        if node.find_parent("template"):  # the script's empty rows: their words are elsewhere
            continue
        if type(node).__name__ in ("Comment", "Doctype", "Declaration"):
            continue
        yield node.parent, str(node)
    for tag in soup.find_all(True):
        if tag.find_parent("template"):
            continue
        for attribute in SHOWN_ATTRIBUTES:
            if tag.get(attribute):
                yield tag, str(tag[attribute])
        if tag.name == "input" and tag.get("type", "text") in ("text", "email") and \
                tag.get("value"):
            yield tag, str(tag["value"])
        if tag.name == "meta" and tag.get("name") in ("description",):
            yield tag, str(tag["content"])


def foreign(soup: BeautifulSoup, names: set[str]) -> list[str]:
    """Each text in a script its declared language is not written in, with that language."""
    found = []
    for element, text in texts(soup):
        language = declared(element)
        allowed = SCRIPTS.get(language, LATIN)
        rest = ADDRESS.sub(" ", text)
        for name in sorted(names, key=len, reverse=True):  # West Virginia before Virginia
            rest = rest.replace(name, " ")
        scripts = {script_of(ch) for ch in rest} - {None}
        latin_words = LATIN_WORD.findall(rest)
        wrong = scripts - allowed - ({"Latin"} if language in SCRIPTS else set())
        if language in SCRIPTS:
            unknown = [w for w in latin_words if w.rstrip(".-") not in BRANDS]
            if unknown:
                wrong.add("Latin: " + " ".join(unknown))
        if wrong:
            found.append(f"[{language}] {text.strip()[:80]!r}: {', '.join(sorted(wrong))}")
    return found


def data_names(language: Language) -> set[str]:
    """The data's own names a page may show in their own letters: the partners', and the
    missions' cities no source names in this language."""
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    words = Words(language.locale, cities=load_city_names().in_language(language.code))
    cities = {r.city for r in contacts.recipients.values() if mission_city(r, words) == r.city}
    english = Words("en")
    regions = {region_name(code, region, english) for code, country in contacts.countries.items()
               if country.by_region for region in iso_subdivisions(code)
               if region_name(code, region, words) == region_name(code, region, english)}
    # ...and what the supporter typed, which their letter carries as they typed it
    typed = {valid()["name"], valid()["city"], "<b>"}
    return {*cities, *regions, *(p.name for p in contacts.partners.values()),
            "Test Campaigners", *typed}


@pytest.fixture
def site(data_copy: Path, counts_database: str) -> FlaskClient:
    """The site on the tests' data, with organizers, a closed letter, and letters counted."""
    with_organizers(data_copy)
    second_letter(data_copy, "winter-appeal", ends="2020-01-31")
    counter = Counter(counts_database)
    for country, letters in LETTERS.items():
        send(counter, country, letters)
    return client_on(data_copy)


def every_page(client: FlaskClient, code: str) -> Iterator[tuple[str, str]]:
    """Every page a supporter or partner sees, in one language."""
    base = f"/{code}/"
    for query in ("", "?country=KR", "?country=TH", "?country=US", "?country=BR&partner=plain",
                  "?country=JP"):
        yield f"arrival {query}", client.get(base + query).get_data(as_text=True)
    yield "form errors", post_letter(client, base, name="", city="<b>").get_data(as_text=True)
    ready = post_letter(client, base, **valid(country="US", region="NY"))
    yield "letter ready", ready.get_data(as_text=True)
    values = form_values(page(ready))
    for channel in ("mailto", "gmail", "yahoojp"):
        yield f"hand-off {channel}", client.post(f"{base}{SLUG}/go/{channel}", data=values) \
            .get_data(as_text=True)
    yield "thanks", client.post(f"{base}{SLUG}/sent", data=values).get_data(as_text=True)
    yield "embed", client.get(f"{base}embed/{SLUG}?country=KR&partner=test-partner") \
        .get_data(as_text=True)
    for path in (f"{SLUG}/flyer", "impact", "about", "privacy", "winter-appeal/",
                 "no-such-letter/"):
        yield path, client.get(base + path).get_data(as_text=True)
    yield "403", client.post(base, data=values, headers={"Sec-Fetch-Site": "cross-site"}) \
        .get_data(as_text=True)
    yield "415", client.post(base, json={}).get_data(as_text=True)


@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_no_page_has_unmarked_text_in_another_language(site: FlaskClient,
                                                       language: Language) -> None:
    names = data_names(language)
    problems = {}
    for name, html in every_page(site, language.code):
        soup = BeautifulSoup(html, "html.parser")
        assert soup.html["lang"] == language.tag, name
        if found := foreign(soup, names):
            problems[name] = found
    assert problems == {}


def test_the_check_finds_unmarked_foreign_text() -> None:
    """What the test above would catch: Korean in an English page, English in a Russian one,
    unless each is marked with its own language."""
    english = BeautifulSoup('<html lang="en"><p>Hello 안녕</p><p lang="ko">안녕하세요</p>'
                            '<a aria-label="Закрыть">x</a></html>', "html.parser")
    assert foreign(english, set()) == ["[en] 'Hello 안녕': Hangul",
                                       "[en] 'Закрыть': Cyrillic"]
    russian = BeautifulSoup('<html lang="ru"><h1>Stop the repatriation</h1>'
                            '<h1 lang="en">Stop the repatriation</h1>'
                            '<p>Gmail, https://example.org, a@example.org, 2026, Geneva</p>'
                            '</html>', "html.parser")
    assert foreign(russian, {"Geneva"}) == [
        "[ru] 'Stop the repatriation': Latin: Stop the repatriation"]
    assert foreign(russian, set())[-1] == "[ru] 'Gmail, https://example.org, a@example.org, " \
        "2026, Geneva': Latin: Geneva"
