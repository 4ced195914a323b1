"""Partner organizations that put the letter form on their own pages: contacts.yaml's
`partners:`, parsed once into typed objects.

A partner's embed and links say "Shared by <partner>" and count under the partner's key as
their share source, so `campaign stats --by src` shows what each partner brought.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .sources import source_problem
from .yamlfile import MarkedMapping, Reader

# A partner's key is also the share source its sends are counted under (database: 16).

PARTNER_FIELDS = {"name", "link", "logo", "note"}
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".webp": "image/webp", ".svg": "image/svg+xml"}
LOGO_MAX = 200 * 1024  # bytes: a logo shown at 32 pixels high needs far less


@dataclass(frozen=True)
class Logo:
    """A partner's logo file, read once: its bytes, type and a fingerprint for its URL."""

    content: bytes
    mimetype: str
    suffix: str

    @property
    def version(self) -> str:
        """A fingerprint of the content: a changed logo gets a new URL."""
        return hashlib.sha256(self.content).hexdigest()[:10]


@dataclass(frozen=True)
class Partner:
    """An organization that embeds the letter form, credited on it."""

    key: str
    name: str
    link: str
    logo: Logo | None = None


def read_partners(reader: Reader, top: MarkedMapping, folder: Path) -> dict[str, Partner]:
    """Read the optional `partners:` section; logo paths are relative to folder (the folder
    of contacts.yaml, the repository's root)."""
    if top.get("partners") is None:
        return {}
    section = reader.mapping(top["partners"], top.lines["partners"], "'partners'")
    partners: dict[str, Partner] = {}
    for key, value in (section or {}).items():
        line = section.lines[key] if section else 1
        if not isinstance(key, str) or source_problem(key):
            reader.error(line, f"partner key {key!r} must be lower-case letters, digits and -, "
                         "starting with a letter, at most 16 characters (it is counted as the "
                         "partner's share source)")
            continue
        entry = reader.mapping(value, line, f"partner {key!r}")
        if entry is not None and (partner := _read_partner(reader, key, entry, folder)):
            partners[key] = partner
    return partners


def _read_partner(reader: Reader, key: str, entry: MarkedMapping, folder: Path) -> Partner | None:
    """Read one partner: its name as it should be credited, its link, and its logo."""
    what = f"partner {key!r}"
    reader.unknown_keys(entry, PARTNER_FIELDS, what)
    name = reader.text(entry, "name", what)
    link = reader.text(entry, "link", what)
    if link and (urlsplit(link).scheme not in ("http", "https") or not urlsplit(link).hostname
                 or not re.fullmatch(r"\S+", link)):
        reader.error(entry.lines["link"], f"link {link!r} of {what} must be a link starting "
                     "with https:// (or http://)")
        link = None
    logo = _read_logo(reader, entry, what, folder)
    if not name or not link or (entry.get("logo") is not None and logo is None):
        return None
    return Partner(key, name, link, logo)


def _read_logo(reader: Reader, entry: MarkedMapping, what: str, folder: Path) -> Logo | None:
    """A logo file inside the repository, of a type browsers show, and small."""
    path_text = reader.text(entry, "logo", what, required=False)
    if path_text is None:
        return None
    line = entry.lines["logo"]
    path = (folder / path_text).resolve()
    suffix = path.suffix.lower()
    if Path(path_text).is_absolute() or not path.is_relative_to(folder.resolve()):
        reader.error(line, f"logo {path_text!r} of {what} must be a path inside the repository, "
                     "relative to contacts.yaml, like campaign/static/partners/name.png")
    elif suffix not in LOGO_TYPES:
        reader.error(line, f"logo {path_text!r} of {what} must be a "
                     f"{', '.join(sorted(LOGO_TYPES))} file")
    elif not path.is_file():
        reader.error(line, f"logo {path_text!r} of {what} is not there; add the file or fix "
                     "the path (relative to contacts.yaml)")
    elif path.stat().st_size > LOGO_MAX:
        reader.error(line, f"logo {path_text!r} of {what} is larger than {LOGO_MAX // 1024} KB; "
                     "make it smaller")
    else:
        return Logo(path.read_bytes(), LOGO_TYPES[suffix], suffix)
    return None
