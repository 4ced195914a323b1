"""The `campaign` command: the organizers' commands (Flask's own stay under `flask`)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask

from . import settings as settings_module
from . import store
from .app import build_app, current_settings
from .check import check, format_report
from .contacts import load_contacts
from .counting import counter
from .coverage import compare, coverage_csv, format_comparison, format_coverage
from .datafile import DataError
from .drafts import Choices, prepare
from .embed import embed_link, snippet
from .i18n import LANGUAGES
from .impact import read_impact, report
from .letters import Letter, Signature
from .links import SOURCES, campaign_link, source_problem
from .names import country_names, mission_name
from .qrcodes import qr_png, qr_svg
from .settings import COMMAND_LINE, Settings, SettingsError
from .store import CampaignData


def with_app(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command inside an app made from the command line's settings."""

    @functools.wraps(command)
    @click.pass_obj
    def run(settings: Settings, *args: Any, **kwargs: Any) -> Any:
        app: Flask = build_app(settings)
        try:
            with app.app_context():
                return command(*args, **kwargs)
        finally:
            app.extensions["campaign_counter"].dispose()

    return run


def _letter_option(data: CampaignData, slug: str | None) -> Letter:
    """The letter named by --letter, or the default one."""
    letter = data.letters.by_slug.get(slug) if slug else data.letters.default
    if letter is None:
        raise click.BadParameter(f"no letter {slug!r}; known: {', '.join(data.letters.by_slug)}",
                                 param_hint="--letter")
    return letter


def _country_option(data: CampaignData, country: str) -> str:
    """The country named by --country, as contacts.yaml spells it, or 'other'."""
    place = data.contacts.place_of(country)
    if place is None:
        known = ", ".join(sorted(data.contacts.countries))
        raise click.BadParameter(f"{country.upper()!r} is not in contacts.yaml; known: "
                                 f"{known}, other", param_hint="--country")
    return place[0]


def _source_option(value: str) -> str:
    """The source named by --src, if it is valid (links.source_problem says why not)."""
    if value and (why := source_problem(value)):
        raise click.BadParameter(f"{value!r} cannot be a source: {why}", param_hint="--src")
    return value


