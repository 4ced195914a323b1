"""The impact view: where letters come from and when, at a glance, in every language.

`/impact` shows the world map and the letters per day (media/charts.py draws them, here they are
put in words), each with a table giving the same numbers. Every number shown keeps the
threshold (CAMPAIGN_IMPACT_MIN). The page and its charts are rendered once per language and
state of the counts, like the letter pages. `campaign stats --chart` draws the same charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Blueprint, Flask, Response, render_template, url_for
from flask_babel import format_number, gettext, ngettext

from ..i18n.names import country_name
from ..media import charts
from ..media.charts import Impact, impact_of
from . import caching, context, languages
from .sharing import public_url

bp = Blueprint("impact", __name__)
NARROW = 420  # the width, in the chart's units, of the per-day chart drawn for phones
# A chart is an image with its own style sheet inside, and nothing else: no script, no load.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def read_impact(letter: str | None = None, since: dt.date | None = None) -> Impact:
    """The counts as the public may see them: per country (every letter, or those since
    `since`), and per day up to today (the last charts.DAYS_SHOWN days, or since `since`)."""
    today = dt.datetime.now(dt.UTC).date()
    days = max((today - since).days + 1, 1) if since else charts.DAYS_SHOWN
    first = today - dt.timedelta(days=days - 1)
    by_country = [(code, sent) for code, sent, _confirmed
                  in context.counter().table("country", letter, since)]
    by_day = [(dt.date.fromisoformat(day), sent)
              for day, sent, _confirmed in context.counter().table("day", letter, first)]
    return impact_of(by_country, by_day, context.settings().impact_min, today, days)


def legend(impact: Impact) -> list[str]:
    """The map's ranges of letters, in words."""
    return [ngettext("%(low)s to %(high)s letter", "%(low)s to %(high)s letters", high,
                     low=format_number(low), high=format_number(high)) if high is not None
            else ngettext("%(low)s letter or more", "%(low)s letters or more", low,
                          low=format_number(low))
            for low, high in impact.buckets]


def report(impact: Impact) -> bytes:
    """The map and the letters per day in one SVG, with titles, for organizers' reports."""
    drawn = [charts.world_map(impact, legend(impact), gettext("Where letters come from")),
             days_chart(impact, gettext("Letters per day"))]
    return charts.report(drawn, gettext("Letters sent, at a glance"))


def _cached(kind: str, make: Callable[[], bytes]) -> bytes:
    """What one language shows of the counts as they stand, made once (the counts only grow,
    so their totals name their state; the day, the window of days). Nothing else of a request
    goes into it: a query is not read, and the page's language links carry none."""
    key = ("impact", kind, languages.current().code, context.counter().totals(),
           dt.datetime.now(dt.UTC).date(), public_url())
    return context.data().rendered.get(key, make)


def _svg(kind: str, draw: Callable[[], bytes]) -> Response:
    """A chart, as an image of its own."""
    response = Response(_cached(kind, draw), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = caching.A_MINUTE
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@languages.route(bp, "/impact")
def page() -> Response:
    """Where letters come from, and when: the map, the days, and their numbers."""
    def render() -> bytes:
        impact = read_impact()
        shades = list(zip(charts.SHADES[:len(impact.buckets)], legend(impact), strict=False))
        version = context.counter().totals().letters  # a fresh chart for fresh numbers
        return render_template(
            "impact.html", impact=impact, shades=shades, totals=context.counter().totals(),
            letter=None, countries=[(country_name(code, languages.words()), n)
                                     for code, n in impact.countries],
            map_url=url_for("impact.world_map", v=version),
            days_url=url_for("impact.days", v=version),
            days_narrow_url=url_for("impact.days_narrow", v=version), impact_page=True).encode()

    response = Response(_cached("page", render), mimetype="text/html")
    response.headers["Cache-Control"] = caching.A_MINUTE
    return response


@languages.route(bp, "/impact/map.svg")
def world_map() -> Response:
    """The world map, shaded by letters per country."""
    def draw() -> bytes:
        impact = read_impact()
        return charts.world_map(impact, legend(impact))

    return _svg("map", draw)


@languages.route(bp, "/impact/days.svg")
def days() -> Response:
    """Letters per day, the last days."""
    return _svg("days", lambda: days_chart(read_impact()))


@languages.route(bp, "/impact/days-narrow.svg")
def days_narrow() -> Response:
    """Letters per day, drawn for a phone's width."""
    return _svg("days-narrow", lambda: days_chart(read_impact(), width=NARROW))


def days_chart(impact: Impact, title: str | None = None, width: int = 800) -> bytes:
    """The letters per day, in the reader's language."""
    return charts.days_chart(impact, languages.current().locale, title, width,
                             gettext("No day has had enough letters to be shown yet."))


def init_app(app: Flask) -> None:
    """Register the impact view."""
    app.register_blueprint(bp)
    app.jinja_env.globals.update(impact_url=lambda: url_for("impact.page"))
