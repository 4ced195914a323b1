"""`campaign coverage`: what contacts.yaml holds for each country, and how it compares with a
newer export of China's missions from Wikidata. Organizers decide; nothing is rewritten."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click
import pycountry

from ..data.contacts import Contacts, Recipient
from ..data.contactsfile import load_contacts
from ..data.yamlfile import DataError
from ..i18n.names import country_names
from ..settings import Settings

# What a mission gives supporters, best first.
CONFIRMED, UNCONFIRMED, WEBSITE_ONLY, NOTHING = "confirmed", "unconfirmed", "website only", \
    "nothing"
CATEGORIES = (CONFIRMED, UNCONFIRMED, WEBSITE_ONLY, NOTHING)
# The channels that reach a mission, as the table and the CSV name them. Every supporter may
# also post the letter to the Minister (contacts.yaml's minister), whatever their country has.
CONFIRMED_EMAIL, UNCONFIRMED_EMAIL, X_ACCOUNT, POSTAL = "confirmed email", \
    "unconfirmed email", "X account", "postal address"
CHANNELS = (CONFIRMED_EMAIL, UNCONFIRMED_EMAIL, X_ACCOUNT, POSTAL)
# The Wikidata export's types, as contacts.yaml names them.
EXPORT_KINDS = {"embassy": "embassy", "consulate general": "consulate-general",
                "consulate": "consulate"}


def category(recipient: Recipient) -> str:
    """What a mission gives supporters: a confirmed or unconfirmed address, its website, or
    nothing."""
    if recipient.email:
        return CONFIRMED if recipient.status == "confirmed" else UNCONFIRMED
    return WEBSITE_ONLY if recipient.website else NOTHING


def channels(recipient: Recipient) -> tuple[str, ...]:
    """The channels that reach a mission: its email (confirmed or not), X account, post."""
    found = []
    if recipient.email:
        found.append(CONFIRMED_EMAIL if recipient.status == "confirmed" else UNCONFIRMED_EMAIL)
    if recipient.x:
        found.append(X_ACCOUNT)
    if recipient.address:
        found.append(POSTAL)
    return tuple(found)


@dataclass(frozen=True)
class CountryCoverage:
    """One country's missions, and the channels that reach them."""

    code: str
    missions: tuple[Recipient, ...]

    @property
    def reached(self) -> dict[str, int]:
        """How many of its missions each channel reaches."""
        return {name: sum(name in channels(m) for m in self.missions) for name in CHANNELS}

    @property
    def unreached(self) -> bool:
        """Whether no channel reaches a mission of the country: the post to the Minister (and
        the UN missions) alone reach China from there."""
        return not any(self.reached.values())


def coverage(contacts: Contacts) -> list[CountryCoverage]:
    """Every country in contacts.yaml, in the order of its code."""
    return [CountryCoverage(code, country.missions)
            for code, country in sorted(contacts.countries.items())]


def totals(contacts: Contacts) -> dict[str, int]:
    """Countries, missions (each counted once), missions by category, countries each channel
    reaches (by the channel's name), and countries none reaches ('unreached')."""
    missions = {m.key: m for country in contacts.countries.values() for m in country.missions}
    by_category = Counter(category(m) for m in missions.values())
    rows = coverage(contacts)
    return {"countries": len(contacts.countries), "missions": len(missions),
            **{name: by_category[name] for name in CATEGORIES},
            **{name: sum(1 for row in rows if row.reached[name]) for name in CHANNELS},
            "unreached": sum(1 for row in rows if row.unreached)}


