"""contacts.yaml: the shipped file, every route, and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import COUNTRIES, UN, US_SERVING, US_STATES

from campaign import ROOT
from campaign.contacts import Contacts, Route, load_contacts, parse_contacts
from campaign.datafile import DataError


@pytest.fixture(scope="module")
def contacts() -> Contacts:
    return load_contacts(ROOT / "contacts.yaml")
def emails(route: Route) -> list[str | None]:
    return [r.email for r in route.addressed]


def test_every_state_and_territory_is_routed(contacts: Contacts) -> None:
    assert set(contacts.countries["US"].regions) == set(US_STATES)
    # 49 states besides California, DC, PR, GU, MP, AS
    assert len([s for s in US_STATES if "-" not in s]) == 54


@pytest.mark.parametrize("state", sorted(US_STATES))
def test_us_state_gets_its_mission_and_the_un(contacts: Contacts, state: str) -> None:
    route = contacts.route("US", state)
    assert emails(route) == [US_STATES[state], UN]
    if state in US_SERVING:
        assert route.serving is not None and route.instead is not None
        assert route.serving.key == US_SERVING[state]
        assert route.serving.email is None
        assert route.instead.key == "us-embassy"


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_country_gets_its_embassy_and_the_un(contacts: Contacts, country: str) -> None:
    assert emails(contacts.route(country)) == [COUNTRIES[country], UN]


def test_anyone_elsewhere_writes_to_the_un(contacts: Contacts) -> None:
    route = contacts.route("other")
    assert emails(route) == [UN]
    assert [r.key for r in route.recipients] == ["un-new-york", "un-geneva"]


def test_geneva_mission_is_listed_with_its_website_and_no_address(contacts: Contacts) -> None:
    geneva = contacts.recipients["un-geneva"]
    assert geneva.email is None
    assert geneva.website == "http://www.china-un.ch"


def test_every_address_keeps_its_source_and_date(contacts: Contacts) -> None:
    for recipient in contacts.recipients.values():
        assert recipient.checked is not None
        if recipient.email:
            assert recipient.source, recipient.key
            assert recipient.status in ("confirmed", "unconfirmed")
        else:
            assert recipient.status == "no-address" and recipient.website


def test_shipped_file_has_no_errors() -> None:
    text = (ROOT / "contacts.yaml").read_text()
    _contacts, problems = parse_contacts(text, "contacts.yaml")
    assert [p for p in problems if not p.warning] == []


BROKEN = [
    ("recipients:\n  a: [\n", 3, "YAML syntax error"),
    ("recipients:\n  gb:\n    name: X\n    email: not-an-address\n    source: s\n"
     "    checked: 2026-01-01\n    status: confirmed\n", 4, "email 'not-an-address'"),
    ("recipients: {}\ncountries:\n  gb:\n    name: X\n    mission: y\n", 3,
     "country code 'gb' is not an ISO 3166-1 alpha-2 code"),
    ("recipients: {}\ncountries:\n  NO:\n    name: Norway\n    mission: y\n", 3,
     "write it in quotes"),
    ("recipients: {}\ncountries:\n  GB:\n    name: X\n    mission: nobody\n", 5,
     "names recipient 'nobody'"),
    ("recipients: {}\ncolours: red\n", 2, "unknown key 'colours'"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN)
def test_broken_file_stops_start_up_naming_file_line_and_key(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "contacts.yaml"
    path.write_text(text)
    with pytest.raises(DataError) as raised:
        load_contacts(path)
    first = raised.value.problems[0]
    assert (first.path, first.line) == (str(path), line)
    assert message in first.message
    assert str(raised.value).startswith(f"{path}:{line}: ")
