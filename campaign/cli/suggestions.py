"""`campaign suggestions`: the addresses supporters found for their missions and told the
organizers of, with how many told each, and the lines to add to contacts.yaml once an
organizer has checked one on the mission's own page. Nothing suggested reaches a page by
itself: only what an organizer adds to contacts.yaml does."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import click

from ..data.contacts import Contacts
from ..web import context
from .options import with_app


@dataclass(frozen=True)
class Suggested:
    """One address suggested for one mission, with every page it was said to be on."""

    mission: str
    address: str
    supporters: int
    pages: tuple[tuple[str, int], ...]  # (page, how many named it), '' for none given
    first_day: dt.date
    last_day: dt.date


def gather(rows: list[tuple[str, str, str, int, dt.date, dt.date]]) -> list[Suggested]:
    """The stored rows (one per mission, address and page) as one entry per mission and
    address, the most suggested first."""
    merged: dict[tuple[str, str], list[tuple[str, str, str, int, dt.date, dt.date]]] = {}
    for row in rows:
        merged.setdefault((row[0], row[1]), []).append(row)
    found = [Suggested(mission, address, sum(r[3] for r in group),
                       tuple((r[2], r[3]) for r in sorted(group, key=lambda r: -r[3])),
                       min(r[4] for r in group), max(r[5] for r in group))
             for (mission, address), group in merged.items()]
    return sorted(found, key=lambda s: (-s.supporters, s.mission, s.address))


def yaml_lines(item: Suggested, contacts: Contacts, today: dt.date) -> list[str]:
    """What to set in the mission's entry in contacts.yaml, once checked on its own page."""
    recipient = contacts.recipients.get(item.mission)
    pages = [page for page, _count in item.pages if page]
    lines = [f"  {item.mission}:  # contacts.yaml line {recipient.line}" if recipient
             else f"  {item.mission}:  # no longer in contacts.yaml",
             f"    email: {item.address}",
             "    source:"]
    lines += [f"      - {page}" for page in pages] or [
        "      - <the mission's own page that shows it>"]
    lines += [f"    checked: {today.isoformat()}",
              "    status: confirmed  # only if its own official page shows it; else unconfirmed"]
    return lines


@click.command("suggestions")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (one row per mission, address and page) instead.")
@with_app
def suggestions_command(as_csv: bool) -> None:
    """Addresses supporters found for their missions, how many told the organizers of each,
    and the lines to add to contacts.yaml once you have checked one."""
    rows = context.counter().suggestions()
    if as_csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("mission", "address", "page", "supporters", "first_day", "last_day"))
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    found = gather(rows)
    if not found:
        click.echo("No addresses suggested yet.")
        return
    contacts = context.data().contacts
    today = dt.date.today()
    for item in found:
        known = contacts.recipients.get(item.mission)
        current = f" (contacts.yaml has {known.email})" if known and known.email else ""
        click.echo(f"{item.mission}: {item.address}{current}: suggested by {item.supporters} "
                   f"supporter{'s' if item.supporters != 1 else ''}, {item.first_day} to "
                   f"{item.last_day}")
        for page, count in item.pages:
            click.echo(f"  found at {page or '(no page given)'}: {count}")
        click.echo("  check it on the mission's own page; then, in its entry under recipients, "
                   "set (adding the page to its sources):")
        click.echo("\n".join(yaml_lines(item, contacts, today)))
        click.echo()
    click.echo("Nothing suggested is shown on any page until you add it to contacts.yaml "
               "(then run campaign check).")
