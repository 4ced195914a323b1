"""The impact's threshold and its charts: valid SVG, shaded where the public may see a
country, never below the threshold, and nothing that runs or loads from another host."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from xml.etree import ElementTree

import pytest
from support.svg import SVG, external_references, shaded

from campaign.media import charts
from campaign.media.charts import SHADES, Impact, impact_of, simplified_outlines

TODAY = dt.date(2026, 12, 2)
COUNTS = [("KR", 1200), ("US", 40), ("JP", 12), ("FR", 5), ("DE", 4), ("BR", 1),
          ("other", 3), ("", 2)]


def impact(minimum: int = 5, by_country: list[tuple[str, int]] | None = None,
           by_day: list[tuple[dt.date, int]] | None = None) -> Impact:
    days = [(TODAY, 30), (TODAY - dt.timedelta(days=1), 4), (TODAY - dt.timedelta(days=3), 5)]
    return impact_of(COUNTS if by_country is None else by_country,
                     days if by_day is None else by_day, minimum, TODAY)


def test_a_country_below_the_threshold_is_counted_in_other_countries() -> None:
    shown = impact()
    assert shown.countries == (("KR", 1200), ("US", 40), ("JP", 12), ("FR", 5))
    assert shown.other == 4 + 1 + 3 + 2  # DE, BR, and letters from no country named
    assert shown.letters == sum(n for _code, n in COUNTS)


def test_the_threshold_is_the_setting() -> None:
    assert [code for code, _n in impact(minimum=41).countries] == ["KR"]
    assert [code for code, _n in impact(minimum=1).countries] == [
        "KR", "US", "JP", "FR", "DE", "BR"]  # "other" and none are never a country


def test_a_day_below_the_threshold_is_not_shown() -> None:
    days = dict(impact().days)
    assert len(days) == charts.DAYS_SHOWN and max(days) == TODAY
    assert days[TODAY] == 30 and days[TODAY - dt.timedelta(days=3)] == 5
    assert days[TODAY - dt.timedelta(days=1)] is None  # 4 letters: not shown
    assert days[TODAY - dt.timedelta(days=2)] == 0  # none at all gives no one away


@pytest.mark.parametrize(("minimum", "top", "ranges"), [
    (5, 1200, [(5, 9), (10, 99), (100, 999), (1000, None)]),
    (5, 7, [(5, None)]),
    (20, 150, [(20, 99), (100, None)]),
    (1, 10 ** 9, [(1, 9), (10, 99), (100, 999), (1000, 9999), (10 ** 4, 99999),
                  (10 ** 5, None)]),
])
def test_the_maps_shades_are_ranges_from_the_threshold(
        minimum: int, top: int, ranges: list[tuple[int, int | None]]) -> None:
    assert impact(minimum, [("KR", top)]).buckets == ranges


def test_the_map_shades_countries_above_the_threshold_and_none_below() -> None:
    shown = impact()
    svg = charts.world_map(shown, [str(r) for r in shown.buckets])
    ElementTree.fromstring(svg)  # valid XML
    assert shaded(svg) == {"KR": "color-3", "US": "color-1", "JP": "color-1", "FR": "color-0"}
    style = "".join(node.text or "" for node in ElementTree.fromstring(svg).iter(f"{SVG}style"))
    assert all(shade in style for shade in SHADES[:4])


def test_a_small_country_shaded_gets_a_dot_to_be_seen() -> None:
    root = ElementTree.fromstring(charts.world_map(impact(by_country=[
        ("KR", 50), ("US", 50), ("SG", 9), ("BE", 3)]), ["a", "b"]))
    dots = {g.get("class", "").split()[0] for g in root.iter(f"{SVG}g")
            if g.find(f"{SVG}circle") is not None}
    # Singapore is too small for an outline at all; not the United States, and not Belgium,
    # below the threshold
    assert dots == {"kr", "sg"}


def test_a_map_with_no_country_above_the_threshold_shades_nothing() -> None:
    shown = impact(by_country=[("KR", 4), ("other", 9)])
    svg = charts.world_map(shown, ["5+"], "Map")
    assert shaded(svg) == {}
    root = ElementTree.fromstring(svg)
    assert len([g for g in root.iter(f"{SVG}g") if "country" in g.get("class", "")]) > 150


@pytest.mark.parametrize("title", [None, "Where letters come from"])
def test_no_chart_runs_a_script_or_loads_anything(title: str | None) -> None:
    shown = impact()
    for svg in (charts.world_map(shown, ["a", "b", "c", "d"], title),
                charts.days_chart(shown, "ko", title),
                charts.days_chart(shown, "en", title, width=420),
                charts.report([charts.days_chart(shown, "en")], "Report")):
        assert external_references(svg) == []
        assert b"<!--" not in svg and b"pygal.org" not in svg


def test_the_days_chart_has_a_bar_for_each_day_shown_and_none_below_the_threshold() -> None:
    shown = impact()
    root = ElementTree.fromstring(charts.days_chart(shown, "en"))
    bars = [node for node in root.iter(f"{SVG}rect") if "rect" in node.get("class", "")]
    assert len(bars) == len([n for _day, n in shown.days if n is not None]) == 29
    labels = [node.text for node in root.iter(f"{SVG}text")]
    assert "Nov 3" in labels and "Nov 10" in labels  # the first day shown, then weekly
    korean = ElementTree.fromstring(charts.days_chart(shown, "ko"))
    assert "11월 3일" in [node.text for node in korean.iter(f"{SVG}text")]


def test_the_days_chart_says_so_when_no_day_can_be_shown() -> None:
    svg = charts.days_chart(impact(by_day=[(TODAY, 2)]), "en", empty="Not enough yet")
    texts = [node.text for node in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    assert "Not enough yet" in texts and "No data" not in texts


def test_a_report_holds_every_chart_under_its_title() -> None:
    shown = impact()
    svg = charts.report([charts.world_map(shown, ["a", "b", "c", "d"], "Map"),
                         charts.days_chart(shown, "en", "Days")], "Letters & more")
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Letters & more"
    inner = root.findall(f"{SVG}svg")
    assert len(inner) == 2 and float(inner[1].get("y")) > float(inner[0].get("y"))
    assert float(root.get("height")) == pytest.approx(
        48 + sum(float(node.get("height")) for node in inner))


def test_an_outline_is_simplified_to_whole_units_within_one_of_the_original() -> None:
    # a square drawn with many small relative steps, one of them a curve, one a jitter
    path = "m10.4 10.2" + "l1 0" * 10 + "c0 1 0 4 0 10" + "h-5.2v0.3h-4.8" + "l0 -10z"
    [outline] = simplified_outlines(path)
    assert outline == [(10, 10), (20, 10), (20, 20), (10, 20)]
    assert simplified_outlines("m0 0l0.2 0.2 0.1 0.1") == []  # a speck


def test_the_world_map_is_a_fraction_of_its_size_and_every_country_stays() -> None:
    simplified, _boxes = charts._simplified_map()
    world_map = charts._pygal().WORLD_MAP  # pygal imported as the app imports it
    assert len(simplified) < len(world_map) / 4
    countries = set(re.findall(r'class="(\w\w) country', world_map)) - {"aq"}
    assert set(re.findall(r'class="(\w\w) country', simplified)) == countries


@pytest.mark.parametrize(("text", "locale"), [
    ("아직 표시할 만큼 편지가 모인 날이 없습니다.", "ko"),
    ("No day has enough letters to show yet.", "en")])
@pytest.mark.parametrize("width", [360, 800])
def test_the_no_data_text_is_sized_to_fit_the_chart(text: str, locale: str, width: int) -> None:
    impact = impact_of([("KR", 1)], [(dt.date(2026, 12, 1), 1)], 5, dt.date(2026, 12, 1))
    svg = charts.days_chart(impact, locale, width=width, empty=text).decode()
    size = int(re.search(r"no_data\{[^}]*font-size:(\d+)px", svg).group(1))
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    assert 10 <= size <= 28  # pygal's own 64 px ran off a phone's chart
    assert size * (wide + 0.55 * (len(text) - wide)) <= width - 48
