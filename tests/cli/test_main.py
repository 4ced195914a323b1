"""The `campaign` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from support import COUNTRIES, EMBASSY, UN

from campaign.cli.main import main

PREVIEW = ["preview", "--country", "GB", "--name", "Ada Lovelace", "--city", "London"]


def test_preview_json_gives_every_key(runner: CliRunner) -> None:
    result = runner.invoke(main, [*PREVIEW, "--json", "--subject", "Hello"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"to", "subject", "body", "mailto", "gmail", "outlook", "yahoo",
                         "yahoojp"}
    assert data["to"] == [COUNTRIES["GB"], UN]
    assert data["subject"] == "Hello"
    assert data["body"].endswith("Sincerely,\nAda Lovelace\nLondon")
    assert data["mailto"].startswith(f"mailto:{COUNTRIES['GB']},{UN}?")
    assert unquote(data["mailto"].split("&body=")[1]) == data["body"].replace("\n", "\r\n")


def test_preview_text_lists_recipients_and_links(runner: CliRunner) -> None:
    result = runner.invoke(main, ["preview", "--country", "us", "--region", "wa", "--name",
                                 "Ada", "--city", "Seattle"])
    assert result.exit_code == 0, result.output
    assert "Chinese Consulate-General, San Francisco: no address " \
           "(https://www.example.org/us-san-francisco)" in result.output
    assert f"Chinese Embassy, United States: {EMBASSY}" in result.output
    assert "Gmail [" in result.output and "https://mail.google.com/" in result.output


def test_preview_refuses_an_unknown_country(runner: CliRunner) -> None:
    result = runner.invoke(main, ["preview", "--country", "ZZ", "--name", "A", "--city", "B"])
    assert result.exit_code == 2
    assert "'ZZ' is not in contacts.yaml" in result.output


def test_preview_asks_for_a_state_in_the_us(runner: CliRunner) -> None:
    result = runner.invoke(main, ["preview", "--country", "US", "--name", "A", "--city", "B"])
    assert result.exit_code == 2
    assert "US needs a region: one of DC, TX, NY, NJ, PA, IL, MI, WA, CA, AZ, AK," \
        in result.output


def test_campaign_command_is_installed() -> None:
    command = Path(sys.executable).parent / "campaign"
    result = subprocess.run([str(command), "preview", *PREVIEW[1:], "--json"],
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["to"][0] == COUNTRIES["GB"]  # the test data, as set


def test_help_lists_only_the_organizers_commands(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:", 1)[1].splitlines()
    commands = [line.split()[0] for line in listed if line.startswith("  ") and line[2] != " "]
    assert commands == ["check", "coverage", "embed", "errorpages", "link", "preview",
                        "settings", "stats", "suggestions"]
    assert "--app" not in result.output and "--env-file" not in result.output


def test_link_without_a_public_url_warns_where_it_points(
        runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAMPAIGN_PUBLIC_URL", raising=False)
    result = runner.invoke(main, ["link"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "http://127.0.0.1:5000/"
    assert "CAMPAIGN_PUBLIC_URL is not set, so this link points at http://127.0.0.1:5000" \
        in result.stderr
