"""`campaign stats`: letters counted, grouped by one dimension (counts only, never people), and
/impact's charts for organizers' reports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import click

from ..counting.storage import DIMENSIONS
from ..web import context
from ..web.impact import read_impact, report
from .options import letter_option, with_app


@click.command("stats")
@click.option("--letter", "slug", default=None, help="Only this letter (default: all).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only counts from this UTC day on (YYYY-MM-DD).")
@click.option("--by", "by", type=click.Choice(DIMENSIONS),
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
        letter_option(context.data(), slug)
    if chart_file:
        if not chart_file.lower().endswith(".svg"):
            raise click.BadParameter("name the file .svg", param_hint="--chart")
        Path(chart_file).write_bytes(report(read_impact(slug, since.date() if since else None)))
        click.echo(f"chart written to {chart_file}", err=True)
    rows = context.counter().table(by, slug, since.date() if since else None)
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
