"""Who supporters write to: contacts.yaml, parsed once into typed objects.

Each mission is a `Recipient` with where its address came from. Each country names its
mission (usually the embassy), its consulates, and, where a source publishes them, the
consular districts: which mission serves which ISO 3166-2 subdivision. A supporter is asked
where in their country they live only where the answer changes who receives the letter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from .datafile import DataError, Mapping, Problem, Reader, check_email, read_text
from .organizers import Organizers, read_organizers
from .partners import Partner, read_partners

STATUSES = ("confirmed", "unconfirmed", "no-address")
KINDS = ("embassy", "consulate-general", "consulate", "office", "un-mission")
STALE_AFTER = dt.timedelta(days=365)
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# A top-level ISO 3166-2 subdivision (NY, 26, ACT), or a part of one named by a compass point.
REGION_CODE = re.compile(r"[A-Z0-9]{1,3}(-[NSEW])?")
RECIPIENT_KEY_MAX = 40  # the longest recipient id the file may use
RECIPIENT_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
OTHER = "other"  # the country choice of a supporter whose country has no Chinese mission
# The longest place a count keeps (database.py's columns): a country is an ISO code or OTHER;
# a region is a region code (at most 'ABC-N') or the id of the consulate of the supporter's
# city, so an id longer than RECIPIENT_KEY_MAX is refused.
COUNTRY_KEY_MAX = max(2, len(OTHER))
REGION_KEY_MAX = max(len("ABC-N"), RECIPIENT_KEY_MAX)  # 'ABC-N': REGION_CODE's longest

RECIPIENT_FIELDS = {"kind", "country", "city", "email", "website", "x", "wikidata", "source",
                    "checked", "status", "note"}
COUNTRY_FIELDS = {"mission", "consulates", "districts", "districts_source", "split", "source",
                  "note"}
TOP_FIELDS = {"recipients", "everyone", "countries", "organizers", "partners",
              "report_to"}  # moved under organizers: read_organizers says where

# Codes people reach for that ISO 3166-1 spells otherwise.
ISO_HINTS = {"UK": "GB", "EL": "GR", "KO": "KR", "SK": "KR (South Korea) or SK (Slovakia)"}


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
    status: str
    note: str | None
    line: int


@dataclass(frozen=True)
class Country:
    """A country with the missions that receive its supporters' letters.

    `places` maps what a supporter may answer to "where in the country?" (a region code, or
    the id of the consulate of their city) to the mission(s) serving it; `choices` is what
    the page asks, in file order: empty where no answer changes who receives the letter.
    """

    code: str
    mission: Recipient
    consulates: tuple[Recipient, ...]
    places: dict[str, tuple[Recipient, ...]]
    choices: tuple[str, ...]
    by_region: bool  # choices are regions (districts are published), not consulates
    districts_source: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    # Answers not asked because one asked sends the same letters: {asked: (the others, ...)}.
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def missions(self) -> tuple[Recipient, ...]:
        """Every mission in (or serving) the country, the embassy first."""
        return (self.mission, *self.consulates)

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
    def asks_address(self) -> bool:
        """Whether no mission in the supporter's country publishes an address: they may add
        the one they find on its website."""
        return not any(r.email for r in (*self.local, *([self.instead] if self.instead else [])))


@dataclass(frozen=True)
class Contacts:
    """Every recipient and the countries that route to them."""

    recipients: dict[str, Recipient]
    countries: dict[str, Country]
    everyone: tuple[Recipient, ...]
    organizers: Organizers | None = None
    partners: dict[str, Partner] = field(default_factory=dict)  # partners.py

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

    def route(self, country_code: str | None, region: str | None = None) -> Route:
        """Who a supporter in this country (and region) writes to; unknown codes get the UN."""
        country = self.countries.get(country_code or "")
        if country is None:
            return Route((), None, self.everyone)
        return _route(country, region or "", self.everyone)


def _route(country: Country, region: str, everyone: tuple[Recipient, ...]) -> Route:
    """The route of one answer in one country."""
    local = country.places.get(region, (country.mission,))
    has_address = any(r.email for r in local)
    instead = None if has_address or country.mission in local else country.mission
    return Route(local, instead, everyone)


def parse_contacts(text: str, path: str, today: dt.date | None = None) -> tuple[
    Contacts | None, list[Problem]
]:
    """Parse contacts.yaml text; return the contacts (None on errors) and every problem."""
    reader = Reader(path)
    data = reader.load_yaml(text)
    if data is None:
        if not reader.problems:
            reader.error(1, "the file is empty; it needs recipients, everyone and countries")
        return None, reader.problems
    top = reader.mapping(data, 1, "the file")
    if top is None:
        return None, reader.problems
    reader.unknown_keys(top, TOP_FIELDS, "the file")
    recipients = _read_recipients(reader, top, today or dt.date.today())
    everyone = _read_everyone(reader, top, recipients)
    countries = _read_countries(reader, top, recipients, everyone)
    organizers = read_organizers(reader, top, Path(path).parent)
    partners = read_partners(reader, top, Path(path).parent)
    if reader.failed:
        return None, reader.problems
    return Contacts(recipients, countries, everyone, organizers, partners), reader.problems


def load_contacts(path: str | Path) -> Contacts:
    """Read and parse contacts.yaml; raise DataError naming file, line and key if broken."""
    text = read_text(path)
    contacts, problems = parse_contacts(text, str(path))
    if contacts is None:
        raise DataError([p for p in problems if not p.warning])
    return contacts


def _read_recipients(reader: Reader, top: Mapping, today: dt.date) -> dict[str, Recipient]:
    """Read the recipients section into Recipient objects keyed by id."""
    section = reader.mapping(top.get("recipients"), top.lines.get("recipients", top.line),
                             "'recipients'")
    recipients: dict[str, Recipient] = {}
    for key, value in (section or {}).items():
        line = section.lines[key] if section else 1
        if not isinstance(key, str) or not RECIPIENT_KEY.fullmatch(key):
            reader.error(line, f"recipient id {key!r} must be lower-case letters, digits and -")
            continue
        reader.declared.add(key)
        if len(key) > RECIPIENT_KEY_MAX:
            reader.error(line, f"recipient id {key!r} is {len(key)} characters; keep it within "
                         f"{RECIPIENT_KEY_MAX}")
            continue
        entry = reader.mapping(value, line, f"recipient {key!r}")
        if entry is None:
            continue
        recipient = _read_recipient(reader, key, entry, today)
        if recipient is None:
            continue
        twin = next((r for r in recipients.values() if r.email and r.email == recipient.email),
                    None)
        if twin is not None:
            reader.error(entry.lines["email"], f"{recipient.email} of recipient {key!r} is "
                         f"already the address of recipient {twin.key!r}; keep one recipient")
        recipients[key] = recipient
    return recipients


def _read_recipient(reader: Reader, key: str, entry: Mapping, today: dt.date) -> Recipient | None:
    """Read one recipient, checking its address and where it came from."""
    what = f"recipient {key!r}"
    reader.unknown_keys(entry, RECIPIENT_FIELDS, what)
    kind = reader.text(entry, "kind", what)
    if kind and kind not in KINDS:
        reader.error(entry.lines["kind"], f"kind {kind!r} of {what} must be one of "
                     f"{', '.join(KINDS)}")
    country = reader.text(entry, "country", what, required=kind != "un-mission")
    if country and not (COUNTRY_CODE.fullmatch(country) and iso_country(country)):
        reader.error(entry.lines["country"], f"country {country!r} of {what} is not an ISO "
                     "3166-1 alpha-2 code, like BR")
    city = reader.text(entry, "city", what)
    email = reader.text(entry, "email", what, required=False)
    website = reader.text(entry, "website", what, required=False)
    handle = reader.text(entry, "x", what, required=False)
    wikidata = reader.text(entry, "wikidata", what, required=False)
    note = reader.text(entry, "note", what, required=False)
    status = reader.text(entry, "status", what)
    if email and (why := check_email(email)):
        reader.error(entry.lines["email"], f"email {email!r} of {what} is not valid: {why}")
    if website and not re.fullmatch(r"https?://\S+", website):
        reader.error(entry.lines["website"], f"website {website!r} of {what} must be a "
                     "link starting with http:// or https://")
    if handle and not X_HANDLE.fullmatch(handle.removeprefix("@")):
        reader.error(entry.lines["x"], f"x {handle!r} of {what} is not an X handle (letters, "
                     "digits and _, at most 15)")
    if wikidata and not re.fullmatch(r"Q\d+", wikidata):
        reader.error(entry.lines["wikidata"], f"wikidata {wikidata!r} of {what} must be an "
                     "item id like Q123")
    if status and status not in STATUSES:
        reader.error(entry.lines["status"],
                     f"status {status!r} of {what} must be one of {', '.join(STATUSES)}")
    if email and status == "no-address":
        reader.error(entry.lines["status"], f"{what} has an email but status no-address; "
                     "use confirmed or unconfirmed")
    if not email and status in ("confirmed", "unconfirmed"):
        reader.error(entry.owner_line, f"{what} is {status} but has no email; "
                     "add the email or set status: no-address")
    source = _read_source(reader, entry, "source", what, needed=True)
    checked = entry.get("checked")
    if checked is None:
        reader.error(entry.owner_line, f"{what} has no 'checked' date; add checked: YYYY-MM-DD")
    elif not isinstance(checked, dt.date):
        reader.error(entry.lines["checked"], f"'checked' of {what} must be a date: YYYY-MM-DD")
        checked = None
    if email and status == "unconfirmed":
        reader.warn(entry.lines["status"], f"the address of {what} is unconfirmed: "
                    "find an official page or a second source")
    if checked is not None and today - checked > STALE_AFTER:
        reader.warn(entry.lines["checked"], f"{what} was last checked on {checked}, over a "
                    "year ago: check the source again")
    if kind is None or city is None or status is None or checked is None:
        return None
    return Recipient(key, kind, country or "", city, email, website,
                     handle.removeprefix("@") if handle else None, wikidata, source, checked,
                     status, note, entry.owner_line)


def _read_source(reader: Reader, entry: Mapping, key: str, what: str,
                 needed: bool) -> tuple[str, ...]:
    """Read where facts were found: one text or a list of texts."""
    value: Any = entry.get(key)
    if value is None:
        if needed:
            reader.error(entry.owner_line, f"{what} has no {key!r}; say where its facts were "
                         "found (a link, or a note)")
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
        reader.error(entry.lines[key], f"{key!r} of {what} must be a text or a list of texts")
        return ()
    return tuple(s.strip() for s in items)


def _read_everyone(reader: Reader, top: Mapping, recipients: dict[str, Recipient]) -> tuple[
    Recipient, ...
]:
    """Read the list of recipients every supporter writes to."""
    line = top.lines.get("everyone", top.line)
    value = top.get("everyone", [])
    if not isinstance(value, list):
        reader.error(line, "'everyone' must be a list of recipient ids, like [un-new-york]")
        return ()
    found = []
    for key in value:
        recipient = _known_recipient(reader, key, line, recipients, "'everyone'")
        if recipient is not None:
            if recipient in found:
                reader.error(line, f"recipient {key!r} is listed twice in 'everyone'")
            found.append(recipient)
    return tuple(found)


def _known_recipient(reader: Reader, key: Any, line: int, recipients: dict[str, Recipient],
                     where: str) -> Recipient | None:
    """Look a recipient id up, recording an error if no recipient has it."""
    if isinstance(key, str) and key in recipients:
        return recipients[key]
    if key not in reader.declared:  # a declared but broken recipient has its own error
        reader.error(line, f"{where} names recipient {key!r}, which is not under "
                     "'recipients'")
    return None


def _read_countries(reader: Reader, top: Mapping, recipients: dict[str, Recipient],
                    everyone: tuple[Recipient, ...]) -> dict[str, Country]:
    """Read every country: its mission, consulates and consular districts."""
    section = reader.mapping(top.get("countries"), top.lines.get("countries", top.line),
                             "'countries'")
    countries: dict[str, Country] = {}
    for code, value in (section or {}).items():
        line = section.lines[code] if section else 1
        if not isinstance(code, str) or not COUNTRY_CODE.fullmatch(code) or not iso_country(code):
            if isinstance(code, bool):
                hint = " (YAML reads NO as false: write it in quotes, as 'NO')"
            elif isinstance(code, str) and code.upper() in ISO_HINTS:
                hint = f" (did you mean {ISO_HINTS[code.upper()]}?)"
            else:
                hint = ", two capital letters like GB"
            reader.error(line, f"country code {code!r} is not an ISO 3166-1 alpha-2 code{hint}")
            continue
        country = _read_country(reader, code, value, line, recipients, everyone)
        if country is not None:
            countries[code] = country
    return countries


def _read_country(reader: Reader, code: str, value: Any, line: int,
                  recipients: dict[str, Recipient],
                  everyone: tuple[Recipient, ...]) -> Country | None:
    """Read one country entry."""
    what = f"country {code}"
    entry = reader.mapping(value, line, what)
    if entry is None:
        return None
    reader.unknown_keys(entry, COUNTRY_FIELDS, what)
    if "mission" not in entry:
        reader.error(entry.owner_line, f"{what} has no 'mission'; name the recipient id that "
                     "receives its letters (usually its embassy)")
        return None
    mission = _known_recipient(reader, entry["mission"], entry.lines["mission"], recipients,
                               what)
    consulates = _read_consulates(reader, entry, code, recipients)
    source = _read_source(reader, entry, "source", what, needed=False)
    if mission is None:
        return None
    if mission.country != code and not source:
        reader.warn(entry.lines["mission"], f"{what}'s mission {mission.key!r} is in "
                    f"{mission.country or 'no country'}: add source: saying where its "
                    f"accreditation to {code} is published")
    districts = _read_districts(reader, entry, code, mission, consulates)
    if districts is None:
        return None
    places, by_region = districts
    if not by_region:
        places = {r.key: (r,) for r in (mission, *consulates)} if consulates else {}
    choices, also = _choices(places, mission, everyone, by_region) if places else ((), {})
    districts_source = _read_source(reader, entry, "districts_source", what,
                                    needed=by_region)
    return Country(code, mission, consulates, places, choices, by_region, districts_source,
                   source, also)


def _read_consulates(reader: Reader, entry: Mapping, code: str,
                     recipients: dict[str, Recipient]) -> tuple[Recipient, ...]:
    """Read a country's list of consulates."""
    value = entry.get("consulates", [])
    line = entry.lines.get("consulates", entry.owner_line)
    if not isinstance(value, list):
        reader.error(line, f"'consulates' of country {code} must be a list of recipient ids")
        return ()
    found: list[Recipient] = []
    for key in value:
        recipient = _known_recipient(reader, key, line, recipients, f"country {code}")
        if recipient is None:
            continue
        if recipient.country != code:
            reader.error(line, f"consulate {key!r} of country {code} is in "
                         f"{recipient.country or 'no country'}")
        if recipient in found:
            reader.error(line, f"consulate {key!r} is listed twice for country {code}")
        found.append(recipient)
    return tuple(found)


