"""README.md stays true: the two commands first, and every setting documented."""

from __future__ import annotations

import re

from campaign import ROOT, settings

README = (ROOT / "README.md").read_text()


def test_the_two_commands_come_first() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "run"], ["make", "test"]]


def test_the_settings_table_is_the_codes_own_list() -> None:
    """The README's table of variables is exactly `campaign settings --markdown`."""
    assert settings.table() in README, "README.md's settings table differs from the code's list"
    for spec in settings.SPECS.values():
        assert README.count(f"| `{spec.variable}` |") == 1


def test_the_test_database_is_documented() -> None:
    assert "`TEST_DATABASE_URL" in README


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, re.MULTILINE))
    for target in set(re.findall(r"`make ([a-z]+)", README)):
        assert target in targets, target
