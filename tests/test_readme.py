"""README.md stays true: the two commands first, and every setting documented."""

from __future__ import annotations

import re

from campaign import ROOT, create_app

README = (ROOT / "README.md").read_text()
INTERNAL = {"SECRET_KEY", "DATABASE_URL"}  # documented under their own names below


def test_the_two_commands_come_first() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "run"], ["make", "test"]]


def test_every_setting_is_documented() -> None:
    defaults = create_app({"TESTING": True, "SECRET_KEY": "t"}).config
    ours = ["CONTACTS", "LETTERS", "LOG_IP", "RELOAD_EVERY", "COUNT_LIMIT", "PUBLIC_URL", "ENV",
            "PROXIES"]
    assert all(key in defaults for key in ours)
    for key in ours:
        assert f"`CAMPAIGN_{key}`" in README, f"CAMPAIGN_{key} is missing from README.md"
    for name in ("CAMPAIGN_SECRET_KEY", "DATABASE_URL", "TEST_DATABASE_URL"):
        assert f"`{name}" in README


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, re.MULTILINE))
    for target in set(re.findall(r"`make ([a-z]+)", README)):
        assert target in targets, target
