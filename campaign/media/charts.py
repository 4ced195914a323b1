"""The impact, drawn: what the public may see of the counts, and its charts as SVG.

`impact_of` applies the threshold: a country with fewer letters than it is not shown on its
own (its letters join "other countries"), and neither is a day, so no single supporter stands
out. `world_map` and `days_chart` draw with pygal on the server, in the reader's language (the
caller passes the words); `report` puts both in one SVG for organizers. Pure: counts and words
in, SVG bytes out; no Flask. Nothing in an SVG runs a script or loads from another host: pygal's
own script and comments are taken out, and the world map is pygal_maps_world's, simplified.
pygal and its map are imported by the first chart drawn (`_pygal`): few requests draw one.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from ..data.contacts import OTHER

SVG = "http://www.w3.org/2000/svg"
NOT_COUNTRIES = ("", OTHER)  # counted, but no country: a supporter chose "other" or none
DAYS_SHOWN = 30  # the days the per-day chart shows, up to today
# Light to dark: the more letters, the darker; all distinct from a country with none shown.
SHADES = ("#9cc2ea", "#5c9ad6", "#2f73b9", "#0b57a4", "#083f78", "#052a52")
NO_LETTERS = "#e1e4ea"
SMALL = 40  # map units (of 2475 across): a country smaller is shown by a dot as well,
DOT = 28  # of this radius: 7 pixels across on a phone
OCEAN, ACCENT = "#f4f6f9", "#0b57a4"
_LOOK = {"background": "#ffffff", "foreground": "#1b1b1f", "foreground_strong": "#1b1b1f",
         "opacity": "1", "opacity_hover": "1", "font_family": "system-ui, sans-serif",
         "label_font_size": 14, "major_label_font_size": 14, "legend_font_size": 16,
         "title_font_size": 20, "transition": "none"}
_CSS = ("file://style.css", "file://graph.css")  # pygal's own
# pygal fills every country as its plot background: those with no shade, as land instead.
MAP_CSS = f"inline:.map-element:not(.series) {{ fill: {NO_LETTERS} !important; }}"
DAYS_CSS = "inline:.axis .guides .line { stroke: #d5d8de !important; stroke-dasharray: none; }"
@dataclass(frozen=True)
class Impact:
    """What the public sees of the counts: nothing below the threshold on its own."""

    letters: int  # every letter counted
    countries: tuple[tuple[str, int], ...]  # (ISO code, letters) at the threshold or above
    other: int  # letters from countries below the threshold, or from no country named
    days: tuple[tuple[dt.date, int | None], ...]  # the last days; None: below the threshold
    minimum: int  # the threshold

    @property
    def buckets(self) -> list[tuple[int, int | None]]:
        """The map's shades as ranges of letters: from the threshold to 9, 10 to 99, ..."""
        top = max((n for _code, n in self.countries), default=self.minimum)
        lows = [self.minimum] + [10 ** k for k in range(1, len(str(top)) + 1)
                                 if self.minimum < 10 ** k <= top]
        lows = lows[:len(SHADES)]  # the darkest shade: every number past it
        return [(low, high - 1) for low, high in zip(lows, lows[1:], strict=False)] \
            + [(lows[-1], None)]


def impact_of(by_country: Iterable[tuple[str, int]], by_day: Iterable[tuple[dt.date, int]],
              minimum: int, today: dt.date, days: int = DAYS_SHOWN) -> Impact:
    """The public impact of letters counted per country and per day, with the threshold."""
    countries = sorted(((code, n) for code, n in by_country if n), key=lambda row: -row[1])
    shown = tuple((code, n) for code, n in countries
                  if n >= minimum and code not in NOT_COUNTRIES)
    letters = sum(n for _code, n in countries)
    per_day = dict(by_day)
    window = [today - dt.timedelta(days=back) for back in range(days - 1, -1, -1)]
    return Impact(letters, shown, letters - sum(n for _code, n in shown),
                  tuple((day, _at_least(per_day.get(day, 0), minimum)) for day in window),
                  minimum)


