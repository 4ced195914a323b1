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
from campaign.i18n.languages import BY_CODE, LANGUAGES
from campaign.i18n.names import MISSION_NAMES
from campaign.media.favicon import icon_svg
from campaign.web import context
from campaign.web.caching import NO_STORE
from campaign.web.counts import COUNT_PATH, TOKEN_PATH
from campaign.web.errorpages import FRONT_SERVER_STATUSES, json_path, page_path
from campaign.web.errors import JSON_PATHS
from campaign.web.security import BODY_LIMIT, URL_LIMIT, security_headers
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


def test_nginx_refuses_the_addresses_the_app_refuses() -> None:
    limits = re.findall(r'if \(\$request_uri ~ "\^\.\{(\d+)\}"\) \{ return 414; \}', NGINX)
    assert limits == [str(URL_LIMIT + 1)]  # more than URL_LIMIT
    assert re.findall(r"URL_LIMIT, (\d+)", NGINX) == [str(URL_LIMIT)]  # as its comment says
    # Its first buffer holds the cache key, an address that long, with the app's headers.
    sizes = re.findall(r"proxy_buffer_size (\d+)k;", NGINX)
    assert len(sizes) == 1 and int(sizes[0]) * 1024 >= URL_LIMIT + 4096


def test_nginx_answers_with_the_apps_headers() -> None:
    location = re.search(r"location \^~ /_errors/ \{\n(.*?)\n    \}", NGINX, re.S)
    assert location, "the location of nginx's own answers"
    headers = dict(re.findall(r'add_header (\S+) "([^"]*)" always;', location.group(1)))
    hsts = re.search(r"map \$scheme \$campaign_hsts \{[^}]*https +\"([^\"]+)\";", NGINX)
    assert hsts and "add_header Strict-Transport-Security $campaign_hsts always;" in NGINX
    assert {**headers, "Strict-Transport-Security": hsts.group(1)} == {
        **security_headers(secure=True), "Cache-Control": NO_STORE}


def test_nginx_answers_itself_with_the_pages_the_app_writes() -> None:
    codes = re.search(r"error_page ((?:\d{3} )+)/_errors\$campaign_error_page;", NGINX)
    assert codes, "nginx's error_page"
    assert tuple(int(code) for code in codes.group(1).split()) == FRONT_SERVER_STATUSES
    pages = re.search(r"map \$uri \$campaign_error_page \{\n +default +(\S+);\n +"
                      r'"([^"]+)" +(\S+);\n\}', NGINX)
    assert pages, "the map of nginx's own answers"
    page, script_paths, answer = pages.groups()
    ko = page.replace("$campaign_page_language", "ko").replace("$status", "502")
    assert ko == "/" + page_path(BY_CODE["ko"], 502)
    assert answer.replace("$status", "502") == "/" + json_path(502)
    for path in JSON_PATHS:
        assert re.search(script_paths[1:], path)
    assert not re.search(script_paths[1:], "/counter")
    assert set(JSON_PATHS) == {COUNT_PATH, TOKEN_PATH, SUGGEST_PATH}


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
