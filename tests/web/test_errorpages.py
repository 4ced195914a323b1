"""The front server's own pages: the app's error page for each language and status, and the
JSON of the script's paths, written by `campaign errorpages`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from support import page

from campaign.cli.main import main
from campaign.i18n.languages import LANGUAGES
from campaign.web.errorpages import FRONT_SERVER_STATUSES, json_path, page_path, write
from campaign.web.security import URL_LIMIT


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pages, as `campaign errorpages FOLDER` writes them at deploy."""
    written = tmp_path_factory.mktemp("errorpages")
    result = CliRunner().invoke(main, ["errorpages", str(written)])
    assert result.exit_code == 0, result.output
    pages = len(LANGUAGES) * len(FRONT_SERVER_STATUSES) + len(FRONT_SERVER_STATUSES)
    files = len(list((written / "assets").iterdir()))
    assert f"{pages + files} files written into {written}" in result.output
    return written


def test_every_language_and_status_has_its_page(folder: Path) -> None:
    for language in LANGUAGES:
        for status in FRONT_SERVER_STATUSES:
            soup = BeautifulSoup((folder / page_path(language, status)).read_text(),
                                 "html.parser")
            assert soup.html["lang"] == language.tag
            assert soup.h1.get_text().strip()
            assert soup.find("a", href=f"/{language.code}/")  # back to the campaign
            assert not soup.find(id="request-id")  # nothing of any one request
    assert {path.name for path in folder.iterdir() if path.is_file()} == {
        json_path(status) for status in FRONT_SERVER_STATUSES}


@pytest.mark.parametrize(("status", "result"), [(400, "bad"), (413, "bad"), (414, "bad"),
                                                (429, "limited"), (500, "unavailable"),
                                                (502, "unavailable"), (504, "unavailable")])
def test_the_scripts_paths_get_the_apps_json(folder: Path, status: int, result: str) -> None:
    assert json.loads((folder / json_path(status)).read_text()) == {"result": result}


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_a_page_is_what_the_app_answers(folder: Path, client: FlaskClient,
                                        language: object) -> None:
    """The app's own 414, for an address over the limit, is the written page (its language
    links aside: the app's name the page asked for)."""
    path = f"/{language.code}/?src="  # type: ignore[attr-defined]
    answered = page(client.get(path + "x" * URL_LIMIT))
    written = BeautifulSoup((folder / page_path(language, 414)).read_text(),  # type: ignore[arg-type]
                            "html5lib")  # parsed as page() parses the app's
    for soup in (answered, written):
        nav = soup.find("nav", class_="languages")
        if nav:
            nav.decompose()
    assert written.main == answered.main
    assert written.head == answered.head
    assert written.footer == answered.footer


def test_the_pages_use_only_the_apps_files(folder: Path, client: FlaskClient) -> None:
    soup = BeautifulSoup((folder / page_path(LANGUAGES[0], 502)).read_text(), "html.parser")
    files = [node.get("href") or node.get("src")
             for node in soup.select("link[href], script[src], img[src]")
             if node.get("rel") != ["expect"]]
    assert files
    for href in files:
        assert href.startswith("/") and not href.startswith("//")
        with client.get(href) as response:
            assert response.status_code == 200
            # Written beside the pages, for nginx to serve while the app is away.
            assert (folder / href.lstrip("/")).read_bytes() == response.data
    assert {path.name for path in (folder / "assets").iterdir()} == {
        href.rsplit("/", 1)[1] for href in files if href.startswith("/assets/")}


def test_pages_are_replaced_whole(tmp_path: Path, app: Flask) -> None:
    folder = tmp_path / "errors"
    (folder / "ko").mkdir(parents=True)
    (folder / "ko" / "502.html").write_text("an old page")
    written = write(app, folder)
    assert (folder / "ko" / "502.html").read_text().startswith("<!doctype html>")
    assert sorted(path for path in folder.rglob("*") if path.is_file()) == sorted(written)
