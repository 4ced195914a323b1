"""The places a supporter chooses from: every country, and, where the answer changes who
receives the letter, its regions or its missions' cities, named and ordered as a native reader
of the page's language expects. The page's selects and campaign.js both show these lists."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..data.contacts import OTHER, Contacts, Country, iso_subdivision_types
from ..data.letters import Letter
from ..i18n.names import country_name, in_order, mission_city, or_list, region_name
from ..i18n.words import Words
from .rules import MESSAGES, REGION_WORDS
from .suggestions import mission_for

Options = tuple[tuple[str, str], ...]  # (value, label)
Groups = tuple[tuple[str, Options], ...]  # (group label, or "" for none; its options)


def country_choices(contacts: Contacts, suggested: tuple[str, ...], words: Words) -> Groups:
    """The country select: a prompt, the suggested countries, every country in the reader's
    order, and 'another country' for places with no Chinese mission."""
    names = in_order(((code, country_name(code, words)) for code in contacts.countries), words)
    first = tuple((code, country_name(code, words)) for code in suggested
                  if code in contacts.countries)
    return tuple(group for group in (
        ("", (("", words.gettext("Choose your country")),)),
        (words.gettext(MESSAGES["suggested"]), first),
        (words.gettext("All countries"), tuple(names)),
        ("", ((OTHER, words.gettext("Another country (no Chinese embassy there)")),)),
    ) if group[1])


# What ISO 3166-2 calls a country's parts, and how the form asks for them (REGION_WORDS).
_REGION_KINDS = {"State": "state", "Province": "province"}


def region_kind(country: Country) -> str:
    """How the form asks where in this country a supporter lives: by the city of the
    nearest consulate, or by the kind of region most of its answers are (state, province;
    else region), as ISO 3166-2 says."""
    return _region_kind(country.code, country.by_region, country.choices)


@functools.lru_cache(maxsize=512)  # one per country contacts.yaml lists (about 200)
def _region_kind(code: str, by_region: bool, choices: tuple[str, ...]) -> str:
    """region_kind of a country's code, way of asking and answers."""
    if not by_region:
        return "city"
    types = iso_subdivision_types(code)
    kinds = Counter(_REGION_KINDS.get(types.get(choice.split("-")[0], ""), "region")
                    for choice in choices)
    return kinds.most_common(1)[0][0] if kinds else "region"


def region_choices(contacts: Contacts, country: str, words: Words) -> Options:
    """The region select of a country whose answer matters: its regions after a prompt ("Choose
    your state"), or the cities of its missions, the embassy first (chosen unless the
    supporter chooses another); nothing for any other country."""
    known = contacts.countries.get(country)
    if known is None or not known.choices:
        return ()
    if known.by_region:
        prompt = (("", words.gettext(REGION_WORDS[region_kind(known)].prompt)),)
        return prompt + tuple(in_order(((r, region_name(country, r, words))
                                        for r in known.choices), words))
    embassy, *others = known.choices
    options = [(embassy, _cities(contacts, known, embassy, words, words.gettext(
        "%(city)s (the embassy)")))]
    options += in_order(((k, _cities(contacts, known, k, words)) for k in others), words)
    return tuple(options)


def _cities(contacts: Contacts, country: Country, answer: str, words: Words,
            label: str = "%(city)s") -> str:
    """The city of a mission the page offers (labelled), then those of the missions it stands
    for: "Bangkok (the embassy), Chiang Mai, or Phuket"."""
    others = [mission_city(contacts.recipients[key], words)
              for key in country.also.get(answer, ())]
    return or_list([label % {"city": mission_city(contacts.recipients[answer], words)}, *others],
                   words)


@dataclass(frozen=True)
class Asked:
    """Which questions about the supporter's place the form asks, and which notes it shows,
    once they chose one.

    The one rule: the server renders the form by it, and hands it to campaign.js for every
    place (web/scriptdata.py), which shows and hides the same fields by looking it up.
    """

    region: bool  # "where in the country?": where the answer changes who receives the letter
    address: bool  # the address of their mission: where no mission there publishes one
    suggest: bool  # and whether to tell the organizers of it: where it is for a mission
    caution: bool  # writing to the Ministry may draw attention to the writer: say so first


def asked(contacts: Contacts, country: str, region: str = "") -> Asked:
    """What the form asks in this place; with no country chosen (or one not on its list),
    nothing yet."""
    known = contacts.countries.get(country)
    listed = known is not None or country == OTHER
    return Asked(region=bool(known and known.choices),
                 address=listed and contacts.route(country, region).asks_address,
                 suggest=mission_for(contacts, country, region) is not None,
                 caution=bool(known and known.caution))


def pending(contacts: Contacts, country: str, region: str) -> bool:
    """Whether who receives the letter here still waits for an answer: no country chosen, or
    a country whose region decides it and none chosen. Its local recipients are then only
    the likely ones, shown as pending, never as final."""
    known = contacts.countries.get(country)
    if known is None:
        return country != OTHER
    return known.by_region and bool(known.choices) and region not in known.choices


def questions(letter: Letter, contacts: Contacts, country: str, region: str) -> dict[str, Any]:
    """What the letter's page asks a supporter in this place: the region (only the chosen
    country's: a page without the script asks it once the country is known) and their
    mission's address (`asked`), how it asks for the region, and the letter's language where
    it has translations."""
    place = asked(contacts, country, region)
    known = contacts.countries.get(country)
    return {"region": place.region, "address": place.address, "suggest": place.suggest,
            "caution": place.caution,
            "region_kind": region_kind(known) if known and known.choices else "region",
            "language": len(letter.languages) > 1}
