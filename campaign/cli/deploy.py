"""`campaign errorpages`: what a deploy writes for the front server, its own error pages."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from ..web import errorpages
from .options import with_app


@click.command("errorpages")
@click.argument("folder", type=click.Path(file_okay=False, writable=True, path_type=Path))
@with_app
def errorpages_command(folder: Path) -> None:
    """Write the pages nginx answers with itself (a refused request, the app restarting) into
    FOLDER: the app's error page for every language and status, and the JSON the script's
    paths answer. Run it at each deploy; deploy/nginx.conf serves them."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    written = errorpages.write(app, folder)
    click.echo(f"{len(written)} files written into {folder}", err=True)
