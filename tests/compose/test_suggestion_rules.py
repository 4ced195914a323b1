"""What a supporter may tell the organizers (compose/suggestions.py): an address found for the
mission serving their place, checked by the one rule, and the page it is on; nothing else."""

from __future__ import annotations

import pytest
from support import TEST_DATA

from campaign.compose.places import asked
from campaign.compose.suggestions import (
    ADDRESS_MAX,
    PAGE_MAX,
    Suggestion,
    mission_for,
    page_problem,
    suggestion_for,
)
from campaign.data.contactsfile import load_contacts
from campaign.i18n.words import ENGLISH

CONTACTS = load_contacts(TEST_DATA / "contacts.yaml")
PAGE = "https://www.example.org/br-embassy/contact"


@pytest.mark.parametrize(("country", "region", "mission"), [
    ("BR", "", "br-embassy"),  # no mission in Brazil has an address
    ("br", "", "br-embassy"),
    ("HK", "", "hk-office"),
    ("GA", "", "ga-embassy"),
    ("GB", "", None),  # the embassy has an address: none is asked
    ("US", "CA", None),  # a consulate without one: the embassy receives instead
    ("other", "", None),  # no Chinese mission there to tell of
    ("ZZ", "", None),
    ("", "", None),
])
def test_the_mission_comes_from_the_place_chosen(country: str, region: str,
                                                  mission: str | None) -> None:
    assert mission_for(CONTACTS, country, region) == mission
    if country.upper() in CONTACTS.countries:
        assert asked(CONTACTS, country.upper(), region).suggest is (mission is not None)


def test_a_sound_suggestion_carries_the_address_the_mission_and_the_page_only() -> None:
    found = suggestion_for(CONTACTS, "BR", "", " embaixada@example.org ", f" {PAGE} ")
    assert found == Suggestion("br-embassy", "embaixada@example.org", PAGE)
    assert set(found.__dict__) == {"mission", "address", "page"}
    assert suggestion_for(CONTACTS, "BR", "", "embaixada@example.org", "") == Suggestion(
        "br-embassy", "embaixada@example.org", "")


@pytest.mark.parametrize(("address", "page"), [
    ("", PAGE),
    ("not an address", PAGE),
    ("a..b@example.org", PAGE),
    ("a@example.org, b@example.org", PAGE),
    ("a@example.org\nBcc: x@example.org", PAGE),
    ("a" * ADDRESS_MAX + "@example.org", PAGE),
    ("embaixada@example.org", "javascript:alert(1)"),
    ("embaixada@example.org", "www.example.org/contact"),
    ("embaixada@example.org", "https://example.org/a b"),
    ("embaixada@example.org", "https://localhost/contact"),
    ("embaixada@example.org", "https://user:pw@example.org/"),
    ("embaixada@example.org", "https://example.org/" + "a" * PAGE_MAX),
])
def test_anything_unsound_is_refused_whole(address: str, page: str) -> None:
    assert suggestion_for(CONTACTS, "BR", "", address, page) is None


def test_the_page_problem_says_what_to_enter() -> None:
    assert page_problem("", ENGLISH) == ""
    assert page_problem(PAGE, ENGLISH) == ""
    assert page_problem("example.org", ENGLISH).startswith("Enter the address of the page")
