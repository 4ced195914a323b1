"""Letters: the test data's letter, composing it, and broken letter files."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TEST_DATA

from campaign.data.letterfiles import load_letters, parse_letter
from campaign.data.lettertext import Signature, normalize_text, resign
from campaign.data.yamlfile import DataError


@pytest.fixture(scope="module")
def letter():  # type: ignore[no-untyped-def]
    return load_letters(TEST_DATA / "letters").default


def test_name_and_city_sign_the_letter(letter) -> None:  # type: ignore
    text = letter.compose(Signature("Ada Lovelace", "London"))
    assert text.startswith("Dear Minister Wang Yi,\n\nI am writing")
    assert text.endswith("deserves.\n\nSincerely,\nAda Lovelace\nLondon")


def test_before_signing_the_letter_shows_its_blanks(letter) -> None:  # type: ignore
    blanks = Signature("[your name]", "[your city]")
    assert letter.compose(Signature(), blanks).endswith(
        "deserves.\n\nSincerely,\n[your name]\n[your city]")
    assert letter.compose(Signature(" ", "Paris"), blanks).endswith(
        "Sincerely,\n[your name]\nParis")  # only what is not typed yet
    korean = letter.in_language("ko").compose(Signature(), Signature("[이름]", "[사는 도시]"))
    assert korean.endswith("감사합니다.\n\n[사는 도시]에서\n[이름] 드림")


def test_own_words_go_before_the_closing(letter) -> None:  # type: ignore
    text = letter.compose(Signature("Ada", "London", "I have met refugees who escaped."))
    assert text.endswith("deserves.\n\nI have met refugees who escaped.\n\nSincerely,\nAda\nLondon")


def test_a_supporters_braces_are_not_a_template(letter) -> None:  # type: ignore
    text = letter.compose(Signature("{{ 7*7 }}", "{% if 1 %}x{% endif %}"))
    assert text.endswith("Sincerely,\n{{ 7*7 }}\n{% if 1 %}x{% endif %}")


def test_several_subjects_of_at_most_150_characters(letter) -> None:  # type: ignore
    assert len(letter.subjects) >= 5
    assert all(0 < len(s) <= 150 for s in letter.subjects)
    assert len(set(letter.subjects)) == len(letter.subjects)


@pytest.mark.parametrize(("text", "expected"), [
    ("a\r\nb\rc", "a\nb\nc"),
    ("a  \t\nb", "a\nb"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("\n\na\n\n", "a"),
])
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


FRONT = "---\ntitle: T\ndescription: D\nsalutation: Dear X,\nsubjects: [S1, S2]\n---\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("no front matter", 1, "starts with a '---' line"),
    ("---\ntitle: T\n", 1, "never closed"),
    (FRONT.replace("title: T\n", ""), 1, "has no 'title'"),
    (FRONT.replace("title: T", "title: T\ncolour: red"), 3, "unknown key 'colour'"),
    (FRONT + "Hello {{ nmae }}\n", 7, "unknown placeholder 'nmae'"),
    (FRONT + "Hello\n{% if name %}\n", 8, "template error"),
    (FRONT.replace("[S1, S2]", "\n  - S1\n  - " + "x" * 151), 7, "151 characters"),
    (FRONT.replace("subjects: [S1, S2]\n", "subjects: []\n"), 5, "'subjects' must be a list"),
])
def test_broken_letter_names_line_and_problem(text: str, line: int, message: str) -> None:
    letter, problems = parse_letter(text, "letters/x.txt", "x")
    assert letter is None
    errors = [p for p in problems if not p.warning]
    assert errors, problems
    assert (errors[0].line, message in errors[0].message) == (line, True), errors


def test_an_empty_letters_folder_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no letters"):
        load_letters(tmp_path)


# The context that places a change is 40 characters each side: edits farther away are kept.
BODY = "Please help the refugees held in China, before they are sent back to the North."


def signed(name: str = "Ada", own: str = "", greeting: str = "Dear X,",
           closing: str = "Sincerely,") -> str:
    """A short letter, signed."""
    return "\n\n".join(p for p in (greeting, BODY, own, f"{closing}\n{name}\nLondon") if p)


@pytest.mark.parametrize(("edited", "new", "expected"), [
    # an edit in the body: kept, and the new name signed in
    (signed(greeting="Dear Minister X,"), signed("Ada King"),
     signed("Ada King", greeting="Dear Minister X,")),
    # a sentence of their own added after the edit
    (signed(greeting="Dear Minister X,"), signed(own="I care."),
     signed(own="I care.", greeting="Dear Minister X,")),
    # nothing changed in the signature: the edit as it is
    (signed(greeting="Hello,"), signed(), signed(greeting="Hello,")),
    # the signature itself edited: left to the supporter
    (signed("A.", closing="Yours,"), signed("Ada King"), None),
    # a whole new letter: nothing to sign in
    ("My own words.", signed("Ada King"), None),
])
def test_resign_keeps_an_edit_and_signs_a_new_name(edited: str, new: str,
                                                   expected: str | None) -> None:
    assert resign(edited, signed(), new) == expected
