"""`campaign check`: every problem in contacts.yaml and letters/, and how long each link gets."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import click

from ..compose.sendlinks import LIMITS, MAILTO_LIMITS, WEBMAIL_LIMITS, Message, send_links
from ..data.catalogs import check_catalogs
from ..data.cities import check_city_names
from ..data.contacts import Contacts, split_place
from ..data.contactsfile import parse_contacts
from ..data.letterfiles import LETTER_SUFFIX, parse_letters
from ..data.letters import Letter, Letters
from ..data.lettertext import Signature
from ..data.posts import X_LIMIT, addressed_post, x_length
from ..data.yamlfile import DataError, Problem, read_text
from ..media.fonts import missing
from ..settings import Settings

# A long signature, and each letter's longest subject: the lengths shown are near the worst.
SAMPLE = Signature("Alexandra Montgomery-Smith", "San Francisco, California")


@dataclass(frozen=True)
class LinkLengths:
    """How long each send link is for the places that share one set of recipients."""

    letter: str
    places: tuple[str, ...]
    lengths: dict[str, int]

    @property
    def over(self) -> list[str]:
        """The channels whose link is past its limit: supporters there get the paste fallback."""
        return [channel for channel, length in self.lengths.items() if length > LIMITS[channel]]


@dataclass(frozen=True)
class Report:
    """What `campaign check` found."""

    problems: list[Problem]
    links: list[LinkLengths]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def _shown(path: str) -> str:
    """A path as the organizer typed it: relative to where they stand, when it is below."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def check(contacts_path: str, letters_dir: str, today: dt.date | None = None) -> Report:
    """Read both data sources and return every problem, and the link lengths if both parse."""
    contacts_path, letters_dir = _shown(contacts_path), _shown(letters_dir)
    try:
        text = read_text(contacts_path)
    except DataError as exc:
        contacts, problems = None, exc.problems
    else:
        contacts, problems = parse_contacts(text, contacts_path, today)
    letters, letter_problems = parse_letters(letters_dir)
    problems = problems + letter_problems + [
        replace(p, path=_shown(p.path)) for p in [*check_catalogs(), *check_city_names()]]
    if letters:
        problems += card_fonts(letters, letters_dir)
    if contacts and letters:
        problems += addressed_posts(contacts, letters, letters_dir)
    links = link_lengths(contacts, letters) if contacts and letters else []
    return Report(problems, links)


def card_fonts(letters: Letters, letters_dir: str) -> list[Problem]:
    """A letter's title and description must be drawable on its preview card (media/fonts.py)."""
    problems = []
    for original in letters.by_slug.values():
        for code in original.languages:
            letter = original.in_language(code)
            lacking = missing(f"{letter.title} {letter.description}", code)
            if lacking:
                name = original.slug + ("" if letter is original else f".{code}")
                problems.append(Problem(
                    str(Path(letters_dir) / f"{name}{LETTER_SUFFIX}"), 1,
                    f"the preview card's fonts cannot draw {lacking!r} of the title or "
                    "description: it would show as empty boxes", warning=True))
    return problems


def addressed_posts(contacts: Contacts, letters: Letters, letters_dir: str) -> list[Problem]:
    """Each letter's post for X must fit with the longest mission handle before it."""
    handles = sorted((r for r in contacts.recipients.values() if r.x),
                     key=lambda r: len(r.x or ""), reverse=True)
    problems = []
    for letter in letters.by_slug.values():
        post = letter.post_short or letter.post
        if not handles or not post:
            continue
        longest = handles[0]
        length = x_length(addressed_post(post, longest.x or ""))
        if length > X_LIMIT:
            path = Path(letters_dir) / f"{letter.slug}{LETTER_SUFFIX}"
            lines = read_text(path).split("\n")
            key = "post_short:" if letter.post_short else "post:"
            line = next((i for i, text in enumerate(lines, 1) if text.startswith(key)), 1)
            problems.append(Problem(str(path), line, (
                f"the post for X addressed to @{longest.x} (recipient {longest.key!r}) is "
                f"{length} of X's {X_LIMIT} characters with the link: shorten the post")))
    return problems


