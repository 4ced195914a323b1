"""A post's page, rendered once per shape and filled in (web/shapes.py): the same bytes as the
page rendered whole, and nothing of one supporter on another's page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import form_values, page, post_letter, valid

from campaign import create_app
from campaign.web import shapes

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
PLACES = st.sampled_from([("GB", ""), ("US", "NY"), ("US", ""), ("US", "CA"), ("TH", ""),
                          ("TH", "th-songkhla"), ("BR", ""), ("other", ""), ("", ""), ("ZZ", "")])


def whole(template: str, key: Any, form: Any, draft: Any, preview: Any,
          page: Callable[[], dict[str, Any]]) -> str:
    """The page rendered whole, with the supporter's values in it."""
    return render_template(template, form=form, draft=draft, preview=preview, **page())


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    yield create_app({"TESTING": True, "SECRET_KEY": "shapes"})


@st.composite
def supporters(draw: Any) -> dict[str, Any]:
    """What one supporter posts (their own values), as any browser could."""
    return {"name": draw(st.sampled_from(["Ada Lovelace", "", "<b>", "홍길동"]) | TEXT),
            "city": draw(st.sampled_from(["London", "", "Zürich & \"Bern\""]) | TEXT),
            "own_words": draw(st.sampled_from(["", "I met a refugee."]) | TEXT),
            "subject": draw(st.sampled_from(["", "My own subject", "<i>x</i> & y"]) | TEXT),
            "extra_to": draw(st.sampled_from(["", "embassy@example.org", "a..b@example.org"]))}


@settings(max_examples=80, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(place=PLACES, first=supporters(), then=supporters(), language=st.sampled_from(
    ["", "/ko"]), edit=st.booleans())
def test_a_posts_page_filled_in_is_the_page_rendered_whole(
        app: Flask, monkeypatch: pytest.MonkeyPatch, place: tuple[str, str],
        first: dict[str, Any], then: dict[str, Any], language: str, edit: bool) -> None:
    client = app.test_client()
    arrival = form_values(page(client.get(f"{language}/?country={place[0]}")))
    token = form_values(page(client.post(f"{language}/", data=arrival)))["count_token"]

    def posted(supporter: dict[str, Any]) -> dict[str, Any]:
        fields = {**arrival, "country": place[0], "region": place[1], "count_token": token,
                  **supporter}
        if edit:
            fields["letter"] = "Dear Minister,\n\n" + supporter["own_words"]
        return fields

    client.post(f"{language}/", data=posted(first))  # a supporter before them: the shape
    filled = client.post(f"{language}/", data=posted(then))
    with monkeypatch.context() as patched:
        patched.setattr(shapes, "render", whole)
        expected = client.post(f"{language}/", data=posted(then))
    assert filled.get_data(as_text=True) == expected.get_data(as_text=True)


def test_nothing_of_a_supporter_is_on_the_next_ones_page(client: FlaskClient) -> None:
    """The shape two posts share holds neither's values: the second page shows only its own."""
    before = post_letter(client, **valid(name="Zoë Quillfeather", city="Xanadu-on-Sea",
                                         own_words="A very particular sentence."))
    assert "Quillfeather" in before.get_data(as_text=True)
    after = post_letter(client, **valid(name="Ada Lovelace", city="London",
                                        own_words="Another sentence."))
    html = after.get_data(as_text=True)
    for theirs in ("Quillfeather", "Xanadu", "particular", form_values(page(before))[
            "count_token"]):
        assert theirs not in html
    assert "Ada Lovelace" in html and "Another sentence." in html
