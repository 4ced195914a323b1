"""What each field accepts (compose/rules.py): the forbidden characters, and what the send step
waits for."""

from __future__ import annotations

import sys
import unicodedata

from campaign.compose.rules import (
    _FORBIDDEN,
    FORBIDDEN_IN_LINE,
    FORBIDDEN_IN_TEXT,
    bad_characters,
    waiting_for,
)
from campaign.i18n.words import ENGLISH


def test_the_forbidden_patterns_are_unicodes_categories_over_every_code_point() -> None:
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        forbidden = unicodedata.category(char) in _FORBIDDEN
        assert bool(FORBIDDEN_IN_LINE.match(char)) == forbidden, hex(point)
        assert bool(FORBIDDEN_IN_TEXT.match(char)) == (forbidden and char not in "\r\n\t"), \
            hex(point)


def test_a_line_takes_no_break_and_a_text_takes_breaks_but_no_control() -> None:
    assert bad_characters("Ada\nLovelace", allow_breaks=False)
    assert not bad_characters("Dear Minister,\r\n\tYours", allow_breaks=True)
    assert bad_characters("bell\x07", allow_breaks=True)
    assert bad_characters("a\u2028b", allow_breaks=True)


def test_the_send_step_waits_in_the_forms_order_naming_the_region_by_its_kind() -> None:
    problems = [("city", True), ("name", False), ("region", True), ("country", False)]
    assert waiting_for(problems, "state", ENGLISH) == [
        ("country", "Choose your country"), ("region", "Choose your state"),
        ("name", "Check your name"), ("city", "Enter your city")]
    assert waiting_for([("letter", True), ("to", True)], "city", ENGLISH) == [
        ("to", "Tick at least one recipient"), ("letter", "Check the letter")]