def link_lengths(contacts: Contacts, letters: Letters) -> list[LinkLengths]:
    """The send links' lengths for every letter and every group of places with one route."""
    places = contacts.places()
    rows = []
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, country, region in places:
        to = tuple(r.email or "" for r in contacts.route(country, region).addressed)
        groups.setdefault(to, []).append(name)
    for original in letters.by_slug.values():
        for code in original.languages:
            letter = original.in_language(code)
            label = original.slug if letter is original else f"{original.slug} ({code})"
            for to, names in groups.items():
                rows.append(LinkLengths(label, tuple(names), _lengths(letter, to)))
    return rows


def _lengths(letter: Letter, to: tuple[str, ...]) -> dict[str, int]:
    """Each channel's link length for one letter and one set of recipients."""
    subject = max(letter.subjects, key=len)
    message = Message(to, subject, letter.compose(SAMPLE))
    return {link.channel: link.length for link in send_links(message)}


def _places_label(places: tuple[str, ...]) -> str:
    """'GB', or 'US: AL, AR, ...' for regions."""
    by_country: dict[str, list[str]] = {}
    for place in places:
        country, region = split_place(place)
        by_country.setdefault(country, []).extend([region] if region else [])
    return "; ".join(f"{c}: {', '.join(r)}" if r else c for c, r in by_country.items())


def _mark(channel: str, length: int) -> str:
    """'*' for a link over the smallest limit of its channel, '**' over the largest."""
    largest = max(MAILTO_LIMITS.values()) if channel == "mailto" else LIMITS[channel]
    return "**" if length > largest else "*" if length > LIMITS[channel] else ""


def format_report(report: Report, strict: bool = False) -> str:
    """The report as organizers read it: problems first, then the link lengths."""
    lines = [str(p) for p in sorted(report.problems, key=lambda p: (p.path, p.line))]
    if report.links:
        channels = list(LIMITS)
        mailto = ", ".join(f"{platform} {limit:,}" for platform, limit in
                           sorted(MAILTO_LIMITS.items(), key=lambda item: item[1]))
        webmail = ", ".join(f"{c} {limit:,}" for c, limit in WEBMAIL_LIMITS.items())
        lines += ["", "Link lengths, for a long name and city and the longest subject. Over a "
                  "limit, a link opens with a short note asking to paste the letter (copied "
                  f"for the supporter). mailto limits: {mailto}; webmail: {webmail}. "
                  "* = over the smallest limit (some supporters paste); ** = over every "
                  "platform's (all do):"]
        lines.append(f"  {'letter':<32} " + "".join(f"{c:>9}" for c in channels)
                     + "   places")
        for row in report.links:
            cells = "".join(f"{row.lengths[c]:>8}{_mark(c, row.lengths[c]):<2}"
                            for c in channels)
            lines.append(f"  {row.letter:<32} {cells} {_places_label(row.places)}")
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "failed" if errors or (strict and warnings) else "ok"
    lines += ["", f"{verdict}: {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}"]
    return "\n".join(lines)


@click.command("check")
@click.option("--contacts", "contacts_path", type=click.Path(dir_okay=False), default=None,
              help="contacts.yaml to check (default: the app's).")
@click.option("--letters", "letters_dir", type=click.Path(file_okay=False), default=None,
              help="Folder of letters to check (default: the app's).")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.pass_obj
def check_command(settings: Settings, contacts_path: str | None, letters_dir: str | None,
                  strict: bool) -> None:
    """Check contacts.yaml and letters/: every problem at once, as FILE:LINE: what to fix."""
    report = check(contacts_path or settings.contacts, letters_dir or settings.letters)
    click.echo(format_report(report, strict))
    if report.errors or (strict and report.warnings):
        sys.exit(1)
