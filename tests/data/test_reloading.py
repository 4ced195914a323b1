"""Live edits: a running app picks up changed files and never serves a broken one."""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from support import COUNTRIES, Gunicorn, LiveServer, app_on, with_organizers

from campaign.data.yamlfile import DataError

LETTER = "stop-forced-repatriation.txt"
UK = COUNTRIES["GB"]


def reloading_app(data: Path, **config: Any) -> Flask:
    """The app on a copy of the data, looking at its files on every request."""
    return app_on(data, **{"RELOAD_EVERY": 0, **config})


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def write(path: Path, text: str) -> None:
    """Write a file as an editor would, and make sure its modification time moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_every_worker_of_a_preloaded_server_serves_edited_files(
        data_copy: Path, gunicorn_server: Callable[..., Gunicorn]) -> None:
    with_organizers(data_copy)  # production serves nothing until they are named
    contacts, letter = data_copy / "contacts.yaml", data_copy / "letters" / LETTER
    good, original = contacts.read_text(), letter.read_text()
    with gunicorn_server(CAMPAIGN_CONTACTS=str(contacts), WEB_CONCURRENCY="3",
                         CAMPAIGN_LETTERS=str(data_copy / "letters")) as server:
        workers = server.workers(3)
        # the data was loaded once, in gunicorn's master, before it forked the workers
        assert server.log.read_text().count("warmed up in") == 1
        versions = set()
        for worker in workers:
            with server.only(worker):
                status, body = fetch(server.url + "/?country=GB")
                versions.add(json.loads(fetch(server.url + "/healthz")[1])["version"])
            assert status == 200 and UK in body
        write(contacts, good.replace(UK, "uk-test@example.org"))
        write(letter, original.replace("title: Stop the forced", "title: Edited, stop the forced"))
        time.sleep(1.1)  # CAMPAIGN_RELOAD_EVERY: each worker looks at the files once a second
        for worker in workers:
            with server.only(worker):
                status, body = fetch(server.url + "/?country=GB")
                health = json.loads(fetch(server.url + "/healthz")[1])
            assert status == 200 and "uk-test@example.org" in body and UK not in body
            assert "Edited, stop the forced" in body
            assert health["status"] == "ok" and health["version"] not in versions


def test_corrupt_contacts_under_a_running_server(data_copy: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    contacts = data_copy / "contacts.yaml"
    good = contacts.read_text()
    with LiveServer(reloading_app(data_copy)) as server:
        status, body = fetch(server.url + "/?country=GB")
        assert status == 200 and UK in body
        health = json.loads(fetch(server.url + "/healthz")[1])
        assert health["status"] == "ok" and health["error"] is None
        first_version = health["version"]

        write(contacts, good.replace(UK, "gb-embassy@@missions.example.org"))
        with caplog.at_level(logging.ERROR, logger="campaign.data"):
            for _ in range(20):
                status, body = fetch(server.url + "/?country=GB")
                assert status == 200 and UK in body
        health = json.loads(fetch(server.url + "/healthz")[1])
        assert health["status"] == "stale"
        assert health["version"] == first_version
        # the public sees the file named within the data folder, never its path on the server
        line = good[:good.index(UK)].count("\n") + 1
        assert health["error"].startswith(
            f"contacts.yaml:{line}: email 'gb-embassy@@missions.example.org'")
        assert str(contacts.parent) not in json.dumps(health)
        logged = [r for r in caplog.records if r.name == "campaign.data"]
        assert len(logged) == 1, "the error is logged once, not per request"
        assert f"{contacts}:{line}: email 'gb-embassy@@missions.example.org'" \
            in logged[0].getMessage()

        write(contacts, good.replace(UK, "uk-test@example.org"))
        status, body = fetch(server.url + "/?country=GB")
        assert status == 200 and "uk-test@example.org" in body and UK not in body
        health = json.loads(fetch(server.url + "/healthz")[1])
        assert health["status"] == "ok" and health["error"] is None
        assert health["version"] != first_version


def test_a_deleted_contacts_file_keeps_the_site_up(data_copy: Path) -> None:
    with LiveServer(reloading_app(data_copy)) as server:
        (data_copy / "contacts.yaml").unlink()
        status, body = fetch(server.url + "/?country=GB")
        assert status == 200 and UK in body
        health = fetch(server.url + "/healthz")[1]
        assert json.loads(health)["error"] == (
            "contacts.yaml:1: cannot read the file: No such file or directory")
        assert str(data_copy) not in health


def test_a_new_letter_is_served_without_a_restart(data_copy: Path) -> None:
    original = (data_copy / "letters" / LETTER).read_text()
    with LiveServer(reloading_app(data_copy)) as server:
        assert fetch(server.url + "/second/")[0] == 404
        write(data_copy / "letters" / "second.txt",
              original.replace("title: Stop the forced", "title: Second letter, stop the forced"))
        status, body = fetch(server.url + "/second/")
        assert status == 200 and "Second letter, stop the forced" in body
        assert json.loads(fetch(server.url + "/healthz")[1])["letters"] == [
            "second", "stop-forced-repatriation"]


def test_files_are_not_looked_at_on_every_request(data_copy: Path) -> None:
    app = reloading_app(data_copy, RELOAD_EVERY=3600)
    client = app.test_client()
    write(data_copy / "contacts.yaml",
          (data_copy / "contacts.yaml").read_text().replace(UK, "uk-test@example.org"))
    assert UK in client.get("/?country=GB").get_data(as_text=True)
    app.extensions["campaign_data"].refresh()
    assert "uk-test@example.org" in client.get("/?country=GB").get_data(as_text=True)


def test_a_broken_file_stops_start_up(data_copy: Path) -> None:
    write(data_copy / "contacts.yaml", "recipients: [\n")
    with pytest.raises(DataError, match=r"contacts.yaml:\d+: YAML syntax error"):
        reloading_app(data_copy)


def test_stat_only_until_something_changes(data_copy: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = reloading_app(data_copy).extensions["campaign_data"]
    reads: list[str] = []
    original = Path.read_text

    def counting_read(self: Path, *args: Any, **kwargs: Any) -> str:
        reads.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting_read)
    for _ in range(5):
        store.refresh()
    assert reads == []
    time.sleep(0.01)
    write(data_copy / "contacts.yaml", (data_copy / "contacts.yaml").read_text() + "\n")
    reads.clear()
    store.refresh()
    assert "contacts.yaml" in reads
