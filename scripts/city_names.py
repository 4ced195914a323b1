"""Print the names GNOME's libgweather gives the missions' cities that CLDR does not name, in
each language the site speaks, as entries for campaign/translations/cities.yaml.

libgweather's Locations.xml lists the world's cities in English, and GNOME's translation teams
translate them (libgweather-4.0-locations.mo). Debian ships both in libgweather-4-common:

    apt-get download libgweather-4-common && dpkg -x libgweather-4-common_*.deb gweather
    .venv/bin/python scripts/city_names.py gweather/usr/share contacts.yaml \
        tests/fixtures/contacts.yaml

A name is printed only where CLDR has none, the city is the only one of its name in its
country, and the translation is one (a non-Latin language's name left in Latin letters is
an untranslated entry). Read what it prints before adding it: the file is the source a name
is checked against.
"""

from __future__ import annotations

import gettext
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from campaign.data.contactsfile import load_contacts
from campaign.i18n.languages import LANGUAGES, locale_of
from campaign.i18n.names import city_names

# libgweather's catalogs by the site's language codes, where their names differ.
GWEATHER_LOCALES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "pt": "pt_BR"}
LATIN_LANGUAGES = {"en", "fr", "de", "es", "pt", "id"}


def gweather_cities(share: Path) -> dict[tuple[str, str], list[str | None]]:
    """Each (country, English name) of Locations.xml, with the context of each such city."""
    root = ET.parse(share / "libgweather-4" / "Locations.xml").getroot()
    found: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for country in root.iter("country"):
        code = country.findtext("iso-code")
        for city in country.iter("city"):
            name = city.find("_name")
            if code and name is not None and name.text:
                found[(code, name.text)].append(name.get("msgctxt"))
    return found


def main(share: Path, contacts_files: list[str]) -> None:
    """Print the YAML entries."""
    cities = gweather_cities(share)
    wanted = sorted({(r.country, r.city) for path in contacts_files
                     for r in load_contacts(path).recipients.values()})
    for country, city in wanted:
        contexts = cities.get((country, city), [])
        if len(contexts) != 1:
            continue  # not in libgweather, or several cities of that name
        names = {}
        for language in LANGUAGES:
            code = language.code
            if code == "en" or (country, city) in city_names(locale_of(code)):
                continue
            catalog = share / "locale" / GWEATHER_LOCALES.get(code, language.locale) / \
                "LC_MESSAGES" / "libgweather-4.0-locations.mo"
            if not catalog.exists():
                continue
            with catalog.open("rb") as handle:
                translations = gettext.GNUTranslations(handle)
            context = contexts[0]
            name = translations.pgettext(context, city) if context else translations.gettext(city)
            if name != city and (code in LATIN_LANGUAGES or not name.isascii()):
                names[code] = name
        if names:
            print(f"  {country} {city}:")
            print("    gweather: {" + ", ".join(f"{k}: {v}" for k, v in names.items()) + "}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
