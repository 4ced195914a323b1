"""The letter on paper: who receives it by post, on which paper, dated how, and blank."""

from __future__ import annotations

import datetime as dt

import pytest
from support import TEST_DATA

from campaign.compose.postal import (
    COPIES,
    COPIES_MAX,
    MINISTER,
    blank_letter,
    copies_of,
    direction,
    letter_date,
    paper_for,
    postal_addresses,
)
from campaign.data.contactsfile import load_contacts
from campaign.data.letterfiles import load_letters
from campaign.data.lettertext import MARKERS

CONTACTS = load_contacts(TEST_DATA / "contacts.yaml")
LETTER = load_letters(TEST_DATA / "letters").default
MINISTRY = ("H.E. Wang Yi, Minister of Foreign Affairs", "Ministry of Foreign Affairs (test data)",
            "2 Example Street, Chaoyang District", "Beijing 100701", "CHINA")


@pytest.mark.parametrize(("country", "paper"), [
    ("US", "letter"), ("CA", "letter"), ("MX", "letter"), ("PH", "letter"), ("CL", "letter"),
    ("KR", "a4"), ("GB", "a4"), ("DE", "a4"), ("JP", "a4"), ("BR", "a4"), ("AU", "a4"),
    ("", "a4"), ("other", "a4"), ("ZZ", "a4"),
])
def test_the_paper_is_the_one_the_supporters_country_uses(country: str, paper: str) -> None:
    assert paper_for(country) == paper


def test_every_letter_goes_to_the_minister_at_the_ministry_first() -> None:
    for country, region in [("KR", ""), ("other", ""), ("", ""), ("BR", ""), ("US", "NY")]:
        first = postal_addresses(CONTACTS, country, region)[0]
        assert (first.key, first.lines, first.abroad) == (MINISTER, MINISTRY, True)


def test_the_supporters_own_mission_follows_where_it_has_a_postal_address() -> None:
    found = postal_addresses(CONTACTS, "US", "DC")
    assert [(a.key, a.lines, a.abroad) for a in found[1:]] == [
        ("us-embassy", ("Chinese Embassy, United States", "3505 Example Place NW",
                        "Washington, DC 20008", "USA"), False)]


def test_a_mission_without_a_postal_address_leaves_it_to_the_countrys_own() -> None:
    # Chicago has an email but no postal address: the embassy receives the letter by post.
    assert [a.key for a in postal_addresses(CONTACTS, "US", "IL")] == [
        MINISTER, "us-embassy"]
    # Los Angeles has neither: its letters go to the embassy anyway.
    assert [a.key for a in postal_addresses(CONTACTS, "US", "CA-S")] == [
        MINISTER, "us-embassy"]


def test_an_office_with_only_a_postal_address_receives_letters_by_post() -> None:
    found = postal_addresses(CONTACTS, "HK", "")
    assert [(a.key, a.lines[1:]) for a in found[1:]] == [
        ("hk-office", ("42 Example Road, Mid-Levels", "Hong Kong"))]


@pytest.mark.parametrize("country", ["KR", "BR", "GB", "AD", "other", ""])
def test_where_no_mission_has_a_postal_address_the_minister_alone_receives_it(
        country: str) -> None:
    assert [a.key for a in postal_addresses(CONTACTS, country, "")] == [MINISTER]


def test_a_letter_is_dated_as_its_language_writes_dates() -> None:
    day = dt.date(2026, 12, 9)
    assert letter_date(day, "en") == "December 9, 2026"
    assert letter_date(day, "ko") == "2026년 12월 9일"
    assert letter_date(day, "zh-hans") == "2026年12月9日"
    assert letter_date(day, "de") == "9. Dezember 2026"


@pytest.mark.parametrize(("language", "way"), [
    ("en", "ltr"), ("ko", "ltr"), ("zh-hant", "ltr"), ("ar", "rtl"), ("he", "rtl")])
def test_arabic_runs_right_to_left(language: str, way: str) -> None:
    assert direction(language) == way


def test_the_blank_letter_leaves_lines_for_the_name_and_city_and_no_sentence() -> None:
    parts = blank_letter(LETTER.skeleton)
    assert parts[0][0] == "text" and parts[0][1].startswith("Dear Minister Wang Yi,\n\n")
    assert parts[-4:] == (("text", parts[-4][1]), ("name", ""), ("text", "\n"), ("city", ""))
    assert parts[-4][1].endswith("deserves.\n\nSincerely,\n")  # no gap where the sentence was
    assert not any(marker in text for _, text in parts for marker in MARKERS.values())


def test_the_korean_blank_letter_keeps_its_order_of_city_then_name() -> None:
    parts = blank_letter(LETTER.in_language("ko").skeleton)
    assert [kind for kind, _ in parts] == ["text", "city", "text", "name", "text"]
    assert parts[2] == ("text", "에서\n") and parts[4] == ("text", " 드림")


@pytest.mark.parametrize(("asked", "copies"), [
    ("3", 3), ("1", 1), (str(COPIES_MAX), COPIES_MAX), ("", COPIES), ("0", COPIES),
    (str(COPIES_MAX + 1), COPIES), ("-2", COPIES), ("2.5", COPIES), ("lots", COPIES),
    ("٣", COPIES),
])
def test_copies_are_a_small_whole_number(asked: str, copies: int) -> None:
    assert copies_of(asked) == copies
