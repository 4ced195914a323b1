"""`campaign check`: every mistake an organizer can make, at its exact line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from campaign import ROOT
from campaign.check import check
from campaign.cli import main

LETTER = "stop-forced-repatriation.txt"


def run_check(data: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--contacts", str(data / "contacts.yaml"),
                                       "--letters", str(data / "letters"), *extra])
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_shipped_data_has_no_errors() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert ": warning: " in result.output
    assert result.output.rstrip().endswith("ok: 0 errors, 11 warnings")


def test_strict_fails_on_warnings() -> None:
    result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.output.rstrip().endswith("failed: 0 errors, 11 warnings")


CONTACTS_MISTAKES = [
    # (old text, new text, the line check names, its message)
    ("  us-embassy:\n    name:", "  us-embassy:\n   name:", 20,
     "YAML syntax error: mapping values are not allowed in this context; check the "
     "indentation and quotes"),
    ("    email: chinaemb_uk@mfa.gov.cn", "    email: chinaemb_uk@@mfa.gov.cn", 100,
     "email 'chinaemb_uk@@mfa.gov.cn' of recipient 'gb-embassy' is not valid: The part after "
     "the @-sign contains invalid characters: '@'."),
    ("    status: confirmed\n    note: Older", "    satus: confirmed\n    note: Older", 25,
     "unknown key 'satus' in recipient 'us-embassy'; known keys: checked, email, name, note, "
     "source, status, website"),
    ("    status: confirmed\n    note: Older", "    satus: confirmed\n    note: Older", 18,
     "recipient 'us-embassy' has no 'status'; add one"),
    ("  GB:\n    name: United Kingdom", "  UK:\n    name: United Kingdom", 202,
     "country code 'UK' is not an ISO 3166-1 alpha-2 code (did you mean GB?)"),
    ("  FR:\n    name: France", "  GB:\n    name: France", 202, "'GB' is given twice; keep one"),
    ("  au-embassy:\n", "  jp-embassy:\n", 90, "'jp-embassy' is given twice; keep one"),
    ("    email: chinaemb_au@mfa.gov.cn", "    email: chinaemb_kr@mfa.gov.cn", 63,
     "chinaemb_kr@mfa.gov.cn of recipient 'au-embassy' is already the address of recipient "
     "'kr-embassy'; keep one recipient"),
    ("      TX: {name: Texas, mission: us-embassy}\n", "", 125,
     "Texas (US-TX) is served by no mission: add TX: {name: ..., mission: <recipient id>} "
     "under 'regions'"),
    ("      OH: {name: Ohio, mission: us-new-york}", "      OH: {name: Ohio}", 167,
     "region OH of country US is served by no mission; add mission: <recipient id>"),
    ("      OH: {name: Ohio, mission: us-new-york}", "      OH: {name: Ohio, mission: us-ny}",
     167, "region OH of country US names recipient 'us-ny', which is not under 'recipients' "
     "(known: au-embassy, ca-embassy, de-embassy, fr-embassy, gb-embassy, jp-embassy, "
     "kr-embassy, un-geneva, un-new-york, us-chicago, us-embassy, us-los-angeles, us-new-york, "
     "us-san-francisco)"),
    ("      OH: {name: Ohio, mission: us-new-york}", "      XO: {name: Ohio, mission: us-new-york}",
     167, "region code 'XO' is not an ISO 3166-2 subdivision of US (like NY for US-NY), nor "
     "part of one (like CA-N)"),
    ("    name: Japan\n", "", 199, "country JP has no 'name'; add one"),
    ("  JP:\n", "  NO:\n", 199, "country code False is not an ISO 3166-1 alpha-2 code (YAML "
     "reads NO as false: write it in quotes, as 'NO')"),
    ("    checked: 2026-11-22\n    status: confirmed\n    note: Older",
     "    checked: 22/11/2026\n    status: confirmed\n    note: Older", 24,
     "'checked' of recipient 'us-embassy' must be a date: YYYY-MM-DD"),
    ("    email: chinaemb_de@mfa.gov.cn\n", "", 83,
     "recipient 'de-embassy' is unconfirmed but has no email; add the email or set status: "
     "no-address"),
]


LETTER_MISTAKES = [
    ("title: Stop", "titel: Stop", 4,
     "unknown key 'titel' in the front matter; known keys: default, description, ends, goal, "
     "post, post_short, salutation, subjects, title"),
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
    ("the world, clearly and firmly", "the world, clearly and firmly, truly and really, "
     "calling out this", 13,
     "post_short is 310 of X's 280 characters with the link (a link counts 23, CJK characters "
     "2): shorten it"),
    ("---\n# One campaign letter", "# One campaign letter", 1,
     "a letter starts with a '---' line, then its front matter (title, description, "
     "salutation, subjects), then '---' and the letter"),
]


MISTAKES = [("contacts.yaml", *m) for m in CONTACTS_MISTAKES] + [
    (f"letters/{LETTER}", *m) for m in LETTER_MISTAKES]


@pytest.mark.parametrize(("target", "old", "new", "line", "message"), MISTAKES)
def test_a_mistake_is_reported_at_its_line(data_copy: Path, target: str, old: str, new: str,
                                           line: int, message: str) -> None:
    edit(data_copy / target, old, new)
    code, output = run_check(data_copy)
    assert code == 1, output
    assert f"{data_copy / target}:{line}: {message}" in output.splitlines()


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    edit(data_copy / "contacts.yaml", "  GB:\n", "  UK:\n")
    edit(data_copy / "contacts.yaml", "chinaemb_fr@mfa.gov.cn", "chinaemb_fr@")
    edit(data_copy / "letters" / LETTER, "{{ name }}", "{{ nom }}")
    code, output = run_check(data_copy)
    assert code == 1
    assert output.rstrip().endswith("failed: 3 errors, 11 warnings")


def test_old_and_unconfirmed_addresses_are_warnings(data_copy: Path) -> None:
    report = check(str(data_copy / "contacts.yaml"), str(data_copy / "letters"),
                   today=dt.date(2027, 6, 1))
    stale = [p for p in report.warnings if "over 180 days ago" in p.message]
    assert len(stale) == 14
    assert not report.errors
    assert any("the address of recipient 'gb-embassy' is unconfirmed" in p.message
               for p in report.warnings)


def test_link_lengths_are_listed_for_every_place(data_copy: Path) -> None:
    code, output = run_check(data_copy)
    assert code == 0
    rows = [line for line in output.splitlines() if line.startswith("  stop-forced")]
    places = " ".join(rows)
    for place in ("KR", "AU", "CA", "FR", "DE", "JP", "GB", "other", "AL", "NY", "IL", "CA-N"):
        assert place in places
    assert "*" not in places


def test_links_over_the_limit_are_marked(data_copy: Path) -> None:
    edit(data_copy / "letters" / LETTER, "I appeal to your good conscience",
         "北朝鮮の難民を強制送還しないでください。" * 30 + " I appeal to your good conscience")
    code, output = run_check(data_copy)
    assert code == 0
    rows = [line for line in output.splitlines() if line.startswith("  stop-forced")]
    assert rows and all(line.split()[1].endswith("*") for line in rows)
    assert "paste-the-letter fallback" in output


def test_check_works_from_a_relative_path_and_prints_it_relative(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data_copy)
    edit(data_copy / "contacts.yaml", "  GB:\n", "  UK:\n")
    result = CliRunner().invoke(main, ["check", "--contacts", "contacts.yaml",
                                       "--letters", "letters"])
    assert "contacts.yaml:202: country code 'UK'" in result.output


def test_a_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    code, output = run_check(tmp_path)
    assert code == 1
    assert "contacts.yaml:1: cannot read the file" in output
    assert "letters:1: no letters" in output


def test_shipped_letter_is_checked_from_its_source_folder() -> None:
    assert (ROOT / "letters" / LETTER).exists()
