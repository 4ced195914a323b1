"""An arrival page a phone loads fast (issue 22): at most 45 KB of HTML in every language,
with the shipped contacts and letters, served at a public address as long as a real one's
(every link on the page carries it). `make bench` prints each language's weight beside the
goal; the figure is the page's bytes, so it is held here too."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from support import page

from campaign import ROOT, create_app
from campaign.i18n.languages import LANGUAGES

GOAL = 45 * 1024  # bytes of raw HTML
SITE = "https://letters.example-campaign.org"  # longer than most campaigns' addresses


@pytest.fixture(scope="module")
def shipped() -> FlaskClient:
    return create_app({"TESTING": True, "SECRET_KEY": "t", "PUBLIC_URL": SITE,
                       "CONTACTS": str(ROOT / "contacts.yaml"),
                       "LETTERS": str(ROOT / "letters")}).test_client()


@pytest.mark.parametrize("code", [language.code for language in LANGUAGES])
def test_the_arrival_page_weighs_at_most_45_kb_in_every_language(shipped: FlaskClient,
                                                                   code: str) -> None:
    response = shipped.get(f"/{code}/", base_url=SITE)
    assert response.status_code == 200
    assert SITE in response.get_data(as_text=True)  # its links carry the long address
    assert len(response.data) <= GOAL, f"/{code}/ weighs {len(response.data)} bytes"


def test_the_arrival_page_holds_its_letter_once(shipped: FlaskClient) -> None:
    """The letter is in the text area; the base it is told apart from (pages._fill) is not
    sent a second time: empty, it is the letter the page offered."""
    soup = page(shipped.get("/ru/", base_url=SITE))
    assert soup.find(id="base")["value"] == ""
    letter = soup.find(id="letter").get_text().strip()
    middle = letter.split("\n\n")[-2]  # a paragraph the preview before it does not show
    assert len(middle) > 300 and soup.decode().count(middle) == 1