def _at_least(number: int, minimum: int) -> int | None:
    """A number as the public may see it: none at all, or at least the threshold."""
    return number if number == 0 or number >= minimum else None


def world_map(impact: Impact, legend: Sequence[str], title: str | None = None) -> bytes:
    """The world map, each country shown shaded by its range of letters. `legend` names the
    ranges of `impact.buckets` (drawn with a title, as a report shows it; a page shows its
    own legend and heading, which a phone can read)."""
    titled = title is not None
    pygal = _pygal()
    # Land with no letters shown, and the ocean around it; countries' borders in white.
    style = pygal.Style(plot_background=OCEAN, foreground_subtle="#ffffff", colors=SHADES,
                        **_LOOK)
    chart = pygal.PlainWorld(**_config(title), style=style, css=[*_CSS, MAP_CSS],
                        width=800, show_legend=titled, legend_at_bottom=True,
                        legend_at_bottom_columns=min(len(legend), 4), truncate_legend=-1,
                        height=490 if titled else 380, margin=4)
    series = [[(code.lower(), n) for code, n in impact.countries
               if n >= low and (high is None or n <= high)] for low, high in impact.buckets]
    if not impact.countries:  # pygal draws no map without a value: one that shades nothing
        series[0].append(("zz", 0))
    for label, values in zip(legend, series, strict=True):
        chart.add(label, values)
    chart.add_xml_filter(_dot_small_countries)
    return _render(chart)


def days_chart(impact: Impact, locale: str, title: str | None = None, width: int = 800,
               empty: str = "") -> bytes:
    """Letters per day, as bars; a day below the threshold has none, and `empty` says so
    where no day can be shown. Narrower for phones: the same labels, larger for the width."""
    pygal = _pygal()
    style = pygal.Style(plot_background="#ffffff", foreground_subtle="#c9ccd4",
                        colors=(ACCENT,), no_data_font_size=_fitting_size(empty, width), **_LOOK)
    chart = pygal.Bar(**_config(title), style=style, css=[*_CSS, DAYS_CSS],
                      show_legend=False, width=width, no_data_text=empty,
                      height=(340 if title else 300) * max(width, 600) // 800, margin=16,
                      x_label_rotation=0, show_minor_x_labels=False,
                      value_formatter=lambda n: format_decimal(n, locale=locale),
                      x_labels_major_every=(7 * math.ceil(len(impact.days) / 35)
                                            if width >= 600 else math.ceil(len(impact.days) / 3)),
                      truncate_label=-1,
                      show_y_guides=True, min_scale=1, max_scale=5)
    chart.x_labels = [format_skeleton("MMMd", day, locale=locale) for day, _n in impact.days]
    values = [n for _day, n in impact.days]
    chart.add("", values if any(values) else [])  # nothing to see: pygal says `empty`
    return _render(chart)


def _fitting_size(text: str, width: int, largest: int = 28) -> int:
    """A font size at which one line of text fits across a chart (pygal does not wrap it): a
    wide (CJK) character is about 1 em, any other about 0.55 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)
    return max(10, min(largest, int((width - 48) / ems))) if ems else largest


def report(charts: Sequence[bytes], title: str) -> bytes:
    """Several charts one above the other, with a title, in one SVG file (for reports)."""
    width, y, parts = 800, 48.0, []
    for chart in charts:
        inner = chart.decode().split("?>", 1)[-1].strip()
        found = re.search(r'viewBox="0 0 (\d+) (\d+)"', inner)
        inner_width, inner_height = (int(found.group(1)), int(found.group(2))) if found \
            else (800, 600)
        height = width * inner_height / inner_width
        parts.append(inner.replace("<svg ", f'<svg x="0" y="{y:g}" width="{width}" '
                                            f'height="{height:g}" ', 1))
        y += height
    heading = escape(title)
    return (f"<?xml version='1.0' encoding='utf-8'?>\n"
            f'<svg xmlns="{SVG}" width="{width}" height="{y:g}" viewBox="0 0 {width} {y:g}">'
            f"<title>{heading}</title>"
            f'<text x="16" y="32" font-family="system-ui, sans-serif" font-size="24" '
            f'font-weight="bold" fill="#1b1b1f">{heading}</text>'
            + "".join(parts) + "</svg>").encode()


def _config(title: str | None) -> dict[str, object]:
    """What every chart shares: a title or none, no script, no tooltips."""
    return {"title": title, "js": [], "tooltip_fancy_mode": False}


def _render(chart: Any) -> bytes:
    """A chart's SVG, without what pygal adds for its script and its credits."""
    chart.add_xml_filter(_strip)
    svg: bytes = chart.render()
    return svg


