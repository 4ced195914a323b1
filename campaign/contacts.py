"""Who supporters write to: contacts.yaml, parsed once into typed objects."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from email_validator import EmailNotValidError, validate_email

from .datafile import DataError, Mapping, Problem, Reader, read_text

STATUSES = ("confirmed", "unconfirmed", "no-address")
STALE_AFTER = dt.timedelta(days=180)
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
REGION_CODE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
RECIPIENT_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
OTHER = "other"  # the country choice of a supporter whose country is not listed

RECIPIENT_FIELDS = {"name", "email", "website", "source", "checked", "status", "note"}
COUNTRY_FIELDS = {"name", "mission", "regions"}
REGION_FIELDS = {"name", "mission"}
TOP_FIELDS = {"recipients", "everyone", "countries", "report_to"}


# Codes people reach for that ISO 3166-1 spells otherwise.
ISO_HINTS = {"UK": "GB", "EL": "GR", "KO": "KR", "SK": "KR (South Korea) or SK (Slovakia)"}
# Subdivision types a country's regions must cover: every state, and the capital district.
COVERED_TYPES = {"State", "District"}


def iso_country(code: str) -> bool:
    """Whether code is an assigned ISO 3166-1 alpha-2 country code."""
    return pycountry.countries.get(alpha_2=code) is not None


@functools.cache
def iso_subdivisions(country: str) -> dict[str, tuple[str, str]]:
    """The ISO 3166-2 subdivisions of a country, as {'NY': ('New York', 'State')}."""
    found = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
    return {s.code.split("-", 1)[1]: (s.name, s.type) for s in found}


def check_email(address: str) -> str | None:
    """Return why an address is not valid, or None; syntax only, no network."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def place_key(country: str, region: str = "") -> str:
    """The one spelling of a supporter's place, as forms and counts carry it: 'GB', 'US:NY',
    'other', or '' for none."""
    return f"{country}:{region}" if region else country


def split_place(key: str) -> tuple[str, str]:
    """A place key's country and region."""
    country, _, region = key.partition(":")
    return country, region


@dataclass(frozen=True)
class Recipient:
    """A mission that receives letters, with where its address came from."""

    key: str
    name: str
    email: str | None
    website: str | None
    source: tuple[str, ...]
    checked: dt.date | None
    status: str
    note: str | None
    line: int


@dataclass(frozen=True)
class Region:
    """A part of a country (a US state) served by one mission."""

    code: str
    name: str
    mission: Recipient


@dataclass(frozen=True)
class Country:
    """A country with the mission that receives its supporters' letters."""

    code: str
    name: str
    mission: Recipient
    regions: dict[str, Region]


@dataclass(frozen=True)
class Route:
    """Who a supporter in one place writes to."""

    serving: Recipient | None  # the mission that serves the supporter's place
    instead: Recipient | None  # who receives the letter when `serving` has no address
    everyone: tuple[Recipient, ...]

    @property
    def recipients(self) -> list[Recipient]:
        """Every recipient shown, in order: the local mission first, then the UN missions."""
        local = [r for r in (self.serving, self.instead) if r is not None]
        return local + [r for r in self.everyone if r not in local]

    @property
    def addressed(self) -> list[Recipient]:
        """The recipients with an address: those the letter is sent to."""
        return [r for r in self.recipients if r.email]


