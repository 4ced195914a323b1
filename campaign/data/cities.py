"""The names of the missions' cities that CLDR does not name, in each language, each from its
source: campaign/translations/cities.yaml, read and checked like the other data (every problem
at its line), reloaded on change. i18n/names.py names a city by CLDR first, then by these."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from . import catalogs
from .letterfiles import language_code
from .yamlfile import DataError, MarkedMapping, Problem, Reader, read_text

FILE_NAME = "cities.yaml"
CITY_KEY = re.compile(r"(?P<country>[A-Z]{2}) (?P<city>\S.*)")
EMPTY: Mapping[tuple[str, str], str] = MappingProxyType({})


@dataclass(frozen=True)
class CityNames:
    """Each city's name in each language it has one in, by (country, city as contacts.yaml
    spells it), and the source of each name."""

    names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    sources: dict[tuple[str, str, str], str] = field(default_factory=dict)  # + language

    def in_language(self, code: str) -> Mapping[tuple[str, str], str]:
        """Every city's name in one language (its code: ko, zh-hans)."""
        return self._by_language.get(code, EMPTY)

    @cached_property
    def _by_language(self) -> dict[str, Mapping[tuple[str, str], str]]:
        """Each language's names, worked out once per file read (a page asks several times)."""
        found: dict[str, dict[tuple[str, str], str]] = {}
        for city, names in self.names.items():
            for code, name in names.items():
                found.setdefault(code, {})[city] = name
        return {code: MappingProxyType(names) for code, names in found.items()}


def city_names_file() -> Path:
    """Where the city names are: beside the interface's catalogs."""
    return catalogs.FOLDER / FILE_NAME


def parse_city_names(text: str, path: str) -> tuple[CityNames | None, list[Problem]]:
    """Read the file's text; the names (None on errors) and every problem."""
    reader = Reader(path)
    top = reader.mapping(reader.load_yaml(text), 1, "the file") if text.strip() else None
    if top is None:
        if not reader.problems:
            reader.error(1, "the file is empty: it needs 'sources' and 'cities'")
        return None, reader.problems
    reader.unknown_keys(top, {"sources", "cities"}, "the file")
    sources = reader.mapping(top.get("sources"), top.lines.get("sources", 1), "'sources'")
    cities = reader.mapping(top.get("cities"), top.lines.get("cities", 1), "'cities'")
    found = CityNames()
    for key, entry in (cities or MarkedMapping()).items():
        _read_city(reader, found, cities or MarkedMapping(), key, entry,
                   sources or MarkedMapping())
    return (None if reader.failed else found), reader.problems


def _read_city(reader: Reader, found: CityNames, cities: MarkedMapping, key: object,
               entry: object, sources: MarkedMapping) -> None:
    """One city's names, each under a known source, in a language as URLs spell it."""
    line = cities.lines[key]
    match = CITY_KEY.fullmatch(key) if isinstance(key, str) else None
    if match is None:
        reader.error(line, f"{key!r} must be a country's code and the city as contacts.yaml "
                     "spells them, like 'CH Geneva'")
        return
    city = (match["country"], match["city"])
    by_source = reader.mapping(entry, line, f"city {key!r}")
    for source, names in (by_source or {}).items():
        at = by_source.lines[source] if by_source else line
        if source not in sources:
            reader.error(at, f"the source {source!r} of {key!r} is not one of 'sources': add it "
                         "there, with where the names come from")
            continue
        for code, name in (reader.mapping(names, at, f"{key!r}'s names from {source}")
                           or {}).items():
            if not isinstance(code, str) or language_code(code) != code:
                reader.error(at, f"{code!r} must be a language's code as the site's addresses "
                             "spell it, like ko, zh-hans or pt")
            elif not isinstance(name, str) or not name.strip() or name != name.strip():
                reader.error(at, f"the {code} name of {key!r} must be text, without spaces "
                             "around it")
            elif code in found.names.get(city, {}):
                reader.error(at, f"{key!r} has two {code} names: keep one")
            else:
                found.names.setdefault(city, {})[code] = name
                found.sources[(*city, code)] = str(source)


def load_city_names(path: Path | None = None) -> CityNames:
    """The city names; DataError naming the file and line if the file is broken."""
    path = path or city_names_file()
    names, problems = parse_city_names(read_text(path), str(path))
    if names is None:
        raise DataError([p for p in problems if not p.warning])
    return names


def check_city_names(path: Path | None = None) -> list[Problem]:
    """Every problem in the city names, for `campaign check`."""
    path = path or city_names_file()
    try:
        return parse_city_names(read_text(path), str(path))[1]
    except DataError as exc:
        return exc.problems
