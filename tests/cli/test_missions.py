"""`campaign coverage`: what contacts.yaml holds per country, and how it differs from a newer
Wikidata export."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner
from support import TEST_DATA

from campaign.cli.main import main
from campaign.cli.missions import CATEGORIES, category, compare, totals
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
    assert count["countries"] == len(contacts.countries) == 16
    # each mission once: Madrid's embassy serves Andorra too; the UN missions are no country's
    assert sum(count[name] for name in CATEGORIES) == count["missions"] == 35
    assert count["confirmed"] == 4  # Washington, New York, Chicago, Ottawa
    assert count["unconfirmed"] == 12
    output = campaign("coverage")
    assert output.rstrip().endswith(
        f"16 countries, {count['missions']} missions: 4 with a confirmed email, "
        f"{count['unconfirmed']} with an unconfirmed email, {count['website only']} with a "
        f"website only, {count['nothing']} with nothing")


def test_each_country_is_a_row_with_its_best() -> None:
    rows = {line[:2]: line for line in campaign("coverage").splitlines()}
    assert "Brazil" in rows["BR"] and "website only" in rows["BR"]
    assert "consulate-general São Paulo (website only)" in rows["BR"]
    assert rows["US"].split()[3] == "confirmed"
    assert "embassy Madrid (unconfirmed)" in rows["AD"]  # Andorra: Spain's embassy


def test_csv_has_a_row_per_mission() -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    rows = list(csv.DictReader(campaign("coverage", "--csv").splitlines()))
    assert len(rows) == sum(len(c.missions) for c in contacts.countries.values())
    br = next(r for r in rows if r["mission"] == "br-embassy")
    assert (br["country"], br["status"], br["x"]) == ("BR", "website only", "EmbaixadaTeste")
    assert category(contacts.recipients["us-embassy"]) == "confirmed"


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