@dataclass(frozen=True)
class Contacts:
    """Every recipient and the countries that route to them."""

    recipients: dict[str, Recipient]
    countries: dict[str, Country]
    everyone: tuple[Recipient, ...]
    report_to: str | None

    def place_of(self, country: str, region: str = "") -> tuple[str, str] | None:
        """A country (any case, or 'other') and region as contacts.yaml spells them: None for a
        country it does not list; a region that country does not have is left blank."""
        code = country.strip().upper()
        if code == OTHER.upper():
            return OTHER, ""
        found = self.countries.get(code)
        if found is None:
            return None
        region = region.strip().upper()
        return code, region if region in found.regions else ""

    def key_of(self, country: str, region: str = "") -> str:
        """The place key of a chosen country and region: '' for a country not listed, and the
        country alone where the region is not one of its own."""
        known = self.countries.get(country)
        if known is None:
            return OTHER if country == OTHER else ""
        return place_key(country, region if region in known.regions else "")

    def places(self) -> list[tuple[str, str, str]]:
        """Every place a supporter can choose, as (key, country, region), regions after their
        country."""
        found = []
        for code, country in self.countries.items():
            found.append((place_key(code), code, ""))
            found += [(place_key(code, region), code, region) for region in country.regions]
        return found + [(OTHER, OTHER, "")]

    def route(self, country_code: str | None, region_code: str | None = None) -> Route:
        """Who a supporter in this country (and region) writes to; unknown codes get the UN."""
        country = self.countries.get(country_code or "")
        if country is None:
            return Route(None, None, self.everyone)
        serving = country.mission
        if country.regions and region_code in country.regions:
            serving = country.regions[region_code].mission
        instead = None if serving.email else country.mission
        if instead is serving:
            instead = None
        return Route(serving, instead, self.everyone)


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
    countries = _read_countries(reader, top, recipients)
    report_to = reader.text(top, "report_to", "the file", required=False)
    if report_to and (why := check_email(report_to)):
        reader.error(top.lines["report_to"], f"report_to {report_to!r} is not valid: {why}")
    elif not report_to:
        reader.warn(1, "no report_to: supporters cannot tell you about an address that "
                    "bounced; add report_to: <the organizers' email address>")
    if reader.failed:
        return None, reader.problems
    return Contacts(recipients, countries, everyone, report_to), reader.problems


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
    name = reader.text(entry, "name", what)
    email = reader.text(entry, "email", what, required=False)
    website = reader.text(entry, "website", what, required=False)
    note = reader.text(entry, "note", what, required=False)
    status = reader.text(entry, "status", what)
    if email and (why := check_email(email)):
        reader.error(entry.lines["email"], f"email {email!r} of {what} is not valid: {why}")
    if status and status not in STATUSES:
        reader.error(entry.lines["status"],
                     f"status {status!r} of {what} must be one of {', '.join(STATUSES)}")
    if email and status == "no-address":
        reader.error(entry.lines["status"], f"{what} has an email but status no-address; "
                     "use confirmed or unconfirmed")
    if not email and status in ("confirmed", "unconfirmed"):
        reader.error(entry.owner_line, f"{what} is {status} but has no email; "
                     "add the email or set status: no-address")
    source = _read_source(reader, entry, what, needed=bool(email))
    checked = entry.get("checked")
    if checked is None:
        reader.error(entry.owner_line, f"{what} has no 'checked' date; add checked: YYYY-MM-DD")
    elif not isinstance(checked, dt.date):
        reader.error(entry.lines["checked"], f"'checked' of {what} must be a date: YYYY-MM-DD")
        checked = None
    if not email:
        hint = f" (see {website})" if website else "; add its website"
        reader.warn(entry.owner_line, f"{what} has no address: supporters are told so{hint}")
    elif status == "unconfirmed":
        reader.warn(entry.lines["status"], f"the address of {what} is unconfirmed: "
                    "find an official page or a second source")
    if checked is not None and today - checked > STALE_AFTER:
        reader.warn(entry.lines["checked"], f"{what} was last checked on {checked}, over "
                    f"{STALE_AFTER.days} days ago: check the source again")
    if name is None or status is None or checked is None:
        return None
    return Recipient(key, name, email, website, source, checked, status, note, entry.owner_line)