def format_coverage(contacts: Contacts, country_name: dict[str, str]) -> str:
    """The coverage table as organizers read it, with the totals."""
    rows = coverage(contacts)
    width = max(len(country_name.get(r.code, r.code)) for r in rows)
    heads = ("confirmed", "unconfirmed", "X", "post")
    lines = [f"{'':2}  {'country':<{width}}  " + "  ".join(heads) + "  missions: what reaches each"]
    for row in rows:
        counts = "  ".join(f"{row.reached[name] or '-':>{len(head)}}"
                           for name, head in zip(CHANNELS, heads, strict=True))
        missions = "; ".join(f"{m.kind} {m.city} ({', '.join(channels(m)) or category(m)})"
                             for m in row.missions) or "no Chinese mission"
        lines.append(f"{row.code:2}  {country_name.get(row.code, row.code):<{width}}  "
                     f"{counts}  {missions}")
    count = totals(contacts)
    unreached = [row.code for row in rows if row.unreached]
    lines += ["", f"{count['countries']} countries. A mission of the country is reached by:"]
    lines += [f"  {name:<17}  {count[name]:>3} countries" for name in CHANNELS]
    lines.append(f"  {'none of these':<17}  {count['unreached']:>3} countries"
                 + (f" ({', '.join(unreached)})" if unreached else ""))
    lines.append(_minister_line(contacts, count["unreached"]))
    lines += ["", f"{count['missions']} missions: "
              + ", ".join(f"{count[name]} {_with(name)}" for name in CATEGORIES)]
    return "\n".join(lines)


def _minister_line(contacts: Contacts, unreached: int) -> str:
    """What reaches China from every country: the post to the Minister, where contacts.yaml
    gives his address."""
    if contacts.minister is None:
        return (f"No minister in contacts.yaml: supporters in those {unreached} countries reach "
                "only the UN missions. Add the minister and the Ministry's postal address.")
    return ("Every supporter may also post the letter to the Minister (minister: in "
            "contacts.yaml), and write to the UN missions.")


def _with(name: str) -> str:
    return {CONFIRMED: "with a confirmed email", UNCONFIRMED: "with an unconfirmed email",
            WEBSITE_ONLY: "with a website only", NOTHING: "with nothing"}[name]


def coverage_csv(contacts: Contacts) -> str:
    """One row per mission (and one for each country no mission serves, its mission blank),
    with a column for each channel that reaches it, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country", "mission", "kind", "city", "status",
                     *[name.lower().replace(" ", "_") for name in CHANNELS], "email",
                     "email_purpose", "website", "x", "x_status", "address", "wikidata",
                     "checked", "source", "address_source"])
    for row in coverage(contacts):
        if not row.missions:
            writer.writerow([row.code, "", "", "", NOTHING, *[0] * len(CHANNELS),
                             *[""] * 10])
        for m in row.missions:
            reached = channels(m)
            writer.writerow([row.code, m.key, m.kind, m.city, category(m),
                             *[int(name in reached) for name in CHANNELS], m.email or "",
                             m.purpose if m.email else "", m.website or "", m.x or "",
                             m.x_status or "", " / ".join(m.address), m.wikidata or "",
                             m.checked, " | ".join(m.source), " | ".join(m.address_source)])
    return out.getvalue()


@dataclass(frozen=True)
class ExportRow:
    """One mission in a Wikidata export (the columns of prc-missions-wikidata.csv)."""

    qid: str
    country: str  # ISO code, '' if the country name is not recognised
    kind: str
    city: str
    website: str
    email: str
    line: int


@dataclass(frozen=True)
class Comparison:
    """What differs between contacts.yaml and an export."""

    added: list[ExportRow]  # in the export, not in contacts.yaml
    closed: list[Recipient]  # in contacts.yaml with a Wikidata id the export no longer has
    website: list[tuple[Recipient, ExportRow]]
    email: list[tuple[Recipient, ExportRow]]
    unreadable: list[str]


def _iso(name: str) -> str:
    """An ISO code for a country name as Wikidata writes it."""
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)
        except LookupError:
            return ""


def read_export(path: str | Path) -> tuple[list[ExportRow], list[str]]:
    """An export's rows (PRC embassies and consulates), and what could not be read."""
    rows, unreadable = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"country", "city", "type", "website", "email", "mission_qid"} - set(
            reader.fieldnames or [])
        if missing:
            return [], [f"{path}: the export has no column {', '.join(sorted(missing))}"]
        for number, record in enumerate(reader, start=2):
            kind = EXPORT_KINDS.get((record["type"] or "").strip())
            qid = (record["mission_qid"] or "").strip()
            if kind is None or not re.fullmatch(r"Q\d+", qid):
                unreadable.append(f"{path}:{number}: not an embassy or consulate with a "
                                  f"Wikidata id ({record['type']!r}, {qid!r})")
                continue
            rows.append(ExportRow(qid, _iso(record["country"] or ""), kind,
                                  (record["city"] or "").strip(),
                                  (record["website"] or "").strip(),
                                  (record["email"] or "").strip().removeprefix("mailto:"),
                                  number))
    return rows, unreadable


