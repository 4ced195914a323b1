"""An address a supporter found for their mission, told to the organizers if they tick the
box: the address, the mission it is for, and the page they found it on, if they give it.
Nothing else: never their name, city or own email. The server decides the mission from the
place they chose, and checks the address by the one rule (`address_problem`, email-validator)
and the page as a public web address; organizers check each before adding it to contacts.yaml
(`campaign suggestions`). Nothing suggested reaches a page by itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..data.contacts import Contacts
from ..i18n.words import ENGLISH, N_, Words
from .rules import address_problem, bad_characters

ADDRESS_MAX = 254  # the longest email address (RFC 5321), as the table keeps it
PAGE_MAX = 500  # the longest page address kept
PAGE_MESSAGE = N_("Enter the address of the page, starting with https://, or leave it empty.")
_PAGE = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Suggestion:
    """What is told to the organizers, and all of it."""

    mission: str  # the recipient id of the mission the address is for
    address: str
    page: str = ""  # where the supporter found it, if they said


def mission_for(contacts: Contacts, country: str, region: str = "") -> str | None:
    """The mission an address added in this place is for (the one serving it), where the page
    asks for one: no mission there publishes an address. None elsewhere, and for a place with
    no Chinese mission."""
    place = contacts.place_of(country, region)
    if place is None or place[0] not in contacts.countries:
        return None
    route = contacts.route(*place)
    return route.local[0].key if route.asks_address and route.local else None


def page_problem(page: str, words: Words) -> str:
    """What is wrong with the page a supporter names, in a language, or "" (an empty one is
    fine): a public web address, on one line."""
    if not page:
        return ""
    parts = urlsplit(page) if _PAGE.fullmatch(page) else None
    if (parts is None or len(page) > PAGE_MAX or bad_characters(page, allow_breaks=False)
            or not parts.hostname or "." not in parts.hostname or parts.username):
        return words.gettext(PAGE_MESSAGE)
    return ""


def suggestion_for(contacts: Contacts, country: str, region: str, address: str,
                   page: str) -> Suggestion | None:
    """The suggestion a supporter's answers make, if every part of it is sound; else None."""
    address, page = address.strip(), page.strip()
    mission = mission_for(contacts, country, region)
    if (mission is None or not address or len(address) > ADDRESS_MAX
            or address_problem(address, ENGLISH) or page_problem(page, ENGLISH)):
        return None
    return Suggestion(mission, address, page)
