"""The cities' names CLDR lacks (campaign/translations/cities.yaml): each from a source the
file names, in a language the site's addresses name, every mistake at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from campaign.cli.main import main
from campaign.data import catalogs
from campaign.data.cities import city_names_file, load_city_names, parse_city_names
from campaign.data.yamlfile import DataError
from campaign.i18n.languages import LANGUAGES

GOOD = """sources:
  atlas: https://atlas.example.org/names
cities:
  CH Geneva:
    atlas: {fr: Genève, zh-hans: 日内瓦}
"""


def test_the_shipped_names_are_read_and_geneva_has_one_in_every_language() -> None:
    names = load_city_names()
    geneva = names.names[("CH", "Geneva")]
    assert set(geneva) == {language.code for language in LANGUAGES} - {"en"}
    assert (geneva["ru"], geneva["pt"], geneva["id"]) == ("Женева", "Genebra", "Jenewa")
    assert names.sources[("CH", "Geneva", "pt")] == "britannica-pt"
    assert names.in_language("ko")[("CH", "Geneva")] == "제네바"


def test_a_name_stands_under_its_source() -> None:
    names, problems = parse_city_names(GOOD, "cities.yaml")
    assert problems == [] and names is not None
    assert names.in_language("fr") == {("CH", "Geneva"): "Genève"}
    assert names.sources[("CH", "Geneva", "zh-hans")] == "atlas"


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("  CH Geneva:", "  Geneva:", 4, "'Geneva' must be a country's code and the city as "
     "contacts.yaml spells them, like 'CH Geneva'"),
    ("    atlas: {", "    atlass: {", 5, "the source 'atlass' of 'CH Geneva' is not one of "
     "'sources': add it there, with where the names come from"),
    ("zh-hans: 日内瓦", "zh-Hans: 日内瓦", 5, "'zh-Hans' must be a language's code as the "
     "site's addresses spell it, like ko, zh-hans or pt"),
    ("fr: Genève", "fr: ''", 5, "the fr name of 'CH Geneva' must be text, without spaces around "
     "it"),
    ("日内瓦}", "日内瓦}\n    other: {fr: Genf}", 6, "the source 'other' of 'CH "
     "Geneva' is not one of 'sources': add it there, with where the names come from"),
    ("  atlas: https", "  other: x\n  atlas: https", 0, ""),  # a second source is fine
])
def test_each_mistake_is_named_at_its_line(old: str, new: str, line: int, message: str) -> None:
    names, problems = parse_city_names(GOOD.replace(old, new), "cities.yaml")
    assert [(p.line, p.message) for p in problems] == ([(line, message)] if message else [])
    assert (names is None) == bool(message)


def test_a_city_named_twice_in_one_language_is_an_error() -> None:
    text = GOOD.replace("  atlas: https", "  other: x\n  atlas: https") + \
        "    other: {fr: Genf}\n"
    _names, problems = parse_city_names(text, "cities.yaml")
    assert [(p.line, p.message) for p in problems] == [
        (7, "'CH Geneva' has two fr names: keep one")]


def test_campaign_check_names_a_broken_file_and_the_site_keeps_the_last_good_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogs, "FOLDER", tmp_path)
    city_names_file().write_text(GOOD.replace("  CH Geneva:", "  Geneva:"))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert f"{tmp_path}/cities.yaml:4: 'Geneva' must be a country's code" in result.output
    with pytest.raises(DataError):
        load_city_names()
