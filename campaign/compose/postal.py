"""The letter on paper, by pure functions (no Flask): who receives it by post and at which
address, the paper it is printed on, its date in the letter's language, and the blank version
organizers print for supporters to sign at a table.

Every printed letter goes to the Minister at the Ministry (contacts.yaml's `minister`), and to
the supporter's own mission where contacts.yaml gives its postal address. Each is one page,
with the address where a window envelope shows it (static/post.css places it: the address
field of DIN 5008 on A4, the window of a #10 envelope on US Letter).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import icu
from babel import Locale
from babel.dates import format_date

from ..data.contacts import Contacts, Recipient, iso_country
from ..data.lettertext import MARKERS, normalize_text
from ..i18n.names import mission_name
from ..i18n.words import ENGLISH

PAPERS = ("a4", "letter")  # A4 (210 x 297 mm), US Letter (8.5 x 11 in)
US_LETTER_MM = (279, 216)  # how CLDR (through ICU) gives US Letter: height, width in whole mm
MINISTER = "minister"  # the key of the Minister's page among the missions' keys
BLANKS = ("name", "city")  # what a supporter writes by hand on the blank letter
COPIES_MAX = 30  # blank letters of each page printed at once
COPIES = 5  # ... unless the organizers ask for another number
COPIES_ASKED = re.compile(r"[0-9]{1,3}")  # ASCII digits only (str.isdigit takes any script's)


@dataclass(frozen=True)
class PostalAddress:
    """One printed letter's recipient, as the envelope's window shows it."""

    key: str  # MINISTER, or the mission's key in contacts.yaml
    lines: tuple[str, ...]
    abroad: bool  # posted to another country: it needs international postage


def paper_for(country: str) -> str:
    """The paper a country prints letters on: US Letter where CLDR says so (the United
    States, Canada, Mexico, Chile, the Philippines...), A4 everywhere else."""
    if not iso_country(country):
        return "a4"
    size = tuple(icu.LocaleData(f"und_{country}").getPaperSize())
    return "letter" if size == US_LETTER_MM else "a4"


def postal_addresses(contacts: Contacts, country: str, region: str) -> list[PostalAddress]:
    """Who a supporter in this place posts the letter to, in order: the Minister at the
    Ministry (where contacts.yaml gives its address), then the missions serving them that
    have a postal address (else the country's own mission, if it has one), then the UN
    missions every supporter writes to, where one has a postal address."""
    found = []
    if contacts.minister and contacts.minister.address:
        found.append(PostalAddress(MINISTER, contacts.minister.address, True))
    route = contacts.route(country, region)
    missions = [r for r in route.recipients if r.address]
    known = contacts.countries.get(country)
    mission = known.mission if known else None
    if mission and mission.address and not any(r in missions for r in route.local):
        missions.insert(0, mission)
    found += [_mission_address(r, country) for r in dict.fromkeys(missions)]
    return found


def _mission_address(recipient: Recipient, country: str) -> PostalAddress:
    """A mission's postal address: its name, then its address as its source prints it. The
    name is in English, whatever the page's language: the postal service of the mission's
    country reads it, beside an address most missions publish in English."""
    return PostalAddress(recipient.key, (mission_name(recipient, ENGLISH), *recipient.address),
                         recipient.country != country)


def babel_locale(language: str) -> Locale:
    """A letter's language (as URLs spell it: ko, zh-hans) as Babel's locale."""
    return Locale.parse(language, sep="-")


def letter_date(day: dt.date, language: str) -> str:
    """A day as a letter in this language is dated: December 9, 2026; 2026년 12월 9일."""
    return format_date(day, format="long", locale=babel_locale(language))


def direction(language: str) -> str:
    """Which way a language's text runs: 'rtl' (Arabic, Hebrew...) or 'ltr'."""
    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


def blank_letter(skeleton: str) -> tuple[tuple[str, str], ...]:
    """A letter to sign by hand: its text in parts, ("text", words) or (field, "") where a
    supporter writes their name or city (BLANKS) on a line; their own sentence left out."""
    text = normalize_text(skeleton.replace(MARKERS["own_words"], ""))
    parts: list[tuple[str, str]] = [("text", text)]
    for field in BLANKS:
        split: list[tuple[str, str]] = []
        for kind, value in parts:
            if kind != "text":
                split.append((kind, value))
                continue
            pieces = value.split(MARKERS[field])
            for index, piece in enumerate(pieces):
                if index:
                    split.append((field, ""))
                if piece:
                    split.append(("text", piece))
        parts = split
    return tuple(parts)


def copies_of(asked: str) -> int:
    """How many blank copies of each page to print: a whole number from 1 to COPIES_MAX, or
    COPIES for anything else."""
    if not COPIES_ASKED.fullmatch(asked) or not 1 <= int(asked) <= COPIES_MAX:
        return COPIES
    return int(asked)