@click.command("preview")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, like GB, or 'other'.")
@click.option("--region", default="", help="US state code, like NY or CA-N.")
@click.option("--name", required=True, help="The supporter's name.")
@click.option("--city", required=True, help="The supporter's city or region.")
@click.option("--own-words", default="", help="A sentence in the supporter's own words.")
@click.option("--letter", "slug", default=None, help="Letter slug (default: the default letter).")
@click.option("--subject", default=None, help="Subject line (default: one picked at random).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_app
def preview_command(country: str, region: str, name: str, city: str, own_words: str,
                    slug: str | None, subject: str | None, as_json: bool) -> None:
    """Show what a supporter would send: recipients, subject, letter and every link."""
    data = store.current()
    letter = _letter_option(data, slug)
    country = _country_option(data, country)
    known = data.contacts.countries.get(country)
    region = (data.contacts.place_of(country, region) or ("", ""))[1]
    if known and known.by_region and known.choices and region not in known.choices:
        raise click.BadParameter(f"{country} needs a region: one of "
                                 f"{', '.join(known.choices)}", param_hint="--region")
    choices = Choices(country=country, region=region, signature=Signature(name, city, own_words),
                      subject=subject or random.choice(letter.subjects))
    draft = prepare(letter, data.contacts, choices, ready=True)
    if draft.message is None:
        raise click.ClickException(draft.to_error or "no letter could be prepared")
    links = {link.channel: link.href for link in draft.links}
    if as_json:
        click.echo(json.dumps({"to": list(draft.message.to), "subject": draft.message.subject,
                               "body": draft.message.body, **links}, ensure_ascii=False,
                              indent=2))
        return
    click.echo("To:")
    for recipient in draft.route.recipients:
        where = recipient.email or f"no address ({recipient.website or 'no website'})"
        click.echo(f"  {mission_name(recipient)}: {where}")
    click.echo(f"Subject: {draft.message.subject}\n\n{draft.message.body}\n")
    for link in draft.links:
        note = " (shortened: the letter is too long for this link)" if link.shortened else ""
        click.echo(f"{link.label} [{len(link.href)} characters]{note}:\n  {link.href}")


@click.command("link")
@click.option("--country", default="", help="Country to preselect: ISO code like KR, or 'other'.")
@click.option("--src", default="", callback=lambda _c, _p, value: _source_option(value),
              help="The channel the link travels by, counted (never the people): one of "
              f"{', '.join(SOURCES)}, or your own name for it, like fair or poster-b "
              "(lower case, at most 16 characters, nothing about a person).")
@click.option("--letter", "slug", default=None, help="Letter slug (default: the default letter).")
@click.option("--lang", "language", default=None,
              type=click.Choice([language.code for language in LANGUAGES]),
              help="The page's language (default: none, so it follows the reader's browser).")
@click.option("--partner", default="", help="A partner (under partners: in contacts.yaml) "
              "to credit on the page and count under.")
@click.option("--qr", "qr_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the link's QR code to this file (.svg or .png).")
@with_app
def link_command(country: str, src: str, slug: str | None, language: str | None,
                 partner: str, qr_file: str | None) -> None:
    """Print a prefilled campaign link for organizers to share, and write its QR code."""
    data = store.current()
    letter = _letter_option(data, slug)
    country = _country_option(data, country) if country else ""
    if partner:
        if src:
            raise click.UsageError("give --src or --partner, not both: a partner's link counts "
                                   "under the partner")
        src = _partner_option(data, partner)
    link = campaign_link(_public_base(), data.letters.path(letter.slug, language), country, src)
    click.echo(link)
    if qr_file:
        if qr_file.lower().endswith(".png"):
            Path(qr_file).write_bytes(qr_png(link))
        elif qr_file.lower().endswith(".svg"):
            Path(qr_file).write_bytes(qr_svg(link))
        else:
            raise click.BadParameter("name the file .svg or .png", param_hint="--qr")
        click.echo(f"QR code written to {qr_file}", err=True)


def _partner_option(data: CampaignData, key: str) -> str:
    """The partner named by --partner: a key under contacts.yaml's partners."""
    if key not in data.contacts.partners:
        known = ", ".join(sorted(data.contacts.partners)) or "none yet (add them under partners:)"
        raise click.BadParameter(f"no partner {key!r} in contacts.yaml; known: {known}",
                                 param_hint="--partner")
    return key


def _public_base() -> str:
    """The site's public address, or the development one, with a warning."""
    base = current_settings().public_url
    if not base:
        click.echo("warning: CAMPAIGN_PUBLIC_URL is not set, so this link points at "
                   "http://127.0.0.1:5000, this machine only: set it to the site's public "
                   "address (like https://letters.example.org) before sharing links", err=True)
        base = "http://127.0.0.1:5000"
    return base


@click.command("embed")
@click.option("--letter", "slug", required=True, help="Letter slug, as in letters/<slug>.txt.")
@click.option("--lang", "language", default=None,
              type=click.Choice([language.code for language in LANGUAGES]),
              help="The form's language (default: none, so it follows the reader's browser).")
@click.option("--country", default="", help="Country to preselect: ISO code like KR, or 'other'.")
@click.option("--partner", default="", help="The partner to credit and count under: a key "
              "under partners: in contacts.yaml.")
@click.option("--no-script", is_flag=True,
              help="Leave out the script that fits the frame to the form (it then scrolls).")
@with_app
def embed_command(slug: str, language: str | None, country: str, partner: str,
                  no_script: bool) -> None:
    """Print the HTML a partner pastes into their page (WordPress, any CMS): the letter form
    in a frame, and the script that sizes it."""
    data = store.current()
    letter = _letter_option(data, slug)
    country = _country_option(data, country) if country else ""
    partner = _partner_option(data, partner) if partner else ""
    base = _public_base()
    if not current_settings().embed_origins:
        click.echo("warning: CAMPAIGN_EMBED_ORIGINS is empty, so no site may frame the form "
                   "yet: add the partner's site (e.g. https://partner.example.org)", err=True)
    url = embed_link(base, letter.slug, language, country, partner)
    title = letter.in_language(language).title if language else letter.title
    click.echo(snippet(url, None if no_script else f"{base}/embed.js", title))


@click.command("stats")
@click.option("--letter", "slug", default=None, help="Only this letter (default: all).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only counts from this UTC day on (YYYY-MM-DD).")
@click.option("--by", "by", type=click.Choice(("country", "region", "channel", "src", "day",
                                                "letter")),
              default="country", show_default=True, help="Group the counts by this.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@click.option("--chart", "chart_file", type=click.Path(dir_okay=False, writable=True),
              default=None, help="Also draw /impact's map and letters per day (since --since, "
              "else the last 30 days) into this .svg file, keeping its threshold, "
              "CAMPAIGN_IMPACT_MIN.")
@with_app
def stats_command(slug: str | None, since: dt.datetime | None, by: str, as_csv: bool,
                  chart_file: str | None) -> None:
    """Letters counted, grouped by country, channel, share source or day (counts only)."""
    if slug is not None:
        _letter_option(store.current(), slug)
    if chart_file:
        if not chart_file.lower().endswith(".svg"):
            raise click.BadParameter("name the file .svg", param_hint="--chart")
        Path(chart_file).write_bytes(report(read_impact(slug, since.date() if since else None)))
        click.echo(f"chart written to {chart_file}", err=True)
    rows = counter().table(by, slug, since.date() if since else None)
    header = (by, "letters", "confirmed")
    total = ("total", sum(r[1] for r in rows), sum(r[2] for r in rows))
    if as_csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    width = max([len(by), 5] + [len(r[0] or "(none)") for r in rows])
    click.echo(f"{header[0]:<{width}}  {header[1]:>9}  {header[2]:>9}")
    for value, letters, confirmed in [*rows, total]:
        click.echo(f"{value or '(none)':<{width}}  {letters:>9,}  {confirmed:>9,}")


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


@click.command("coverage")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per mission.")
@click.option("--compare", "export", type=click.Path(exists=True, dir_okay=False),
              default=None, help="A newer Wikidata export (the columns of "
              "prc-missions-wikidata.csv) to compare contacts.yaml with.")
@click.pass_obj
def coverage_command(settings: Settings, as_csv: bool, export: str | None) -> None:
    """What contacts.yaml holds per country: missions and whether each has a confirmed or
    unconfirmed address, a website only, or nothing; or how it differs from a newer export."""
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


@click.command("settings")
@click.option("--markdown", is_flag=True, help="Print the README's table of settings.")
@click.pass_obj
def settings_command(settings: Settings, markdown: bool) -> None:
    """Show every setting the app reads from the environment, and its value here."""
    if markdown:
        click.echo(settings_module.table())
        return
    for name, spec in settings_module.SPECS.items():
        value = getattr(settings, name)
        shown = "(set)" if spec.secret and value else value
        click.echo(f"{spec.variable:<24} {shown}")


@click.group(help="Campaign letters: the organizers' commands. Run `campaign COMMAND --help` "
             "for each.")
@click.pass_context
def main(context: click.Context) -> None:
    """Read the settings once: a bad one stops every command with one clear line."""
    try:
        context.obj = settings_module.load(os.environ, purpose=COMMAND_LINE)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


for _command in (check_command, coverage_command, preview_command, link_command, embed_command,
                 stats_command, settings_command):
    main.add_command(_command)