def _read_districts(reader: Reader, entry: Mapping, code: str, mission: Recipient,
                    consulates: tuple[Recipient, ...]) -> tuple[
                        dict[str, tuple[Recipient, ...]], bool] | None:
    """Read a country's consular districts: which mission serves which region.

    Returns the region -> missions map and whether there are districts; None on errors.
    """
    if "districts" not in entry:
        return {}, False
    what = f"'districts' of country {code}"
    section = reader.mapping(entry["districts"], entry.lines["districts"], what)
    if section is None:
        return None
    split = entry.get("split", [])
    if not isinstance(split, list):
        reader.error(entry.lines["split"], f"'split' of country {code} must be a list of "
                     "region codes that two missions share")
        split = []
    missions = {r.key: r for r in (mission, *consulates)}
    subdivisions = iso_subdivisions(code)
    serving: dict[str, list[Recipient]] = {}
    lines: dict[str, int] = {}  # the line each region was last listed on
    failed = False
    for key, regions in section.items():
        line = section.lines[key]
        if key not in missions:
            reader.error(line, f"{what} names {key!r}, which is not the country's mission nor "
                         "one of its consulates")
            failed = True
            continue
        if not isinstance(regions, list):
            reader.error(line, f"the district of {key!r} must be a list of region codes, like "
                         "[ON, MB]")
            failed = True
            continue
        for region in regions:
            if not isinstance(region, str) or not REGION_CODE.fullmatch(region):
                reader.error(line, f"region {region!r} in the district of {key!r} must be an ISO "
                             "3166-2 code without the country, in quotes if YAML could read it "
                             "otherwise (like 'ON', '26')")
                failed = True
            elif region.split("-")[0] not in subdivisions:
                reader.error(line, f"region {region!r} in the district of {key!r} is not an ISO "
                             f"3166-2 subdivision of {code} (like {code}-"
                             f"{next(iter(subdivisions), 'XX')}), nor part of one")
                failed = True
            else:
                serving.setdefault(region, []).append(missions[key])
                lines[region] = line
    for region, found in serving.items():
        state = region.split("-")[0]
        if len(found) > 1 and region not in split:
            reader.error(lines[region], f"region {region} of {code} is in the districts of "
                         f"{found[0].key!r} and {found[1].key!r}: districts must not overlap "
                         "(list it under 'split' if a source says the two share it)")
            failed = True
        if region != state and state in serving:
            reader.error(lines[region], f"region {region} of {code} is part of {state}, which "
                         "is also listed: districts must not overlap")
            failed = True
    for region in split:
        if len(serving.get(region, [])) < 2:
            reader.error(entry.lines["split"], f"'split' region {region!r} of {code} must be "
                         "listed in two districts")
            failed = True
    if failed:
        return None
    places = {region: tuple(found) for region, found in serving.items()}
    for state in subdivisions:  # a region no source assigns: the country's own mission
        if state not in places and not any(r.startswith(f"{state}-") for r in places):
            places[state] = (mission,)
    return places, True


def _choices(places: dict[str, tuple[Recipient, ...]], mission: Recipient,
             everyone: tuple[Recipient, ...], by_region: bool) -> tuple[
                 tuple[str, ...], dict[str, tuple[str, ...]]]:
    """What to ask a supporter of a country, and which answers each asked one stands for:
    nothing where every answer sends the letter to the same addresses; a state whose parts all
    send alike as the state, not its parts; and, where the page asks for the nearest
    consulate, one answer for the cities whose letters go to the same addresses (a consulate
    with no address sends to the embassy: its city joins the embassy's answer). Regions stay
    apart: supporters know their state, not their consular district."""
    country = Country("", mission, (), places, (), False)

    def sends(region: str) -> tuple[str, ...]:
        return tuple(r.key for r in _route(country, region, everyone).addressed)

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
    first: dict[tuple[str, ...], str] = {}
    also: dict[str, list[str]] = {}
    for choice in choices:
        asked = first.setdefault(sends(choice), choice)
        if asked != choice:
            also.setdefault(asked, []).append(choice)
    return tuple(first.values()), {key: tuple(others) for key, others in also.items()}
