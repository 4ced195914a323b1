"""`campaign coverage`: what contacts.yaml holds per country, and how it differs from a newer
Wikidata export."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner
from support import TEST_DATA

from campaign.cli.main import main
from campaign.cli.missions import CATEGORIES, CHANNELS, category, channels, compare, totals
from campaign.data.contactsfile import load_contacts

COLUMNS = ["country", "country_qid", "city", "type", "website", "email", "phone", "address",
           "twitter", "facebook", "mission_qid"]


def campaign(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_totals_add_up() -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    count = totals(contacts)
    assert count["countries"] == len(contacts.countries) == 17
    # each mission once: Madrid's embassy serves Andorra too; the UN missions are no country's
    assert sum(count[name] for name in CATEGORIES) == count["missions"] == 35
    assert count["confirmed"] == 4  # Washington, New York, Chicago, Ottawa
    assert count["unconfirmed"] == 12
    output = campaign("coverage")
    assert output.rstrip().endswith(
        f"{count['missions']} missions: 4 with a confirmed email, "
        f"{count['unconfirmed']} with an unconfirmed email, {count['website only']} with a "
        f"website only, {count['nothing']} with nothing")


def test_totals_count_the_countries_each_channel_reaches() -> None:
    count = totals(load_contacts(TEST_DATA / "contacts.yaml"))
    assert count["confirmed email"] == 2  # Canada, the US
    assert count["unconfirmed email"] == 11  # Canada's Toronto among them: a country per row
    assert count["X account"] == 6  # Brazil, Germany, Spain (Barcelona), France, Japan, the US
    assert count["postal address"] == 3  # Spain (Barcelona), Hong Kong, the US
    assert count["unreached"] == 3  # China (no mission), Gabon, Ghana
    assert list(CHANNELS) == ["confirmed email", "unconfirmed email", "X account",
                              "postal address"]
    output = campaign("coverage")
    assert "  X account            6 countries" in output.splitlines()
    assert "  none of these        3 countries (CN, GA, GH)" in output.splitlines()
    assert "post the letter to the Minister" in output


def test_each_country_is_a_row_with_its_channels() -> None:
    rows = {line[:2]: line for line in campaign("coverage").splitlines()}
    assert "Brazil" in rows["BR"] and "embassy Brasília (X account)" in rows["BR"]
    assert "consulate-general São Paulo (website only)" in rows["BR"]
    # confirmed, unconfirmed, X, post: how many of its missions each reaches
    assert rows["US"].split()[3:7] == ["3", "-", "2", "1"]  # X: the embassy and New York
    assert "embassy Washington (confirmed email, X account, postal address)" in rows["US"]
    assert "embassy Madrid (unconfirmed email)" in rows["AD"]  # Andorra: Spain's embassy
    assert "office Hong Kong (postal address)" in rows["HK"]
    assert rows["CN"].split()[2:7] == ["-", "-", "-", "-", "no"]


def test_csv_has_a_row_per_mission_and_per_country_no_mission_serves() -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    rows = list(csv.DictReader(campaign("coverage", "--csv").splitlines()))
    assert len(rows) == sum(len(c.missions) or 1 for c in contacts.countries.values())
    br = next(r for r in rows if r["mission"] == "br-embassy")
    assert (br["country"], br["status"], br["x"], br["x_account"], br["postal_address"]) == (
        "BR", "website only", "EmbaixadaTeste", "1", "0")
    us = next(r for r in rows if r["mission"] == "us-embassy")
    assert (us["confirmed_email"], us["address"]) == (
        "1", "3505 Example Place NW / Washington, DC 20008 / USA")
    ca = next(r for r in rows if r["mission"] == "ca-embassy")
    assert ca["email_purpose"] == "consular"
    cn = next(r for r in rows if r["country"] == "CN")
    assert cn["mission"] == "" and [cn[c] for c in (
        "confirmed_email", "unconfirmed_email", "x_account", "postal_address")] == ["0"] * 4
    assert category(contacts.recipients["us-embassy"]) == "confirmed"
    assert channels(contacts.recipients["de-embassy"]) == ("unconfirmed email", "X account")


def test_compare_lists_added_closed_and_changed_missions(tmp_path: Path) -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    missions = {m.key: m for c in contacts.countries.values() for m in c.missions}
    with_qid = [m for m in missions.values() if m.wikidata]
    export = tmp_path / "newer.csv"
    with export.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for mission in with_qid:
            if mission.key == "jp-embassy":
                continue  # closed
            kind = "embassy" if mission.kind == "office" else mission.kind  # as Wikidata has it
            row = {"country": "x", "city": mission.city, "type": kind.replace("-", " "),
                   "website": mission.website or "", "email": mission.email or "",
                   "mission_qid": mission.wikidata}
            if mission.key == "fr-embassy":
                row["website"] = "https://fr.example.org/new/"
            if mission.key == "de-embassy":
                row["email"] = "de-embassy@new.example.org"
            writer.writerow(row)
        writer.writerow({"country": "Honduras", "city": "San Pedro Sula",
                         "type": "consulate general", "mission_qid": "Q999999999"})
    result = compare(contacts, export)
    assert [(r.country, r.city) for r in result.added] == [("HN", "San Pedro Sula")]
    assert [m.key for m in result.closed] == ["jp-embassy"]
    assert [m.key for m, _r in result.website] == ["fr-embassy"]
    assert [(m.key, r.email) for m, r in result.email] == [
        ("de-embassy", "de-embassy@new.example.org")]
    output = campaign("coverage", "--compare", str(export))
    assert "In the export, not in contacts.yaml (a new mission, or one to add): 1" in output
    assert f"contacts.yaml:{missions['jp-embassy'].line}: jp-embassy" in output
    assert "Nothing was changed" in output
    assert "de-embassy@new.example.org" not in (TEST_DATA / "contacts.yaml").read_text()


def test_compare_names_an_export_it_cannot_read(tmp_path: Path) -> None:
    export = tmp_path / "other.csv"
    export.write_text("name,place\nx,y\n")
    assert "has no column" in campaign("coverage", "--compare", str(export))
