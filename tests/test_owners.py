"""Each fact has one owner in the code; the places that cannot import it (the script,
deploy/nginx.conf, the static icon, the routes Flask builds) are held to it here."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for

from campaign import ROOT
from campaign.compose.sendlinks import WEBMAIL, WEBMAIL_LIMITS
from campaign.compose.sharelinks import embed_path, letter_path
from campaign.data.contacts import KINDS
from campaign.i18n.languages import LANGUAGES
from campaign.i18n.names import MISSION_NAMES
from campaign.media.favicon import icon_svg
from campaign.web import context
from campaign.web.counts import COUNT_PATH, TOKEN_PATH
from campaign.web.security import BODY_LIMIT
from campaign.web.suggestions import SUGGEST_PATH

NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
SCRIPT = (ROOT / "campaign" / "static" / "campaign.js").read_text()


def test_the_script_posts_to_the_counters_paths() -> None:
    assert set(re.findall(r'fetch\("([^"]+)"', SCRIPT)) == {COUNT_PATH, TOKEN_PATH}


def test_nginx_limits_the_rate_of_the_counters_paths() -> None:
    pattern = re.search(r"location ~ (\S+) \{", NGINX)
    assert pattern is not None
    for path in (COUNT_PATH, TOKEN_PATH, SUGGEST_PATH):
        assert re.match(pattern.group(1), path)
    assert not re.match(pattern.group(1), "/counter")


def test_nginx_takes_the_bodies_the_app_takes() -> None:
    sizes = re.findall(r"client_max_body_size (\d+)k;", NGINX)
    assert sizes and {int(size) * 1024 for size in sizes} == {BODY_LIMIT}


def test_every_kind_of_mission_has_a_name() -> None:
    assert set(MISSION_NAMES) == set(KINDS)


def test_the_icon_file_is_the_icon_drawn_in_code() -> None:
    assert (ROOT / "campaign" / "static" / "icon.svg").read_text() == icon_svg()


@pytest.mark.parametrize("language", [None, *(language.code for language in LANGUAGES)])
def test_the_routes_and_the_links_spell_pages_alike(app: Flask, language: str | None) -> None:
    with app.test_request_context():
        letters = context.data().letters
        for slug in letters.by_slug:
            endpoint = "letters.index" if slug == letters.default_slug else "letters.letter"
            values = {} if slug == letters.default_slug else {"slug": slug}
            assert url_for(endpoint, lang=language, **values) == letter_path(letters, slug,
                                                                             language)
            assert url_for("embed.embed", slug=slug, lang=language) == embed_path(slug, language)


def test_the_readme_gives_every_webmails_limit() -> None:
    readme = (ROOT / "README.md").read_text()
    for channel, webmail in WEBMAIL.items():
        label = {"gmail": "Gmail (web)", "outlook": "Outlook.com"}.get(channel, webmail.label)
        assert f"| {label} | {WEBMAIL_LIMITS[channel]:,} |" in readme, channel
