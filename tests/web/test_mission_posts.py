"""The share panel's posts to the missions' own X accounts: beside the general post, one to
each of the supporter's missions (the consulate serving them and their embassy, as routed) and
to the UN mission's, with and without JavaScript."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from playwright.sync_api import expect
from support import LiveServer, page

from campaign.data.posts import X_LIMIT, x_length

SITE = "http://localhost"  # the test client's host: no public URL is set


def posts(client: FlaskClient, query: str) -> list[tuple[str, str]]:
    """The share panel's buttons after the general post on X, as (label, post text), up to
    the first that is not a mission's."""
    soup = page(client.get("/" + query))
    general = soup.find(id="share-x").parent
    found = []
    for item in general.find_next_siblings("li"):
        if "mission-post" not in (item.get("class") or []):
            break
        link = item.find("a")
        assert link["data-channel"] == "x" and link["target"] == "_blank"
        query_of = {k: v[0] for k, v in parse_qs(urlsplit(link["href"]).query).items()}
        assert link["href"].startswith("https://twitter.com/intent/tweet?")
        assert query_of["url"] == f"{SITE}/en/?src=x"  # counted as the general post is
        assert x_length(query_of["text"]) <= X_LIMIT
        found.append((link.get_text(), query_of["text"]))
    return found


def test_a_supporter_served_by_a_consulate_gets_its_account_their_embassys_and_the_uns(
        client: FlaskClient) -> None:
    found = posts(client, "?country=US&region=NY")
    assert [label for label, _ in found] == ["Post to @ConsulateTestNY on X",
                                             "Post to @EmbassyTestUS on X",
                                             "Post to @MissionTestUN on X"]
    for (_, text), handle in zip(found, ("ConsulateTestNY", "EmbassyTestUS", "MissionTestUN"),
                                 strict=True):
        assert text.startswith(f"@{handle} ")
        assert "@MFA_China" in text  # the general post, addressed to one more account


@pytest.mark.parametrize(("query", "handles"), [
    ("?country=US&region=IL", ["EmbassyTestUS", "MissionTestUN"]),  # Chicago has no account
    ("?country=BR", ["EmbaixadaTeste", "MissionTestUN"]),  # no address, an account
    ("?country=GB", ["MissionTestUN"]),
    ("", ["MissionTestUN"]),  # before a country is chosen: every letter goes to the UN
])
def test_each_place_gets_the_accounts_of_its_own_missions(client: FlaskClient, query: str,
                                                         handles: list[str]) -> None:
    assert [label for label, _ in posts(client, query)] == [
        f"Post to @{handle} on X" for handle in handles]


@pytest.mark.browser
def test_the_posts_follow_the_place_chosen(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    missions = pg.locator("#share .mission-post a")
    expect(missions).to_have_text(["Post to @MissionTestUN on X"])
    pg.select_option("#country", "US")
    pg.select_option("#region", "NY")
    expect(missions).to_have_text(["Post to @ConsulateTestNY on X", "Post to @EmbassyTestUS on X",
                                   "Post to @MissionTestUN on X"])
    # right after the general post, before the other networks
    labels = pg.locator("#share .share-buttons > li").all_inner_texts()
    assert labels[:5] == ["Post on X", "Post to @ConsulateTestNY on X",
                          "Post to @EmbassyTestUS on X", "Post to @MissionTestUN on X",
                          "Facebook"]
    href = missions.first.get_attribute("href") or ""
    assert parse_qs(urlsplit(href).query)["text"][0].startswith("@ConsulateTestNY ")
    # the script fills the data's one pattern with each handle: the server's very links
    served = BeautifulSoup(urlopen(live_server.url + "/?country=US&region=NY").read(),
                           "html.parser")
    assert [(a.get_text(), a["href"]) for a in served.select("#share .mission-post a")] == [
        (a.inner_text(), a.get_attribute("href")) for a in missions.all()]
    pg.select_option("#region", "IL")
    expect(missions).to_have_text(["Post to @EmbassyTestUS on X", "Post to @MissionTestUN on X"])
    context.close()