def _strip(root: ElementTree.Element) -> ElementTree.Element:
    """Take out what pygal adds for its script and its credits: the script (which loads
    nothing, but a page's policy would refuse it), comments naming its web site, the values
    kept for tooltips, and the per-country opacity (each range has its own shade)."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or tag.endswith("}script") or tag == "script" or (
                    tag.endswith("}desc") and "value" in child.get("class", "")):
                parent.remove(child)
        if "map-element" in parent.get("class", ""):
            parent.attrib.pop("style", None)
    return root


@functools.cache
def _pygal() -> SimpleNamespace:
    """pygal, imported by the first chart drawn: its Bar and Style, the world map's SVG, and
    the map drawn from it simplified (PlainWorld)."""
    import pygal
    from pygal.style import Style
    from pygal_maps_world.maps import WORLD_MAP, World

    # pygal adds an import hook for its old plugin names (pygal.maps.world). The map is
    # imported by its own name here, and the hook, lacking find_spec, warns at every import
    # that fails.
    sys.meta_path[:] = [finder for finder in sys.meta_path
                        if not isinstance(finder, pygal.PluginImportFixer)]

    class PlainWorld(World):  # type: ignore[misc]
        """pygal's world map, its outlines simplified: the same picture in a third of the
        bytes."""

        @property
        def svg_map(self) -> str:
            """The map's SVG, simplified once per process."""
            return _simplified_map()[0]

    return SimpleNamespace(Bar=pygal.Bar, Style=Style, WORLD_MAP=WORLD_MAP,
                           PlainWorld=PlainWorld)


@functools.cache
def _simplified_map() -> tuple[str, dict[str, tuple[int, int, int, int]]]:
    """pygal_maps_world's SVG without Antarctica (no one writes from there; it took a sixth of
    the height), cropped to the land left, each outline simplified: whole units, at most one
    off the original, on a map of 2475 units drawn at most 800 pixels wide. And each
    country's box (left, top, right, bottom), by its code."""
    land = re.sub(r'<g class="aq country map-element">.*?</g>', "", _pygal().WORLD_MAP,
                  flags=re.S)
    boxes: dict[str, tuple[int, int, int, int]] = {}

    def simplified(match: re.Match[str]) -> str:
        paths: list[str] = []
        drawn: list[tuple[int, int]] = []
        specks: list[tuple[int, int]] = []
        for path in re.findall(r' d="([^"]*)"', match.group(2)):
            outlines = simplified_outlines(path)
            drawn += [point for outline in outlines for point in outline]
            specks += [(round(x), round(y)) for outline in outlines_of(path) for x, y in outline]
            paths.append(f'<path d="{"".join(_path_of(o) for o in outlines) or "M0 0"}"/>')
        # the box of what is drawn; of a country too small to draw (Singapore), of its specks
        points = drawn or specks
        if points:
            boxes[match.group(1)] = (min(x for x, _y in points), min(y for _x, y in points),
                                     max(x for x, _y in points), max(y for _x, y in points))
        return f'<g class="{match.group(1)} country map-element">{"".join(paths)}</g>'

    land = re.sub(r'<g class="(\w+) country map-element">(.*?)</g>', simplified, land,
                  flags=re.S)
    box = (min(b[0] for b in boxes.values()) - 4, min(b[1] for b in boxes.values()) - 4,
           max(b[2] for b in boxes.values()) + 4, max(b[3] for b in boxes.values()) + 4)
    view = f"{box[0]} {box[1]} {box[2] - box[0]} {box[3] - box[1]}"
    return re.sub(r'viewBox="[^"]*"', f'viewBox="{view}"', land, count=1), boxes


