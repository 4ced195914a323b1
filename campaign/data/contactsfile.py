"""contacts.yaml, read and checked: every problem with its line and key, in words an organizer
understands, and the typed `Contacts` (contacts.py) when there is none."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .contacts import (
    ADDRESS_LINES,
    KINDS,
    NO_MISSION,
    PURPOSES,
    RECIPIENT_KEY_MAX,
    STATUSES,
    X_STATUSES,
    Contacts,
    Country,
    Minister,
    Recipient,
    choices_of,
    iso_country,
    iso_subdivisions,
)
from .emails import check_email
from .organizers import read_organizers
from .partners import read_partners
from .yamlfile import DataError, MarkedMapping, Problem, Reader, read_text

STALE_AFTER = dt.timedelta(days=365)
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# A top-level ISO 3166-2 subdivision (NY, 26, ACT), or a part of one named by a compass point.
REGION_CODE = re.compile(r"[A-Z0-9]{1,3}(-[NSEW])?")
RECIPIENT_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
RECIPIENT_FIELDS = {"kind", "country", "city", "email", "email_purpose", "website", "x",
                    "x_status", "address", "address_source", "wikidata", "source", "checked",
                    "status", "note"}
COUNTRY_FIELDS = {"mission", "consulates", "districts", "districts_source", "split", "source",
                  "caution", "note"}
MINISTER_FIELDS = {"name", "address", "source", "x", "note"}
ADDRESS_LINE_MAX = 80  # characters in one line of a postal address
TOP_FIELDS = {"recipients", "everyone", "countries", "organizers", "partners", "minister",
              "report_to"}  # moved under organizers: read_organizers says where
# Mail domains the one rule for addresses (top of contacts.yaml) never ships: webmail, whose
# boxes anyone can open, and the visa application centres, which are not the missions.
LEFT_OUT_DOMAINS = re.compile(
    r"(?:^|\.)(?:(?P<webmail>gmail\.com|googlemail\.com|(?:vip\.)?163\.com|126\.com|qq\.com|"
    r"(?:hotmail|outlook|live|yahoo|yandex)\.[a-z.]+|seznam\.cz)|(?P<visa>visaforchina\.org))$")
# Codes people reach for that ISO 3166-1 spells otherwise.
ISO_HINTS = {"UK": "GB", "EL": "GR", "KO": "KR", "SK": "KR (South Korea) or SK (Slovakia)"}


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
    minister = _read_minister(reader, top)
    if reader.failed:
        return None, reader.problems
    return Contacts(recipients, countries, everyone, organizers, partners,
                    minister), reader.problems


def load_contacts(path: str | Path) -> Contacts:
    """Read and parse contacts.yaml; raise DataError naming file, line and key if broken."""
    text = read_text(path)
    contacts, problems = parse_contacts(text, str(path))
    if contacts is None:
        raise DataError([p for p in problems if not p.warning])
    return contacts


def _read_recipients(reader: Reader, top: MarkedMapping, today: dt.date) -> dict[str, Recipient]:
    """Read the recipients section into Recipient objects keyed by id."""
    section = reader.mapping(top.get("recipients"), top.lines.get("recipients", top.line),
                             "'recipients'")
    recipients: dict[str, Recipient] = {}
    for key, value in (section or {}).items():
        line = section.lines[key] if section else 1
        if not isinstance(key, str) or not RECIPIENT_KEY.fullmatch(key):
            reader.error(line, f"recipient id {key!r} must be lower-case letters, digits and -")
            continue
        if key == NO_MISSION:
            reader.error(line, f"recipient id {key!r} is taken: a country's 'mission: "
                         f"{NO_MISSION}' says no Chinese mission serves it; choose another id")
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


def _read_recipient(reader: Reader, key: str, entry: MarkedMapping,
                    today: dt.date) -> Recipient | None:
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
    if email:
        _check_by_the_rule(reader, entry, what, email, status, source)
    checked = entry.get("checked")
    if checked is None:
        reader.error(entry.owner_line, f"{what} has no 'checked' date; add checked: YYYY-MM-DD")
    elif not isinstance(checked, dt.date):
        reader.error(entry.lines["checked"], f"'checked' of {what} must be a date: YYYY-MM-DD")
        checked = None
    if email and status == "unconfirmed":
        reader.warn(entry.lines["status"], f"the address of {what} is unconfirmed: find it "
                    "on an official page (the mission's own site or the Foreign Ministry's); "
                    "another directory does not confirm it")
    if checked is not None and today - checked > STALE_AFTER:
        reader.warn(entry.lines["checked"], f"{what} was last checked on {checked}, over a "
                    "year ago: check the source again")
    purpose = _read_choice(reader, entry, "email_purpose", what, PURPOSES, "general")
    if "email_purpose" in entry and not email:
        reader.error(entry.lines["email_purpose"], f"{what} has an email_purpose but no email")
    x_status = _read_choice(reader, entry, "x_status", what, X_STATUSES, None)
    if handle and x_status is None and "x_status" not in entry:
        reader.error(entry.lines["x"], f"{what} has an X account but no x_status: add "
                     "x_status: confirmed (its own page, or two sources) or unconfirmed")
    if x_status and not handle:
        reader.error(entry.lines["x_status"], f"{what} has an x_status but no x")
    address = _read_address(reader, entry, what)
    address_source = _read_source(reader, entry, "address_source", what, needed=bool(address))
    if kind is None or city is None or status is None or checked is None:
        return None
    return Recipient(key, kind, country or "", city, email, website,
                     handle.removeprefix("@") if handle else None, wikidata, source, checked,
                     status, note, entry.owner_line, purpose or "general", x_status, address,
                     address_source)


def _check_by_the_rule(reader: Reader, entry: MarkedMapping, what: str, email: str,
                       status: str | None, source: tuple[str, ...]) -> None:
    """What the one rule for addresses refuses: a webmail or visa centre's address, and a
    confirmed one whose sources name no page."""
    domain = email.rpartition("@")[2].lower()
    if found := LEFT_OUT_DOMAINS.search(domain):
        kind = "a visa application centre's, not the mission's" if found["visa"] \
            else "a webmail address, which anyone can open"
        reader.error(entry.lines["email"], f"email {email!r} of {what} is {kind}: the rule for "
                     "addresses (top of contacts.yaml) leaves it out; remove it and say so in "
                     "a note")
    if status == "confirmed" and source and not any(
            re.match(r"https?://", line) for line in source):
        reader.error(entry.lines["status"], f"{what} is confirmed, but no source is a page: "
                     "add the link of the official page that shows the address, or set "
                     "status: unconfirmed")


def _read_choice(reader: Reader, entry: MarkedMapping, key: str, what: str,
                 allowed: tuple[str, ...], default: str | None) -> str | None:
    """Read a value that must be one of a few words."""
    value = reader.text(entry, key, what, required=False)
    if value is None:
        return default
    if value not in allowed:
        reader.error(entry.lines[key], f"{key} {value!r} of {what} must be one of "
                     f"{', '.join(allowed)}")
        return default
    return value


def _read_address(reader: Reader, entry: MarkedMapping, what: str) -> tuple[str, ...]:
    """Read a postal address: a block of lines, as it goes on an envelope."""
    value = entry.get("address")
    if value is None:
        return ()
    line = entry.lines["address"]
    if not isinstance(value, str) or not value.strip():
        reader.error(line, f"address of {what} must be text, one line per line of the "
                     "envelope (write address: | and the lines below it, indented)")
        return ()
    lines = tuple(part.strip() for part in value.strip().splitlines() if part.strip())
    if len(lines) > ADDRESS_LINES:
        reader.error(line, f"address of {what} has {len(lines)} lines; an envelope's window "
                     f"shows {ADDRESS_LINES}")
    for text in lines:
        if len(text) > ADDRESS_LINE_MAX:
            reader.error(line, f"a line of the address of {what} is {len(text)} characters; "
                         f"keep each within {ADDRESS_LINE_MAX}: {text[:40]!r}...")
    return lines


def _read_minister(reader: Reader, top: MarkedMapping) -> Minister | None:
    """Read the letter's addressee: the Minister, the Ministry's postal address, its X."""
    if "minister" not in top:
        reader.warn(top.line, "there is no 'minister': add the letter's addressee, with the "
                    "Ministry's postal address (and its source), so supporters can post it")
        return None
    what = "'minister'"
    entry = reader.mapping(top["minister"], top.lines["minister"], what)
    if entry is None:
        return None
    reader.unknown_keys(entry, MINISTER_FIELDS, what)
    name = reader.text(entry, "name", what)
    handle = reader.text(entry, "x", what, required=False)
    if handle and not X_HANDLE.fullmatch(handle.removeprefix("@")):
        reader.error(entry.lines["x"], f"x {handle!r} of {what} is not an X handle (letters, "
                     "digits and _, at most 15)")
    address = _read_address(reader, entry, what)
    if not address:
        reader.error(entry.owner_line, f"{what} has no 'address'; add the Ministry's postal "
                     "address, one line per line of the envelope")
    source = _read_source(reader, entry, "source", what, needed=True)
    if name is None or not address:
        return None
    return Minister(name, address, source, handle.removeprefix("@") if handle else None)


def _read_source(reader: Reader, entry: MarkedMapping, key: str, what: str,
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


def _read_everyone(reader: Reader, top: MarkedMapping, recipients: dict[str, Recipient]) -> tuple[
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


def _read_countries(reader: Reader, top: MarkedMapping, recipients: dict[str, Recipient],
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
                     f"receives its letters (usually its embassy), or write mission: "
                     f"{NO_MISSION} where no Chinese mission serves it")
        return None
    source = _read_source(reader, entry, "source", what, needed=False)
    caution = entry.get("caution", False)
    if not isinstance(caution, bool):
        reader.error(entry.lines["caution"], f"caution of {what} must be true or false")
        caution = False
    if entry["mission"] == NO_MISSION:
        for key in ("consulates", "districts", "districts_source", "split"):
            if key in entry:
                reader.error(entry.lines[key], f"{what} has mission: {NO_MISSION}, so it has no "
                             f"{key}: name its mission, or remove {key}")
        return Country(code, None, (), {}, (), False, source=source, caution=caution)
    mission = _known_recipient(reader, entry["mission"], entry.lines["mission"], recipients,
                               what)
    consulates = _read_consulates(reader, entry, code, recipients)
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
    choices, also = choices_of(places, mission, everyone, by_region) if places else ((), {})
    districts_source = _read_source(reader, entry, "districts_source", what,
                                    needed=by_region)
    return Country(code, mission, consulates, places, choices, by_region, districts_source,
                   source, also, caution)


def _read_consulates(reader: Reader, entry: MarkedMapping, code: str,
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


def _read_districts(reader: Reader, entry: MarkedMapping, code: str, mission: Recipient,
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
