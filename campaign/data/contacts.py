"""Who supporters write to, as the app uses it: every mission, every country and who receives
the letters of each place in it (contactsfile.py reads them from contacts.yaml).

Each mission is a `Recipient` with where its address came from. Each country names its
mission (usually the embassy), its consulates, and, where a source publishes them, the
consular districts: which mission serves which ISO 3166-2 subdivision. A supporter is asked
where in their country they live only where the answer changes who receives the letter.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import pycountry

from .organizers import Organizers
from .partners import Partner

STATUSES = ("confirmed", "unconfirmed", "no-address")
X_STATUSES = ("confirmed", "unconfirmed")  # of an X account: its own page, or one source
PURPOSES = ("general", "consular")  # what an address is for: a consular inbox is said so
ADDRESS_LINES = 8  # the most lines a postal address has (a window envelope shows no more)
# The ways a supporter's letter reaches China: an email to a recipient, a post on X addressed
# to a recipient's account, a printed letter in the post (to the Minister, or a mission).
WAYS = ("email", "x", "post")
KINDS = ("embassy", "consulate-general", "consulate", "office", "un-mission")
OTHER = "other"  # the country choice of a supporter whose country has no Chinese mission
# A country no Chinese mission serves (China itself, Taiwan): its supporters write to the UN
# missions and may post the letter to the Minister; contacts.yaml says `mission: none`.
NO_MISSION = "none"
RECIPIENT_KEY_MAX = 40  # the longest recipient id contacts.yaml may use
# The longest place a count keeps (counting/storage.py's columns): a country is an ISO code or
# OTHER; a region is a region code (at most 'ABC-N') or the id of the consulate of the
# supporter's city, so an id longer than RECIPIENT_KEY_MAX is refused.
COUNTRY_KEY_MAX = max(2, len(OTHER))
REGION_KEY_MAX = max(len("ABC-N"), RECIPIENT_KEY_MAX)  # 'ABC-N': contactsfile.REGION_CODE's


def iso_country(code: str) -> bool:
    """Whether code is an assigned ISO 3166-1 alpha-2 country code."""
    return pycountry.countries.get(alpha_2=code) is not None


@functools.cache
def iso_subdivisions(country: str) -> dict[str, str]:
    """A country's top-level ISO 3166-2 subdivisions, as {'NY': 'New York'} (English), in the
    order of their codes (pycountry gives them in no fixed order)."""
    found = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    return {s.code.split("-", 1)[1]: s.name
            for s in sorted(found, key=lambda s: s.code) if not getattr(s, "parent_code", None)}


@functools.cache
def iso_subdivision_types(country: str) -> dict[str, str]:
    """What each of a country's top-level ISO 3166-2 subdivisions is, as {'NY': 'State',
    'DC': 'District'} (ISO's English words)."""
    found = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    return {s.code.split("-", 1)[1]: s.type
            for s in found if not getattr(s, "parent_code", None)}


def place_key(country: str, region: str = "") -> str:
    """The one spelling of a supporter's place, as forms and counts carry it: 'GB', 'US:NY',
    'TH:th-chiang-mai', 'other', or '' for none."""
    return f"{country}:{region}" if region else country


def split_place(key: str) -> tuple[str, str]:
    """A place key's country and region."""
    country, _, region = key.partition(":")
    return country, region


@dataclass(frozen=True)
class Recipient:
    """A mission that receives letters, with where its address came from."""

    key: str
    kind: str
    country: str  # the ISO code of the country the mission is in ('' for none)
    city: str
    email: str | None
    website: str | None
    x: str | None  # its X handle, without @
    wikidata: str | None
    source: tuple[str, ...]
    checked: dt.date | None
    status: str  # of its email: confirmed, unconfirmed or no-address
    note: str | None  # for organizers only: never on a page
    line: int
    purpose: str = "general"  # of its email: a consular inbox is shown as one
    x_status: str | None = None  # of its X account: confirmed or unconfirmed
    address: tuple[str, ...] = ()  # its postal address, line by line, where a source gives it
    address_source: tuple[str, ...] = ()


@dataclass(frozen=True)
class Country:
    """A country with the missions that receive its supporters' letters.

    `places` maps what a supporter may answer to "where in the country?" (a region code, or
    the id of the consulate of their city) to the mission(s) serving it; `choices` is what
    the page asks, in file order: empty where no answer changes who receives the letter.
    """

    code: str
    mission: Recipient | None  # None where no Chinese mission serves it (mission: none)
    consulates: tuple[Recipient, ...]
    places: dict[str, tuple[Recipient, ...]]
    choices: tuple[str, ...]
    by_region: bool  # choices are regions (districts are published), not consulates
    districts_source: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    # Answers not asked because one asked sends the same letters: {asked: (the others, ...)}.
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Writing to the Ministry may draw attention to the writer there: the page says so first.
    caution: bool = False

    @property
    def missions(self) -> tuple[Recipient, ...]:
        """Every mission in (or serving) the country, the embassy first."""
        return (self.mission, *self.consulates) if self.mission else self.consulates

    def asked(self, answer: str) -> str:
        """The answer the page asks that stands for this one (itself, if it is asked)."""
        return next((choice for choice, others in self.also.items() if answer in others),
                    answer)


@dataclass(frozen=True)
class Route:
    """Who a supporter in one place writes to."""

    local: tuple[Recipient, ...]  # the mission(s) serving the supporter's place
    instead: Recipient | None  # the country's mission, where no local one has an address
    everyone: tuple[Recipient, ...]
    served: bool = True  # False where no Chinese mission serves the country (mission: none)
    mission: Recipient | None = None  # the country's own mission (its embassy), if any

    @property
    def recipients(self) -> list[Recipient]:
        """Every recipient shown, in order: the local missions first, then the UN missions."""
        local = [*self.local, *([self.instead] if self.instead else [])]
        return local + [r for r in self.everyone if r not in local]

    @property
    def addressed(self) -> list[Recipient]:
        """The recipients with an address: those the letter is sent to."""
        return [r for r in self.recipients if r.email]

    @property
    def accounts(self) -> list[Recipient]:
        """The missions with an X account the share panel offers a post to: those serving the
        supporter, their country's mission, and those every letter goes to."""
        found = [*self.local, *([self.mission] if self.mission else []), *self.everyone]
        return [r for r in dict.fromkeys(found) if r.x]

    @property
    def asks_address(self) -> bool:
        """Whether no mission in the supporter's country publishes an address: they may add
        the one they find on its website (not where no mission serves the country at all)."""
        return self.served and not any(
            r.email for r in (*self.local, *([self.instead] if self.instead else [])))


@dataclass(frozen=True)
class Minister:
    """The letter's addressee, China's Foreign Minister: the name letters greet, the Ministry's
    postal address (every supporter can send the letter by post), and its X account."""

    name: str
    address: tuple[str, ...]  # line by line, as the Ministry publishes it
    source: tuple[str, ...]
    x: str | None = None  # the Ministry's X handle, without @, which posts address


@dataclass(frozen=True)
class Contacts:
    """Every recipient and the countries that route to them."""

    recipients: dict[str, Recipient]
    countries: dict[str, Country]
    everyone: tuple[Recipient, ...]
    organizers: Organizers | None = None
    partners: dict[str, Partner] = field(default_factory=dict)  # partners.py
    minister: Minister | None = None

    @property
    def report_to(self) -> str | None:
        """Where supporters report an address that bounced: the organizers' own."""
        return self.organizers.email if self.organizers else None

    def place_of(self, country: str, region: str = "") -> tuple[str, str] | None:
        """A country (any case, or 'other') and region as contacts.yaml spells them: None for a
        country it does not list; a region that country does not have is left blank."""
        code = country.strip().upper()
        if code == OTHER.upper():
            return OTHER, ""
        found = self.countries.get(code)
        if found is None:
            return None
        region = region.strip()
        for answer in (region, region.upper(), region.lower()):
            if answer in found.places:
                return code, found.asked(answer)
        return code, ""

    def key_of(self, country: str, region: str = "") -> str:
        """The place key of a chosen country and region: '' for a country not listed, and the
        country alone where the region is not one of its own."""
        known = self.countries.get(country)
        if known is None:
            return OTHER if country == OTHER else ""
        return place_key(country, region if region in known.places else "")

    def places(self) -> list[tuple[str, str, str]]:
        """Every place a supporter can choose, as (key, country, region), a country's choices
        after it."""
        found = []
        for code, country in self.countries.items():
            found.append((place_key(code), code, ""))
            found += [(place_key(code, choice), code, choice) for choice in country.choices]
        return found + [(OTHER, OTHER, "")]

    def reaches(self, country_code: str | None, region: str | None = None) -> tuple[str, ...]:
        """The ways (WAYS) a letter from this place reaches China: an email where a recipient
        has an address, X where one has an account, the post where the Minister or one of them
        has a postal address. Empty only where none does."""
        route = self.route(country_code, region)
        posted = bool(self.minister and self.minister.address) or any(
            r.address for r in route.recipients)
        found = {"email": bool(route.addressed), "x": any(r.x for r in route.recipients),
                 "post": posted}
        return tuple(way for way in WAYS if found[way])

    def route(self, country_code: str | None, region: str | None = None) -> Route:
        """Who a supporter in this country (and region) writes to; unknown codes get the UN."""
        country = self.countries.get(country_code or "")
        if country is None:
            return Route((), None, self.everyone)
        return _route(country, region or "", self.everyone)


def _route(country: Country, region: str, everyone: tuple[Recipient, ...]) -> Route:
    """The route of one answer in one country."""
    if country.mission is None:
        return Route((), None, everyone, served=False)
    local = country.places.get(region, (country.mission,))
    has_address = any(r.email for r in local)
    instead = None if has_address or country.mission in local else country.mission
    return Route(local, instead, everyone, mission=country.mission)


def choices_of(places: dict[str, tuple[Recipient, ...]], mission: Recipient,
             everyone: tuple[Recipient, ...], by_region: bool) -> tuple[
                 tuple[str, ...], dict[str, tuple[str, ...]]]:
    """What to ask a supporter of a country, and which answers each asked one stands for:
    nothing where every answer sends the letter to the same missions by every way (WAYS: its
    email, its X account, its postal address); a state whose parts all send alike as the
    state, not its parts; and, where the page asks for the nearest consulate, one answer for
    the cities whose letters go alike (a consulate with no address and no account sends to the
    embassy: its city joins the embassy's answer). So a consulate's account and postal address
    reach the supporters of its district, as its email does. Regions stay apart: supporters
    know their state, not their consular district."""
    country = Country("", mission, (), places, (), False)

    def sends(region: str) -> tuple[tuple[str, ...], ...]:
        route = _route(country, region, everyone)
        return (tuple(r.key for r in route.addressed),
                tuple(r.key for r in route.recipients if r.x),
                tuple(r.key for r in route.recipients if r.address))

    parts: dict[str, list[str]] = {}
    for region in places:
        parts.setdefault(region.split("-")[0], []).append(region)
    choices = []
    for state, regions in parts.items():
        if len(regions) > 1 and len({sends(r) for r in regions}) == 1:
            merged = tuple(dict.fromkeys(m for r in regions for m in places[r]))
            places[state] = merged  # the state answers for its parts
            choices.append(state)
        else:
            choices += regions
    if len({sends(choice) for choice in choices}) <= 1:
        return (), {}
    if by_region:
        return tuple(choices), {}
    first: dict[tuple[tuple[str, ...], ...], str] = {}
    also: dict[str, list[str]] = {}
    for choice in choices:
        asked = first.setdefault(sends(choice), choice)
        if asked != choice:
            also.setdefault(asked, []).append(choice)
    return tuple(first.values()), {key: tuple(others) for key, others in also.items()}