def _same_site(a: str, b: str) -> bool:
    """Whether two website links name the same site (scheme, www and a final / aside)."""
    def bare(url: str) -> str:
        return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")
    return bare(a) == bare(b)


def compare(contacts: Contacts, path: str | Path) -> Comparison:
    """Compare contacts.yaml with a newer export: missions matched by Wikidata id, or else by
    country, kind and city."""
    rows, unreadable = read_export(path)
    missions = {m.key: m for country in contacts.countries.values() for m in country.missions}
    by_qid = {m.wikidata: m for m in missions.values() if m.wikidata}
    by_place = {(m.country, m.kind, m.city.lower()): m for m in missions.values()}
    matched: set[str] = set()
    added, website, email = [], [], []
    for row in rows:
        mission = by_qid.get(row.qid) or by_place.get((row.country, row.kind, row.city.lower()))
        if mission is None:
            added.append(row)
            continue
        matched.add(mission.key)
        if row.website and not (mission.website and _same_site(row.website, mission.website)):
            website.append((mission, row))
        if row.email and row.email != mission.email and row.email not in (mission.note or ""):
            email.append((mission, row))
    exported = {row.qid for row in rows}
    closed = [m for m in missions.values()
              if m.wikidata and m.wikidata not in exported and m.key not in matched]
    return Comparison(added, closed, website, email, unreadable)


def format_comparison(result: Comparison, contacts_path: str) -> str:
    """The comparison as organizers read it: each difference with where to look."""
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        lines.append(f"{title}: {len(items)}")
        lines.extend(f"  {item}" for item in items)

    section("In the export, not in contacts.yaml (a new mission, or one to add)", [
        f"{r.country or '??'} {r.kind} {r.city} ({r.qid}; export line {r.line})"
        + (f" website {r.website}" if r.website else "") for r in result.added])
    section("In contacts.yaml, gone from the export (closed? check before removing)", [
        f"{contacts_path}:{m.line}: {m.key} ({m.wikidata})" for m in result.closed])
    section("Website differs", [
        f"{contacts_path}:{m.line}: {m.key}: {m.website or '(none)'} -> {r.website}"
        for m, r in result.website])
    section("Email differs (Wikidata emails are unconfirmed at best: find a source)", [
        f"{contacts_path}:{m.line}: {m.key}: {m.email or '(none)'} -> {r.email}"
        for m, r in result.email])
    if result.unreadable:
        section("Rows not compared", result.unreadable)
    lines.append("Nothing was changed: edit contacts.yaml by hand, with a source for each fact.")
    return "\n".join(lines)


@click.command("coverage")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per mission, with a "
              "column per channel (and a row for each country no mission serves).")
@click.option("--compare", "export", type=click.Path(exists=True, dir_okay=False),
              default=None, help="A newer Wikidata export (the columns of "
              "prc-missions-wikidata.csv) to compare contacts.yaml with.")
@click.pass_obj
def coverage_command(settings: Settings, as_csv: bool, export: str | None) -> None:
    """What contacts.yaml holds per country: which channels reach its missions (a confirmed
    or unconfirmed email, an X account, a postal address), the totals, and the countries none
    reaches; or how it differs from a newer export."""
    try:
        contacts = load_contacts(settings.contacts)
    except DataError as error:
        raise click.ClickException(f"contacts.yaml is broken; run campaign check:\n{error}") \
            from None
    if export:
        click.echo(format_comparison(compare(contacts, export), settings.contacts))
    elif as_csv:
        click.echo(coverage_csv(contacts), nl=False)
    else:
        click.echo(format_coverage(contacts, country_names("en")))