def _dot_small_countries(root: ElementTree.Element) -> ElementTree.Element:
    """A dot on each shaded country too small to see on a phone (Korea, Singapore):
    in its shade, at its middle."""
    boxes = _simplified_map()[1]
    for group in root.iter(f"{{{SVG}}}g"):
        classes = group.get("class", "").split()
        left, top, right, bottom = boxes.get(classes[0] if classes else "", (0, 0, 99, 99))
        if "country" in classes and "series" in classes and max(right - left,
                                                                bottom - top) < SMALL:
            ElementTree.SubElement(group, f"{{{SVG}}}circle", {
                "cx": str((left + right) // 2), "cy": str((top + bottom) // 2),
                "r": str(DOT), "class": "dot"})
    return root


_COMMAND = re.compile(r"([a-zA-Z])([^a-zA-Z]*)")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# How many numbers each relative command takes; the last two say where it ends.
_STEPS = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1}


def outlines_of(path: str) -> list[list[tuple[float, float]]]:
    """The outlines of an SVG path of relative commands (m, l, c, s, q, t, h, v, z), as the
    points where its segments end."""
    x = y = 0.0
    outlines: list[list[tuple[float, float]]] = []
    for command, args in _COMMAND.findall(path):
        if command in "zZ":
            continue
        if command not in _STEPS:
            raise ValueError(f"path command {command!r} is not relative or not known")
        numbers = [float(n) for n in _NUMBER.findall(args)]
        step = _STEPS[command]
        for i in range(0, len(numbers) - step + 1, step):
            group = numbers[i:i + step]
            if command == "h":
                x += group[0]
            elif command == "v":
                y += group[0]
            else:
                x, y = x + group[-2], y + group[-1]
            if command == "m" and i == 0:
                outlines.append([])
            outlines[-1].append((x, y))
    return outlines


def simplified_outlines(path: str, tolerance: float = 1.0) -> list[list[tuple[int, int]]]:
    """A path's outlines through its points rounded to whole units, less those within
    `tolerance` of the line through their neighbours; specks of fewer than three points are
    dropped."""
    kept = [_douglas_peucker([(round(px), round(py)) for px, py in points], tolerance)
            for points in outlines_of(path)]
    kept = [points[:-1] if len(points) > 1 and points[-1] == points[0] else points
            for points in kept]  # z closes it
    return [points for points in kept if len(points) >= 3]


def _path_of(points: list[tuple[int, int]]) -> str:
    """An outline as a closed SVG path of relative lines."""
    steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(points, points[1:],
                                                                     strict=False))
    return f"M{points[0][0]} {points[0][1]}l{steps}z"


def _douglas_peucker(points: list[tuple[int, int]],
                     tolerance: float) -> list[tuple[int, int]]:
    """The points, without repeats, and without those within tolerance of the line kept."""
    unique = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if len(unique) < 3:
        return unique
    keep = [False] * len(unique)
    keep[0] = keep[-1] = True
    stack = [(0, len(unique) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = unique[first], unique[last]
        length = math.hypot(bx - ax, by - ay)
        far, far_index = 0.0, -1
        for i in range(first + 1, last):
            px, py = unique[i]
            distance = (abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length if length
                        else math.hypot(px - ax, py - ay))
            if distance > far:
                far, far_index = distance, i
        if far > tolerance:
            keep[far_index] = True
            stack += [(first, far_index), (far_index, last)]
    return [p for p, kept in zip(unique, keep, strict=True) if kept]

