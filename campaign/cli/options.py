"""What the organizers' commands share: an app made from the command line's settings, and the
options naming a letter, a country, a share source or a partner, checked with clear errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click
from flask import Flask

from ..app import build_app
from ..data.letters import Letter
from ..data.reloading import CampaignData
from ..data.sources import source_problem
from ..settings import Settings
from ..web import context


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


def letter_option(data: CampaignData, slug: str | None) -> Letter:
    """The letter named by --letter, or the default one."""
    letter = data.letters.by_slug.get(slug) if slug else data.letters.default
    if letter is None:
        raise click.BadParameter(f"no letter {slug!r}; known: {', '.join(data.letters.by_slug)}",
                                 param_hint="--letter")
    return letter


def country_option(data: CampaignData, country: str) -> str:
    """The country named by --country, as contacts.yaml spells it, or 'other'."""
    place = data.contacts.place_of(country)
    if place is None:
        known = ", ".join(sorted(data.contacts.countries))
        raise click.BadParameter(f"{country.upper()!r} is not in contacts.yaml; known: "
                                 f"{known}, other", param_hint="--country")
    return place[0]


def source_option(value: str) -> str:
    """The source named by --src, if it is valid (links.source_problem says why not)."""
    if value and (why := source_problem(value)):
        raise click.BadParameter(f"{value!r} cannot be a source: {why}", param_hint="--src")
    return value


def partner_option(data: CampaignData, key: str) -> str:
    """The partner named by --partner: a key under contacts.yaml's partners."""
    if key not in data.contacts.partners:
        known = ", ".join(sorted(data.contacts.partners)) or "none yet (add them under partners:)"
        raise click.BadParameter(f"no partner {key!r} in contacts.yaml; known: {known}",
                                 param_hint="--partner")
    return key


def public_base() -> str:
    """The site's public address, or the development one, with a warning."""
    base = context.settings().public_url
    if not base:
        click.echo("warning: CAMPAIGN_PUBLIC_URL is not set, so this link points at "
                   "http://127.0.0.1:5000, this machine only: set it to the site's public "
                   "address (like https://letters.example.org) before sharing links", err=True)
        base = "http://127.0.0.1:5000"
    return base
