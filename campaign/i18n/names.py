"""The names supporters read, in their language: countries and continents (CLDR, through
Babel; CLDR's containment of countries in continents through ICU), regions (ISO 3166-2,
through pycountry's iso-codes translations), missions (gettext) in the cities CLDR
names, and the order a native reader expects a list in (ICU collation: pinyin for Chinese,
accents for French...)."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Iterable

import icu
import pycountry
from babel import Locale
from babel.core import get_global
from babel.lists import format_list as babel_format_list

from ..data.contacts import Recipient, iso_subdivisions
from .languages import locale_of
from .words import N_, Words

# iso-codes names its catalogs by these locales where they differ from Babel's.
_ISO_CODES_LOCALES = {"zh_Hans": "zh_CN", "zh_Hant": "zh_TW", "pt": "pt_BR"}
# What supporters call each kind of mission (contacts.KINDS: a test holds the two together):
# "kind, place", with no preposition, which would change with the country in many languages.
MISSION_NAMES = {
    "embassy": N_("Chinese Embassy, %(country)s"),
    "consulate-general": N_("Chinese Consulate-General, %(city)s"),
    "consulate": N_("Chinese Consulate, %(city)s"),
    "office": N_("Office of China, %(city)s"),
    "un-mission": N_("China's Mission to the United Nations, %(city)s"),
}
# A part of a region (CA-N), named by its compass point.
COMPASS = {"N": N_("%(region)s (north)"), "S": N_("%(region)s (south)"),
           "E": N_("%(region)s (east)"), "W": N_("%(region)s (west)")}


@functools.cache
def country_names(locale: str) -> dict[str, str]:
    """Every country's name in a language, by ISO code."""
    return dict(Locale.parse(locale).territories)


def country_name(code: str, words: Words) -> str:
    """A country's name in a language."""
    return country_names(words.locale).get(code, code)


@functools.cache
def _regions(locale: str) -> gettext.NullTranslations:
    languages = [_ISO_CODES_LOCALES.get(locale, locale), locale.split("_")[0]]
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=languages,
                               fallback=True)


def region_name(country: str, region: str, words: Words) -> str:
    """A region's name in a language (in English where iso-codes has none); a part
    of one (CA-N) as the region and its compass point."""
    state, _sep, part = region.partition("-")
    english = iso_subdivisions(country).get(state, state)
    name = _regions(words.locale).gettext(english)
    return words.gettext(COMPASS[part], region=name) if part else name


# The world, which CLDR names in every language: the continent of a country CLDR's
# containment puts in none.
WORLD = "001"


@functools.cache
def continent_of(country: str) -> str:
    """The continent CLDR's territory containment puts a country in, by its UN M49 code
    ('142': Asia; ICU holds CLDR's containment, Babel names it: `country_name`)."""
    try:
        found = icu.Region.getInstance(country).getContainingRegion(icu.URegionType.CONTINENT)
    except icu.ICUError:
        return WORLD
    return found.getRegionCode() if found is not None else WORLD


@functools.lru_cache(maxsize=64)  # the letters' languages: a few dozen at most
def language_name(code: str) -> str:
    """A language's name in itself (한국어, Français), for choosing the letter's language."""
    name: str = Locale.parse(locale_of(code)).display_name or code
    return name[:1].upper() + name[1:]


def language_name_in(code: str, words: Words) -> str:
    """A language's name in the reader's language (anglais, 영어), as CLDR writes it."""
    name: str | None = Locale.parse(locale_of(code)).get_display_name(words.locale)
    return name or code


@functools.cache
def city_names(locale: str) -> dict[tuple[str, str], str]:
    """The cities CLDR names in a language (its time zones' exemplar cities), by country and
    English name: ("US", "New York") -> "뉴욕". A city it does not name keeps its own name."""
    english, local = Locale("en").time_zones, Locale.parse(locale).time_zones
    found = {}
    for zone, territory in get_global("zone_territories").items():
        name = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        if "city" in local.get(zone, {}):
            found[(territory, name)] = local[zone]["city"]
    return found


def mission_city(recipient: Recipient, words: Words) -> str:
    """A mission's city in a language: CLDR's name, else the one the data's sources give
    (data/cities.py), else its own."""
    city = (recipient.country, recipient.city)
    return city_names(words.locale).get(city) or words.cities.get(city, recipient.city)


def mission_name(recipient: Recipient, words: Words) -> str:
    """What supporters call a mission, in a language."""
    return words.gettext(MISSION_NAMES[recipient.kind],
                         country=country_name(recipient.country, words),
                         city=mission_city(recipient, words))


@functools.cache
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale.replace("_Hans", "").replace(
        "_Hant", "_TW")))


def sort_key(locale: str) -> Callable[[str], bytes]:
    """A sort key ordering names as a native reader of the language expects."""
    collator = _collator(locale)
    return collator.getSortKey  # type: ignore[no-any-return]


def or_list(items: list[str], words: Words) -> str:
    """Names joined as the language says "A, B or C"."""
    return babel_format_list(items, style="or", locale=words.locale)


def and_list(items: list[str], words: Words) -> str:
    """Names joined as the language says "A, B and C"."""
    return babel_format_list(items, locale=words.locale)


def in_order(items: Iterable[tuple[str, str]], words: Words) -> list[tuple[str, str]]:
    """(value, label) pairs in the native order of their labels in a language."""
    key = sort_key(words.locale)
    return sorted(items, key=lambda item: key(item[1]))
