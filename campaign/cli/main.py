"""The `campaign` command: the organizers' commands, each in the module of its job (Flask's own
stay under `flask`)."""

from __future__ import annotations

import os

import click

from .. import settings as settings_module
from ..settings import COMMAND_LINE, Settings, SettingsError
from .check import check_command
from .counts import stats_command
from .deploy import errorpages_command
from .letters import embed_command, link_command, preview_command
from .missions import coverage_command
from .suggestions import suggestions_command


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
                 stats_command, suggestions_command, settings_command, errorpages_command):
    main.add_command(_command)
