"""The fonts cards and flyers draw with: which face draws a text, read from each face's own
character map, and the cut-down font a flyer brings where a printer may lack the script."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from campaign.media import fonts
from campaign.media.fonts import CJK, CJK_FACES, LATIN, Face, candidates, characters

FACES = [(LATIN, 0), *((CJK, index) for index in CJK_FACES.values()), *candidates("a")[2:]]
KOREAN = "탈북민 강제북송을 멈춰 주세요"


@pytest.mark.parametrize("face", FACES, ids=lambda face: f"{face[0].name}:{face[1]}")
def test_a_faces_coverage_is_what_fonttools_maps(face: Face) -> None:
    with TTFont(str(face[0]), fontNumber=face[1], lazy=True) as font:
        mapped = set(font.getBestCmap())
    coverage = characters(face)
    assert mapped and all(point in coverage for point in mapped)
    assert [point for point in range(0x30000) if point in coverage and point not in mapped] == []


def test_latin_text_needs_no_font_of_its_own() -> None:
    assert not fonts.needs_font("Stop the forced repatriation, now: 2,000 letters", "en")
    assert fonts.woff2_for("Stop the forced repatriation", "en") is None


def test_a_flyer_font_holds_every_character_it_prints_in_its_languages_face() -> None:
    text = KOREAN + " letters.example.org 0123456789"
    assert fonts.needs_font(text, "ko")
    woff2 = fonts.woff2_for(text, "ko")
    assert woff2 is not None and woff2.startswith(b"wOF2") and len(woff2) < 100_000
    with TTFont(io.BytesIO(woff2)) as font:
        drawn = set(font.getBestCmap())
        name = font["name"].getDebugName(4)
    assert {ord(ch) for ch in text if not ch.isspace()} <= drawn
    assert "KR" in name  # Noto Sans CJK KR: the Korean face, not the Japanese one