def _read_source(reader: Reader, entry: Mapping, what: str, needed: bool) -> tuple[str, ...]:
    """Read where an address was found: one text or a list of texts."""
    value: Any = entry.get("source")
    if value is None:
        if needed:
            reader.error(entry.owner_line, f"{what} has an email but no 'source'; "
                         "say where the address was found")
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(s, str) and s.strip() for s in items):
        reader.error(entry.lines["source"], f"'source' of {what} must be a text or a list of texts")
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
        known = ", ".join(sorted(recipients)) or "none"
        reader.error(line, f"{where} names recipient {key!r}, which is not under 'recipients' "
                     f"(known: {known})")
    return None


def _read_countries(reader: Reader, top: Mapping, recipients: dict[str, Recipient]) -> dict[
    str, Country
]:
    """Read every country, and its regions, with the mission serving each."""
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
        what = f"country {code}"
        place = _read_place(reader, value, line, COUNTRY_FIELDS, what, recipients,
                            f"{what} has no 'mission'; name the recipient id that receives "
                            "its letters")
        if place is None:
            continue
        entry, name, mission = place
        regions = _read_regions(reader, entry, code, recipients)
        if isinstance(entry.get("regions"), Mapping):
            listed = {str(region).split("-")[0] for region in entry["regions"]}
            _check_coverage(reader, entry.lines["regions"], code, listed)
        if mission is not None and regions and not mission.email:
            reader.error(entry.lines["mission"], f"{what}'s mission {mission.key!r} has no "
                         "address, so regions served by missions without one reach nobody")
        if name and mission:
            countries[code] = Country(code, name, mission, regions)
    return countries


def _read_place(reader: Reader, value: Any, line: int, fields: set[str], what: str,
                recipients: dict[str, Recipient], no_mission: str) -> tuple[
                    Mapping, str | None, Recipient | None] | None:
    """Read a country or region: its entry, its name and the mission that serves it."""
    entry = reader.mapping(value, line, what)
    if entry is None:
        return None
    reader.unknown_keys(entry, fields, what)
    name = reader.text(entry, "name", what)
    if "mission" not in entry:
        reader.error(entry.owner_line, no_mission)
        return entry, name, None
    return entry, name, _known_recipient(reader, entry["mission"], entry.lines["mission"],
                                         recipients, what)


def _read_regions(reader: Reader, country: Mapping, code: str,
                  recipients: dict[str, Recipient]) -> dict[str, Region]:
    """Read a country's regions (US states), each served by one mission."""
    if "regions" not in country:
        return {}
    section = reader.mapping(country["regions"], country.lines["regions"],
                             f"'regions' of country {code}")
    regions: dict[str, Region] = {}
    for region_code, value in (section or {}).items():
        line = section.lines[region_code] if section else 1
        if not isinstance(region_code, str) or not REGION_CODE.fullmatch(region_code):
            reader.error(line, f"region code {region_code!r} of country {code} must be capital "
                         "letters like NY, or CA-N for part of a state")
            continue
        if region_code.split("-")[0] not in iso_subdivisions(code):
            reader.error(line, f"region code {region_code!r} is not an ISO 3166-2 subdivision "
                         f"of {code} (like NY for {code}-NY), nor part of one (like CA-N)")
            continue
        what = f"region {region_code} of country {code}"
        place = _read_place(reader, value, line, REGION_FIELDS, what, recipients,
                            f"{what} is served by no mission; add mission: <recipient id>")
        if place is None:
            continue
        _entry, name, mission = place
        if name and mission:
            regions[region_code] = Region(region_code, name, mission)
    return regions


def _check_coverage(reader: Reader, line: int, code: str, covered: set[str]) -> None:
    """Record every state of a country that no region (nor part of one) is listed for."""
    for sub, (name, kind) in sorted(iso_subdivisions(code).items()):
        if kind in COVERED_TYPES and sub not in covered:
            reader.error(line, f"{name} ({code}-{sub}) is served by no "
                         f"mission: add {sub}: {{name: ..., mission: <recipient id>}} "
                         "under 'regions'")
