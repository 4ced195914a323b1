"""The campaign's data (contacts, letters, catalogs): loaded at start-up, reloaded when a file
changes.

A broken file stops start-up. Once running, a broken edit never takes the site down: the app
keeps serving the last good data, logs the error once, and /healthz shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.support import Translations

from .catalogs import catalog_files, load_catalogs
from .cities import CityNames, city_names_file, load_city_names
from .contacts import Contacts
from .contactsfile import load_contacts
from .letterfiles import LETTER_SUFFIX, load_letters
from .letters import Letters
from .pagecache import PageCache
from .yamlfile import DataError, Problem

logger = logging.getLogger("campaign.data")


@dataclass(frozen=True)
class CampaignData:
    """Contacts, letters, catalogs and city names, parsed and checked, with a version naming
    their content."""

    contacts: Contacts
    letters: Letters
    catalogs: dict[str, Translations]  # the interface's translations, by locale
    cities: CityNames  # the cities' names CLDR lacks, by language
    version: str
    loaded_at: dt.datetime
    # What pages render from this data alone, made once: dropped with the data on reload.
    rendered: PageCache = field(default_factory=PageCache, compare=False, repr=False)


def data_files(contacts_path: str, letters_dir: str) -> list[Path]:
    """Every file the data is read from: contacts, letters, and the interface's catalogs."""
    return [Path(contacts_path), *sorted(Path(letters_dir).glob(f"*{LETTER_SUFFIX}")),
            *catalog_files(), city_names_file()]


def load(contacts_path: str, letters_dir: str) -> CampaignData:
    """Read and check every data source; raise DataError if any is broken."""
    problems: list[Problem] = []
    loaded: list[Any] = []
    for read in (lambda: load_contacts(contacts_path), lambda: load_letters(letters_dir),
                 load_catalogs, load_city_names):
        try:
            loaded.append(read())
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    contacts, letters, catalogs, cities = loaded
    digest = hashlib.sha256()
    for path in data_files(contacts_path, letters_dir):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return CampaignData(contacts, letters, catalogs, cities, digest.hexdigest()[:12],
                        dt.datetime.now(dt.UTC))


class Reloader:
    """Holds the last good data and notices, by modification time, when the files change."""

    def __init__(self, contacts_path: str, letters_dir: str, check_every: float = 1.0) -> None:
        self.contacts_path, self.letters_dir = contacts_path, letters_dir
        self.check_every = check_every
        self.error: str | None = None  # what is wrong with the files, naming their full paths
        self.public_error: str | None = None  # the same, naming files within the data folder
        self.folder = os.path.commonpath([os.path.dirname(os.path.abspath(contacts_path)),
                                          os.path.abspath(letters_dir)])
        self._lock = threading.Lock()
        self._stamp = self._fingerprint()
        self._data = load(contacts_path, letters_dir)  # a broken file stops start-up here
        self._checked = time.monotonic()

    @property
    def data(self) -> CampaignData:
        """The current data, reloaded first if a file changed since the last look."""
        if time.monotonic() - self._checked >= self.check_every:
            self.refresh()
        return self._data

    def refresh(self) -> None:
        """Reload if any file's modification time or size changed; keep the old data if broken."""
        with self._lock:
            self._checked = time.monotonic()
            stamp = self._fingerprint()
            if stamp == self._stamp:
                return
            self._stamp = stamp
            try:
                self._data = load(self.contacts_path, self.letters_dir)
            except DataError as exc:
                if str(exc) != self.error:
                    logger.error("data not reloaded, still serving version %s: %s",
                                 self._data.version, str(exc).replace("\n", " | "))
                self.error = str(exc)
                self.public_error = exc.relative_to(self.folder)
            else:
                if self.error:
                    logger.warning("data fixed: serving version %s", self._data.version)
                self.error = self.public_error = None

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Name, modification time and size of every data file: a few stat calls, no reads."""
        stamps = []
        for path in [Path(self.letters_dir), *data_files(self.contacts_path, self.letters_dir)]:
            try:
                info = os.stat(path)
            except OSError:
                stamps.append((str(path), -1, -1))
            else:
                stamps.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(stamps)

