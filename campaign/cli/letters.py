"""The organizers' commands about one letter: `campaign preview` (what a supporter would send),
`campaign link` (a prefilled link and its QR code) and `campaign embed` (a partner's snippet)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import click

from ..compose.drafts import Answers, prepare
from ..compose.sharelinks import campaign_link, embed_link, letter_path
from ..data.lettertext import Signature
from ..data.sources import SOURCE_MAX, SOURCES
from ..i18n.languages import LANGUAGES
from ..i18n.names import mission_name
from ..i18n.words import ENGLISH
from ..media.qrcodes import qr_png, qr_svg
from ..web import context
from ..web.embed import snippet
from .options import (
    country_option,
    letter_option,
    partner_option,
    public_base,
    source_option,
    with_app,
)


@click.command("preview")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, like GB, or 'other'.")
@click.option("--region", default="", help="Where in the country, where it changes who "
              "receives the letter: a region code (NY, CA-N), or the id in contacts.yaml of the "
              "consulate of the supporter's city (th-chiang-mai).")
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
    data = context.data()
    letter = letter_option(data, slug)
    country = country_option(data, country)
    known = data.contacts.countries.get(country)
    region = (data.contacts.place_of(country, region) or ("", ""))[1]
    if known and known.by_region and known.choices and region not in known.choices:
        raise click.BadParameter(f"{country} needs a region: one of "
                                 f"{', '.join(known.choices)}", param_hint="--region")
    answers = Answers(country=country, region=region, signature=Signature(name, city, own_words),
                      subject=subject or random.choice(letter.subjects))
    draft = prepare(letter, data.contacts, answers, True, ENGLISH)
    if draft.message is None:
        raise click.ClickException(draft.to_error or "no letter could be prepared")
    if not draft.message.to:
        raise click.ClickException("no mission serving this place publishes an email address: "
                                   "the letter goes by post (the page's \"Send it by post\")")
    links = {link.channel: link.href for link in draft.links}
    if as_json:
        click.echo(json.dumps({"to": list(draft.message.to), "subject": draft.message.subject,
                               "body": draft.message.body, **links}, ensure_ascii=False,
                              indent=2))
        return
    click.echo("To:")
    for recipient in draft.route.recipients:
        where = recipient.email or f"no address ({recipient.website or 'no website'})"
        click.echo(f"  {mission_name(recipient, ENGLISH)}: {where}")
    click.echo(f"Subject: {draft.message.subject}\n\n{draft.message.body}\n")
    for link in draft.links:
        note = " (shortened: the letter is too long for this link)" if link.shortened else ""
        click.echo(f"{link.label} [{len(link.href)} characters]{note}:\n  {link.href}")


@click.command("link")
@click.option("--country", default="", help="Country to preselect: ISO code like KR, or 'other'.")
@click.option("--src", default="", callback=lambda _c, _p, value: source_option(value),
              help="The channel the link travels by, counted (never the people): one of "
              f"{', '.join(SOURCES)}, or your own name for it, like fair or poster-b "
              f"(lower case, at most {SOURCE_MAX} characters, nothing about a person).")
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
    data = context.data()
    letter = letter_option(data, slug)
    country = country_option(data, country) if country else ""
    if partner:
        if src:
            raise click.UsageError("give --src or --partner, not both: a partner's link counts "
                                   "under the partner")
        src = partner_option(data, partner)
    link = campaign_link(public_base(), letter_path(data.letters, letter.slug, language), country,
                         src)
    click.echo(link)
    if qr_file:
        if qr_file.lower().endswith(".png"):
            Path(qr_file).write_bytes(qr_png(link))
        elif qr_file.lower().endswith(".svg"):
            Path(qr_file).write_bytes(qr_svg(link))
        else:
            raise click.BadParameter("name the file .svg or .png", param_hint="--qr")
        click.echo(f"QR code written to {qr_file}", err=True)


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
    data = context.data()
    letter = letter_option(data, slug)
    country = country_option(data, country) if country else ""
    partner = partner_option(data, partner) if partner else ""
    base = public_base()
    if not context.settings().embed_origins:
        click.echo("warning: CAMPAIGN_EMBED_ORIGINS is empty, so no site may frame the form "
                   "yet: add the partner's site (e.g. https://partner.example.org)", err=True)
    url = embed_link(base, letter.slug, language, country, partner)
    title = letter.in_language(language).title if language else letter.title
    click.echo(snippet(url, None if no_script else f"{base}/embed.js", title))
