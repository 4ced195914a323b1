"""The fonts the preview card and the flyer draw text in, and whether they can draw a text.

Noto Sans and Noto Sans CJK come from packages pip installs with the project (manimgx-fonts,
manimgx-fonts-cjk: Noto as Google publishes it, under the SIL Open Font License), so a fresh
machine draws Korean, Japanese and Chinese with nothing else installed. For each text the
first font that has every one of its characters is used; CJK text in the face of its language.
"""

from __future__ import annotations

import contextlib
import functools
import struct
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

_LATIN = resources.files("manimgx_fonts")
LATIN = Path(str(_LATIN / "NotoSans[wght].ttf"))
CJK = Path(str(resources.files("manimgx_fonts_cjk") / "NotoSansCJK-VF.otf.ttc"))
# The faces of the CJK collection, by the language of the text (Japanese first in the file).
CJK_FACES = {"ja": 0, "ko": 1, "zh-hans": 2, "zh-hant": 3}
Face = tuple[Path, int]  # a font file, and the face in it


def _script_face(text: str) -> int:
    """The CJK face a text is most likely in, by its script, when its language is unknown."""
    if any("HANGUL" in unicodedata.name(ch, "") for ch in text):
        return CJK_FACES["ko"]
    if any("HIRAGANA" in unicodedata.name(ch, "") or "KATAKANA" in unicodedata.name(ch, "")
           for ch in text):
        return CJK_FACES["ja"]
    return CJK_FACES["zh-hans"]


def candidates(text: str, language: str = "") -> list[Face]:
    """The faces to try for a text, best first."""
    cjk = (CJK, CJK_FACES.get(language, _script_face(text)))
    others = sorted(Path(str(_LATIN / name.name)) for name in _LATIN.iterdir()
                    if name.name.endswith(".ttf") and name.name != LATIN.name)
    return [(LATIN, 0), cjk, *((path, 0) for path in others)]


class Coverage:
    """The code points a face can draw, as one bit each: 136 KB a face, where a set of a CJK
    face's 45,000 code points would take megabytes."""

    def __init__(self, points: Iterable[int]) -> None:
        bits = bytearray(0x110000 // 8)
        for point in points:
            bits[point >> 3] |= 1 << (point & 7)
        self._bits = bytes(bits)

    def __contains__(self, point: int) -> bool:
        return point < 0x110000 and bool(self._bits[point >> 3] & (1 << (point & 7)))


@functools.cache
def characters(face: Face) -> Coverage:
    """Every code point a face can draw: what fontTools' getBestCmap maps, read from the raw
    cmap table. getBestCmap itself names every glyph on the way (a CJK face's 65,000), and a
    web worker kept the 20 MB of memory that took."""
    from fontTools.ttLib import TTFont  # read by the few requests that draw (cards, flyers)

    with TTFont(str(face[0]), fontNumber=face[1], lazy=True) as font:
        return Coverage(mapped(font.reader["cmap"]))


# The cmap subtables getBestCmap prefers, by (platform, encoding): full Unicode first.
BEST_CMAPS = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def mapped(cmap: bytes) -> Iterator[int]:
    """The code points a raw cmap table maps to a glyph, from its best Unicode subtable
    (format 12, or format 4: what fonts carry for Unicode; OpenType spec, "cmap")."""
    count = struct.unpack_from(">H", cmap, 2)[0]
    offsets = {(platform, encoding): offset for platform, encoding, offset
               in struct.iter_unpack(">HHI", cmap[4:4 + 8 * count])}
    at = next(offsets[key] for key in BEST_CMAPS if key in offsets)
    kind = struct.unpack_from(">H", cmap, at)[0]
    if kind == 12:  # groups of code points mapped to consecutive glyphs
        groups = struct.unpack_from(">I", cmap, at + 12)[0]
        for first, last, _glyph in struct.iter_unpack(">III", cmap[at + 16:at + 16 + 12 * groups]):
            yield from range(first, last + 1)
    elif kind == 4:  # segments; a glyph of 0 (none) maps nothing
        segments = struct.unpack_from(">H", cmap, at + 6)[0] // 2
        ends = struct.unpack_from(f">{segments}H", cmap, at + 14)
        starts = struct.unpack_from(f">{segments}H", cmap, at + 16 + 2 * segments)
        deltas = struct.unpack_from(f">{segments}H", cmap, at + 16 + 4 * segments)
        ranges_at = at + 16 + 6 * segments
        ranges = struct.unpack_from(f">{segments}H", cmap, ranges_at)
        for i, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, ranges,
                                                             strict=True)):
            for point in range(first, min(last, 0xFFFE) + 1):
                if offset:
                    glyph = struct.unpack_from(
                        ">H", cmap, ranges_at + 2 * i + offset + 2 * (point - first))[0]
                    glyph = (glyph + delta) & 0xFFFF if glyph else 0
                else:
                    glyph = (point + delta) & 0xFFFF
                if glyph:
                    yield point
    else:
        raise ValueError(f"cmap subtable format {kind} is not one for Unicode")


def _drawable(text: str) -> set[int]:
    return {ord(ch) for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C"}


def face_for(text: str, language: str = "") -> Face:
    """The first face that draws every character of text (else the one that draws most)."""
    needed = _drawable(text)
    faces = candidates(text, language)

    def drawn(face: Face) -> int:
        have = characters(face)
        return sum(point in have for point in needed)

    return next((face for face in faces if drawn(face) == len(needed)), max(faces, key=drawn))


def missing(text: str, language: str = "") -> str:
    """The characters of text that no face can draw, in order, once each."""
    have = characters(face_for(text, language))
    return "".join(dict.fromkeys(chr(c) for c in sorted(_drawable(text)) if c not in have))


def pil_font(text: str, language: str, size: int, weight: str = "Bold") -> ImageFont.FreeTypeFont:
    """A Pillow font of this size and weight that draws text. Not kept: a face holds its
    tables in memory, and a card, once drawn, is kept as a picture (cards.py)."""
    from PIL import ImageFont

    path, index = face_for(text, language)
    font = ImageFont.truetype(str(path), size, index=index)
    with contextlib.suppress(OSError, ValueError):  # no weight axis: the face's own weight
        font.set_variation_by_name(weight)
    return font


def needs_font(text: str, language: str) -> bool:
    """Whether a page showing text should bring its own font (woff2_for): not where the Latin
    face draws it all, which every device has."""
    return face_for(text, language)[0] != LATIN


def woff2_for(text: str, language: str) -> bytes | None:
    """A WOFF2 font with just the characters of text, for a page whose reader may lack them
    (a printed flyer): None where the Latin face draws it all (every device has such fonts)."""
    return _subset(face_for(text, language), text) if needs_font(text, language) else None


@functools.lru_cache(maxsize=32)
def _subset(face: Face, text: str) -> bytes:
    """A face cut down to the characters of text, as WOFF2, made by fontTools in a process of
    its own: cutting a CJK face reads all of it (40 MB of memory a web worker would keep)."""
    with tempfile.TemporaryDirectory(prefix="campaign-font-") as folder:
        out = Path(folder) / "subset.woff2"
        subprocess.run([sys.executable, "-m", "fontTools.subset", str(face[0]),
                        f"--font-number={face[1]}", f"--text={text}", "--flavor=woff2",
                        f"--output-file={out}"], check=True, capture_output=True, timeout=60)
        return out.read_bytes()
