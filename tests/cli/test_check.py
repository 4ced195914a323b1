"""`campaign check`: every mistake an organizer can make, at its exact line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from campaign.cli.check import check
from campaign.cli.main import main
from campaign.data.contacts import RECIPIENT_KEY_MAX
from campaign.data.contactsfile import load_contacts

LETTER = "stop-forced-repatriation.txt"
# The test data's warnings: the organizers not named yet, each unconfirmed address (13),
# and the three translations not reviewed yet.
WARNINGS = 17


def run_check(data: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--contacts", str(data / "contacts.yaml"),
                                       "--letters", str(data / "letters"), *extra])
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_apps_data_is_checked_by_default_and_has_no_errors() -> None:
    result = CliRunner().invoke(main, ["check"])  # CAMPAIGN_CONTACTS: the test data
    assert result.exit_code == 0, result.output
    assert ": warning: " in result.output
    assert result.output.rstrip().endswith(f"ok: 0 errors, {WARNINGS} warnings")


def test_strict_fails_on_warnings() -> None:
    result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.output.rstrip().endswith(f"failed: 0 errors, {WARNINGS} warnings")


CONTACTS_MISTAKES = [
    # (old text, new text, the text on the line check must name, its message)
    ("  us-embassy:\n    kind: embassy", "  us-embassy:\n   kind: embassy", "    country: US\n"
     "    city: Washington", "YAML syntax error: mapping values are not allowed in this "
     "context; check the indentation and quotes"),
    ("    email: gb-embassy@missions.example.org", "    email: gb-embassy@@missions.example.org",
     "gb-embassy@@", "email 'gb-embassy@@missions.example.org' of recipient 'gb-embassy' is "
     "not valid: The part after the @-sign contains invalid characters: '@'."),
    ("    status: confirmed\n    note: Older", "    satus: confirmed\n    note: Older",
     "satus:", "unknown key 'satus' in recipient 'us-embassy'; known keys: address, "
     "address_source, checked, city, country, email, email_purpose, kind, note, source, status, "
     "website, wikidata, x, x_status"),
    ("    status: confirmed\n    note: Older", "    satus: confirmed\n    note: Older",
     "  us-embassy:", "recipient 'us-embassy' has no 'status'; add one"),
    ("  GB:", "  UK:", "  UK:",
     "country code 'UK' is not an ISO 3166-1 alpha-2 code (did you mean GB?)"),
    # a key given twice is reported where it stands the second time
    ("  FR:", "  GB:", "\n  GB: {mission: gb-embassy", "'GB' is given twice; keep one"),
    ("  au-embassy:\n", "  jp-embassy:\n", "  jp-embassy:\n    kind: embassy\n    country: JP",
     "'jp-embassy' is given twice; keep one"),
    ("    email: au-embassy@missions.example.org", "    email: kr-embassy@missions.example.org",
     "    email: kr-embassy@missions.example.org\n    website: https://www.example.org/kr-",
     "kr-embassy@missions.example.org of recipient 'kr-embassy' is already the address of "
     "recipient 'au-embassy'; keep one recipient"),
    ("      us-chicago: [IL, MI]", "      us-chicago: [IL, XO, MI]", "us-chicago: [IL",
     "region 'XO' in the district of 'us-chicago' is not an ISO 3166-2 subdivision of US "
     "(like US-AK), nor part of one"),
    ("      us-chicago: [IL, MI]", "      us-chicago: [IL, NY, MI]", "us-chicago: [IL",
     "region NY of US is in the districts of 'us-new-york' and 'us-chicago': districts must "
     "not overlap (list it under 'split' if a source says the two share it)"),
    ("      us-chicago: [IL, MI]", "      us-chicago: [IL, CA, MI]", "us-san-francisco: [",
     "region CA-N of US is part of CA, which is also listed: districts must not overlap"),
    ("      us-chicago: [IL,", "      us-chcago: [IL,", "us-chcago:",
     "'districts' of country US names 'us-chcago', which is not the country's mission nor one "
     "of its consulates"),
    ("  JP:", "  'NO':\n    mission: no-embassy\n  NO:", "  NO:",
     "country code False is not an ISO 3166-1 alpha-2 code (YAML reads NO as false: write it "
     "in quotes, as 'NO')"),
    ("    checked: 2026-11-22\n    status: confirmed\n    note: Older",
     "    checked: 22/11/2026\n    status: confirmed\n    note: Older", "22/11/2026",
     "'checked' of recipient 'us-embassy' must be a date: YYYY-MM-DD"),
    ("    email: de-embassy@missions.example.org\n", "", "  de-embassy:",
     "recipient 'de-embassy' is unconfirmed but has no email; add the email or set status: "
     "no-address"),
    ("    x: BotschaftTest", "    x: '@Botschaft Test'", "@Botschaft",
     "x '@Botschaft Test' of recipient 'de-embassy' is not an X handle (letters, digits "
     "and _, at most 15)"),
    # a consulate's id is what counts keep of a supporter's city: database.py's column
    ("  th-khon-kaen:", "  th-" + "k" * RECIPIENT_KEY_MAX + ":", "  th-kkk",
     f"recipient id 'th-{'k' * RECIPIENT_KEY_MAX}' is {RECIPIENT_KEY_MAX + 3} characters; "
     f"keep it within {RECIPIENT_KEY_MAX}"),
]


LETTER_MISTAKES = [
    ("title: Stop", "titel: Stop", 4,
     "unknown key 'titel' in the front matter; known keys: default, description, ends, goal, "
     "language, post, post_short, salutation, subjects, title"),
    ("title: Stop", "titel: Stop", 1, "the front matter has no 'title'; add one"),
    ("{{ name }}", "{{ full_name }}", 35,
     "unknown placeholder 'full_name'; the letter can use {{ name }}, {{ city }}, "
     "{{ own_words }}"),
    ("{{ city }}", "{{ city }", 36, "template error: unexpected '}'"),
    ("  - Do not send North Korean refugees back to torture",
     "  - " + "Do not send North Korean refugees back " * 5, 22,
     "subject 4 is 194 characters; keep it within 150"),
    ("post_short: >-", "post_shrt: >-", 11,
     "post is 349 of X's 280 characters with the link: add a post_short that fits "
     "(write it from the long one)"),
    ("Allies worldwide,", "Allies worldwide, truly and really, calling out this", 13,
     "post_short is 298 of X's 280 characters with the link (a link counts 23, CJK characters "
     "2): shorten it"),
    ("---\n# One campaign letter", "# One campaign letter", 1,
     "a letter starts with a '---' line, then its front matter (title, description, "
     "salutation, subjects), then '---' and the letter"),
]


MISTAKES = [("contacts.yaml", *m) for m in CONTACTS_MISTAKES] + [
    (f"letters/{LETTER}", *m) for m in LETTER_MISTAKES]


def line_of(path: Path, anchor: str | int) -> int:
    """The line of a file where anchor (text, or a line number) stands."""
    if isinstance(anchor, int):
        return anchor
    text = path.read_text()
    assert anchor in text, anchor
    return text[:text.index(anchor)].count("\n") + 1 + (anchor[:1] == "\n")


@pytest.mark.parametrize(("target", "old", "new", "anchor", "message"), MISTAKES)
def test_a_mistake_is_reported_at_its_line(data_copy: Path, target: str, old: str, new: str,
                                           anchor: str | int, message: str) -> None:
    edit(data_copy / target, old, new)
    line = line_of(data_copy / target, anchor)
    code, output = run_check(data_copy)
    assert code == 1, output
    assert f"{data_copy / target}:{line}: {message}" in output.splitlines()


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    edit(data_copy / "contacts.yaml", "  GB:", "  UK:")
    edit(data_copy / "contacts.yaml", "fr-embassy@missions.example.org", "fr-embassy@")
    edit(data_copy / "letters" / LETTER, "{{ name }}", "{{ nom }}")
    code, output = run_check(data_copy)
    assert code == 1
    # the broken letter's translations are not read: their three warnings go with them
    assert output.rstrip().endswith(f"failed: 3 errors, {WARNINGS - 3} warnings")


def test_old_and_unconfirmed_addresses_are_warnings(data_copy: Path) -> None:
    report = check(str(data_copy / "contacts.yaml"), str(data_copy / "letters"),
                   today=dt.date(2027, 6, 1))
    stale = [p for p in report.warnings if "over a year ago" in p.message]
    assert len(stale) == 0  # checked in November 2026: not a year old in June 2027
    report = check(str(data_copy / "contacts.yaml"), str(data_copy / "letters"),
                   today=dt.date(2027, 12, 1))
    stale = [p for p in report.warnings if "over a year ago" in p.message]
    assert len(stale) == len(load_contacts(data_copy / "contacts.yaml").recipients)
    assert not report.errors
    assert any("the address of recipient 'gb-embassy' is unconfirmed" in p.message
               for p in report.warnings)


def test_link_lengths_are_listed_for_every_place(data_copy: Path) -> None:
    code, output = run_check(data_copy)
    assert code == 0
    rows = [line for line in output.splitlines() if line.startswith("  stop-forced")]
    english = [row for row in rows if row.split()[1][0].isdigit()]
    places = " ".join(english)
    for place in ("KR", "AU", "CA", "FR", "DE", "JP", "GB", "other", "AL", "NY", "IL", "ON",
                  "BR", "th-songkhla", "th-khon-kaen", "in-mumbai"):
        assert place in places
    # The English letter fits every link everywhere, but Yahoo! JAPAN's: its mailto handler
    # takes the letter encoded twice, past the 2,000 characters it is given.
    assert all("*" not in cell for row in english for cell in row.split()[1:5])
    assert all(row.split()[5].endswith("**") for row in english)
    korean = [row for row in rows if "(ko)" in row]
    # the Korean letter: over Chrome-on-Windows' mailto limit only, and Yahoo's
    assert korean and all(row.split()[2].endswith("*") and not row.split()[2].endswith("**")
                          and row.split()[5].endswith("**") for row in korean)


def test_links_over_the_limit_are_marked(data_copy: Path) -> None:
    edit(data_copy / "letters" / LETTER, "I appeal to your good conscience",
         "北朝鮮の難民を強制送還しないでください。" * 30 + " I appeal to your good conscience")
    code, output = run_check(data_copy)
    assert code == 0
    rows = [line for line in output.splitlines() if line.startswith("  stop-forced")]
    english = [row for row in rows if row.split()[1][0].isdigit()]
    assert english and all(line.split()[1].endswith("*") for line in english)
    assert "asking to paste the letter" in output


def test_check_works_from_a_relative_path_and_prints_it_relative(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data_copy)
    edit(data_copy / "contacts.yaml", "  GB:", "  UK:")
    result = CliRunner().invoke(main, ["check", "--contacts", "contacts.yaml",
                                       "--letters", "letters"])
    line = line_of(data_copy / "contacts.yaml", "  UK:")
    assert any(row.startswith(f"contacts.yaml:{line}: country code 'UK'")
               for row in result.output.splitlines())


def test_a_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    code, output = run_check(tmp_path)
    assert code == 1
    assert "contacts.yaml:1: cannot read the file" in output
    assert "letters:1: no letters" in output

