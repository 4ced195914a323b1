"""Settings: read once from the environment into one typed object; a bad value stops start-up
with one line naming the variable and what it accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import TEST_DATA, with_organizers

from campaign import ROOT, create_app
from campaign.cli.main import main
from campaign.settings import COMMAND_LINE, SPECS, SettingsError, load
from campaign.web import context

PRODUCTION_READY = {"CAMPAIGN_SECRET_KEY": "s" * 64,
                    "CAMPAIGN_PUBLIC_URL": "https://letters.example.org"}

BAD = [
    ("CAMPAIGN_COUNT_LIMIT", "abc", "a whole number, 1 or more"),
    ("CAMPAIGN_COUNT_LIMIT", "0", "a whole number, 1 or more"),
    ("CAMPAIGN_RELOAD_EVERY", "soon", "a number of seconds"),
    ("CAMPAIGN_RELOAD_EVERY", "-1", "a number of seconds"),
    ("CAMPAIGN_RELOAD_EVERY", "nan", "a number of seconds"),
    ("CAMPAIGN_RELOAD_EVERY", "inf", "a number of seconds"),
    ("CAMPAIGN_PROXIES", "-1", "a whole number, 0 or more"),
    ("CAMPAIGN_PROXIES", "one", "a whole number, 0 or more"),
    ("CAMPAIGN_LOG_IP", "maybe", "true or false"),
    ("CAMPAIGN_ENV", "staging", "production or development"),
    ("CAMPAIGN_PUBLIC_URL", "letters.example.org", "an address like https://"),
    ("CAMPAIGN_PUBLIC_URL", "https://letters.example.org/campaign?x=1", "an address like"),
    ("CAMPAIGN_PUBLIC_URL", "javascript:alert(1)", "an address like"),
    ("CAMPAIGN_TRUSTED_HOSTS", "evil host, <x>", "host names separated by commas"),
    ("CAMPAIGN_EMBED_ORIGINS", "partner.example.org", "origins like https://"),
    ("CAMPAIGN_EMBED_ORIGINS", "https://partner.example.org/blog", "origins like https://"),
    ("CAMPAIGN_EMBED_ORIGINS", "https://a.example.org 'unsafe-inline'", "origins like https://"),
    ("CAMPAIGN_EMBED_ORIGINS", "*", "origins like https://"),
    ("DATABASE_URL", "mysql://db/counts", "a URL like postgresql://"),
    ("WEB_CONCURRENCY", "0", "a whole number, 1 or more"),
    ("THREADS", "many", "a whole number, 1 or more"),
    ("BIND", "nowhere", "host:port"),
]


@pytest.mark.parametrize(("variable", "value", "accepts"), BAD)
def test_a_bad_value_is_refused_in_one_line_naming_the_variable(
        variable: str, value: str, accepts: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load({**PRODUCTION_READY, variable: value})
    message = str(caught.value)
    assert message.startswith(f"{variable}={value!r} is not valid: it takes ")
    assert accepts in message
    assert "\n" not in message


def test_the_app_does_not_start_on_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, value in PRODUCTION_READY.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("CAMPAIGN_COUNT_LIMIT", "abc")
    with pytest.raises(SettingsError, match="CAMPAIGN_COUNT_LIMIT"):
        create_app()


def test_gunicorn_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent), **PRODUCTION_READY,
           "CAMPAIGN_RELOAD_EVERY": "soon"}
    run = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c",
                          str(ROOT / "gunicorn.conf.py"), "campaign:create_app()"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == [
        "campaign: CAMPAIGN_RELOAD_EVERY='soon' is not valid: it takes a number of seconds, "
        "0 or more"]


def test_the_campaign_command_stops_with_one_clear_line() -> None:
    result = CliRunner().invoke(main, ["check"], env={"CAMPAIGN_PROXIES": "two"})
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: CAMPAIGN_PROXIES='two' is not valid: it takes a whole number, 0 or more"]


def test_the_secret_key_is_never_printed() -> None:
    result = CliRunner().invoke(main, ["settings"], env={"CAMPAIGN_SECRET_KEY": "hunter2" * 8})
    assert result.exit_code == 0
    assert "hunter2" not in result.output
    assert "CAMPAIGN_SECRET_KEY      (set)" in result.output


def test_defaults_serve_the_shipped_data() -> None:
    settings = load({}, purpose=COMMAND_LINE)
    assert Path(settings.contacts) == ROOT / "contacts.yaml"
    assert Path(settings.letters) == ROOT / "letters"
    assert (settings.count_limit, settings.reload_every, settings.proxies, settings.log_ip) == (
        30, 1.0, 0, False)
    assert settings.database_url == f"sqlite:///{ROOT / 'instance' / 'counts.db'}"


def test_values_are_typed() -> None:
    settings = load({**PRODUCTION_READY, "CAMPAIGN_COUNT_LIMIT": " 12 ",
                     "CAMPAIGN_LOG_IP": "Yes", "CAMPAIGN_RELOAD_EVERY": "0.5",
                     "CAMPAIGN_PUBLIC_URL": "https://Letters.example.org/",
                     "CAMPAIGN_TRUSTED_HOSTS": "internal.example, .example.net",
                     "DATABASE_URL": "postgres://u:p@db/counts",
                     "CAMPAIGN_EMBED_ORIGINS": "https://a.example.org, http://127.0.0.1:8080/"})
    assert (settings.count_limit, settings.log_ip, settings.reload_every) == (12, True, 0.5)
    assert settings.public_url == "https://Letters.example.org"
    assert settings.allowed_hosts == ("Letters.example.org", "internal.example", ".example.net")
    assert settings.database_url == "postgresql+psycopg://u:p@db/counts"
    assert settings.embed_origins == ("https://a.example.org", "http://127.0.0.1:8080")


def test_production_needs_a_secret_key_and_its_public_address() -> None:
    with pytest.raises(SettingsError, match="^CAMPAIGN_SECRET_KEY is not set"):
        load({"CAMPAIGN_PUBLIC_URL": "https://letters.example.org"})
    with pytest.raises(SettingsError, match="^CAMPAIGN_PUBLIC_URL is not set"):
        load({"CAMPAIGN_SECRET_KEY": "s" * 64})
    assert load(PRODUCTION_READY).secret_key == "s" * 64
    # a list of trusted hosts will do instead of the public address
    assert load({"CAMPAIGN_SECRET_KEY": "s", "CAMPAIGN_TRUSTED_HOSTS": "a.example"}).public_url \
        is None


def test_development_makes_up_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAMPAIGN_SECRET_KEY", raising=False)
    monkeypatch.setenv("CAMPAIGN_ENV", "development")
    first, second = create_app(), create_app()
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]


def test_tests_override_settings_by_name() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "COUNT_LIMIT": 3})
    with app.app_context():
        assert context.settings().count_limit == 3
    assert app.config["TESTING"] is True


def test_every_setting_has_its_documentation() -> None:
    for spec in SPECS.values():
        assert spec.variable and spec.accepts and spec.meaning and spec.shown_default


def test_production_refuses_to_start_until_the_organizers_are_named(data_copy: Path) -> None:
    served = {"SECRET_KEY": "s" * 64, "PUBLIC_URL": "https://letters.example.org",
              "CONTACTS": str(data_copy / "contacts.yaml"),
              "LETTERS": str(data_copy / "letters")}
    with pytest.raises(SettingsError) as caught:
        create_app(served)
    message = str(caught.value)
    assert message.startswith("contacts.yaml names no organizers.")
    assert "'organizers:'" in message and "'name:'" in message and "'email:'" in message
    assert "\n" not in message
    with_organizers(data_copy)
    app = create_app(served)
    with app.app_context():
        assert context.data().contacts.organizers is not None


def test_development_and_tests_start_without_organizers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    create_app({"TESTING": True, "SECRET_KEY": "t"})  # the tests' own data names none
    monkeypatch.setenv("CAMPAIGN_ENV", "development")
    create_app()


def test_gunicorn_refuses_unnamed_organizers_in_one_line(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent), **PRODUCTION_READY,
           "CAMPAIGN_CONTACTS": str(TEST_DATA / "contacts.yaml")}
    run = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c",
                          str(ROOT / "gunicorn.conf.py"), "campaign:create_app()"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("campaign: contacts.yaml names no organizers. ")
