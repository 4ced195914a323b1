"""Who runs the campaign: the `organizers:` section of contacts.yaml, parsed and checked.

A page that asks people to write to a government says who asks. The organizers name
themselves once, here; every page's footer shows them, and their address receives the
supporters' reports of an address that bounced. Until they do, `campaign check` warns and the
footer says plainly that they have not named themselves yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .emails import check_email
from .yamlfile import MarkedMapping, Reader

SECTION = "organizers"
FIELDS = {"name", "link", "email", "logo"}
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
              ".jpeg": "image/jpeg", ".webp": "image/webp"}
LOGO_MAX = 512 * 1024
EXAMPLE = ("organizers:\n  name: Your organization\n  link: https://your.site\n"
           "  email: you@your.site\n  logo: logo.svg  # optional, next to contacts.yaml")


@dataclass(frozen=True)
class Organizers:
    """The people who run the campaign, as they name themselves."""

    name: str
    link: str | None
    email: str
    logo: Path | None  # a file in the data folder
    line: int

    @property
    def logo_type(self) -> str | None:
        """The logo's media type."""
        return LOGO_TYPES[self.logo.suffix.lower()] if self.logo else None


def read_organizers(reader: Reader, top: MarkedMapping, folder: Path) -> Organizers | None:
    """Read the organizers' section; warn, showing how, where they have not named themselves."""
    if "report_to" in top:
        reader.error(top.lines["report_to"], "report_to is now the organizers' email: move it "
                     f"under organizers:, as email:\n{EXAMPLE}")
    if top.get(SECTION) is None:
        reader.warn(top.lines.get(SECTION, 1), "the organizers have not named themselves yet: "
                    "supporters see no one behind the campaign, and cannot report an address "
                    f"that bounced. Add, with your own details:\n{EXAMPLE}")
        return None
    what = f"'{SECTION}'"
    entry = reader.mapping(top[SECTION], top.lines[SECTION], what)
    if entry is None:
        return None
    reader.unknown_keys(entry, FIELDS, what)
    name = reader.text(entry, "name", what)
    link = reader.text(entry, "link", what, required=False)
    email = reader.text(entry, "email", what)
    logo = reader.text(entry, "logo", what, required=False)
    if link and not re.fullmatch(r"https?://\S+", link):
        reader.error(entry.lines["link"], f"link {link!r} of {what} must be a link starting "
                     "with https:// (or http://)")
    if email and (why := check_email(email)):
        reader.error(entry.lines["email"], f"email {email!r} of {what} is not valid: {why}")
    logo_path = _read_logo(reader, entry, logo, folder) if logo else None
    if name is None or email is None:
        return None
    return Organizers(name, link, email, logo_path, entry.owner_line)


def _read_logo(reader: Reader, entry: MarkedMapping, logo: str, folder: Path) -> Path | None:
    """The logo file, if it is an image in the data folder that the footer can show."""
    line = entry.lines["logo"]
    path = (folder / logo).resolve()
    if not path.is_relative_to(folder.resolve()):
        reader.error(line, f"logo {logo!r} must be a file in the folder of contacts.yaml")
        return None
    if path.suffix.lower() not in LOGO_TYPES:
        reader.error(line, f"logo {logo!r} must be an image: {', '.join(LOGO_TYPES)}")
        return None
    if not path.is_file():
        reader.error(line, f"logo {logo!r} is not there: put the file next to contacts.yaml, "
                     "or name it relative to that folder")
        return None
    if path.stat().st_size > LOGO_MAX:
        reader.error(line, f"logo {logo!r} is over {LOGO_MAX // 1024} KB: every page shows it, "
                     "so make it smaller")
        return None
    return path
