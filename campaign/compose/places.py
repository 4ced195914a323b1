"""The places a supporter chooses from: every country, and, where the answer changes who
receives the letter, its regions or its missions' cities, named and ordered as a native reader
of the page's language expects. The page's selects and campaign.js both show these lists."""

from __future__ import annotations

from dataclasses import dataclass

from ..data.contacts import OTHER, Contacts, Country
from ..data.letters import Letter
from ..i18n.names import country_name, in_order, mission_city, or_list, region_name
from ..i18n.words import Words
from .rules import MESSAGES
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


def region_choices(contacts: Contacts, countries: tuple[str, ...],
                   words: Words) -> Groups:
    """The region select: for each country whose answer matters, its regions (or the cities of
    its missions, the embassy first), under the country's name."""
    only = contacts.countries[countries[0]] if len(countries) == 1 else None
    prompt = () if only and not only.by_region \
        else (("", words.gettext(MESSAGES["region_prompt"])),)
    groups: list[tuple[str, Options]] = [("", prompt)]
    for code in countries:
        country = contacts.countries[code]
        if not country.choices:
            continue
        if country.by_region:
            options = in_order(((r, region_name(code, r, words)) for r in country.choices), words)
        else:
            embassy, *others = country.choices
            options = [(embassy, _cities(contacts, country, embassy, words, words.gettext(
                "%(city)s (the embassy)")))]
            options += in_order(((k, _cities(contacts, country, k, words)) for k in others),
                                words)
        groups.append((country_name(code, words) if len(countries) > 1 else "", tuple(options)))
    return tuple(groups)


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


def questions(letter: Letter, contacts: Contacts, country: str, region: str) -> dict[str, bool]:
    """What the letter's page asks a supporter in this place: the region and their mission's
    address (`asked`), the region among every country's before a country is chosen (a page
    without the script cannot show it later: the script shows it once a country needs it),
    and the letter's language where it has translations."""
    place = asked(contacts, country, region)
    return {"region": place.region, "address": place.address, "suggest": place.suggest,
            "caution": place.caution,
            "any_region": not country, "language": len(letter.languages) > 1}
