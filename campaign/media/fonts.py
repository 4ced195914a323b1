"""The fonts the preview card and the flyer draw text in, and whether they can draw a text.

Noto Sans and Noto Sans CJK come from packages pip installs with the project (manimgx-fonts,
manimgx-fonts-cjk: Noto as Google publishes it, under the SIL Open Font License), so a fresh
machine draws Korean, Japanese and Chinese with nothing else installed. For each text the
first font that has every one of its characters is used; CJK text in the face of its language.
"""

from __future__ import annotations

import contextlib
import functools
import io
import unicodedata
from importlib import resources
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
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


@functools.cache
def characters(face: Face) -> frozenset[int]:
    """Every code point a face can draw."""
    with TTFont(str(face[0]), fontNumber=face[1], lazy=True) as font:
        return frozenset(font.getBestCmap())


def _drawable(text: str) -> set[int]:
    return {ord(ch) for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C"}


def face_for(text: str, language: str = "") -> Face:
    """The first face that draws every character of text (else the one that draws most)."""
    needed = _drawable(text)
    faces = candidates(text, language)
    return next((face for face in faces if needed <= characters(face)),
                max(faces, key=lambda face: len(needed & characters(face))))


def missing(text: str, language: str = "") -> str:
    """The characters of text that no face can draw, in order, once each."""
    face = face_for(text, language)
    have = characters(face)
    return "".join(dict.fromkeys(chr(c) for c in sorted(_drawable(text) - have)))


@functools.lru_cache(maxsize=64)
def pil_font(text: str, language: str, size: int, weight: str = "Bold") -> ImageFont.FreeTypeFont:
    """A Pillow font of this size and weight that draws text."""
    path, index = face_for(text, language)
    font = ImageFont.truetype(str(path), size, index=index)
    with contextlib.suppress(OSError, ValueError):  # no weight axis: the face's own weight
        font.set_variation_by_name(weight)
    return font


@functools.lru_cache(maxsize=32)
def woff2_for(text: str, language: str) -> bytes | None:
    """A WOFF2 font with just the characters of text, for a page whose reader may lack them
    (a printed flyer): None where the Latin face draws it all (every device has such fonts)."""
    face = face_for(text, language)
    if face[0] == LATIN:
        return None
    options = subset.Options()
    options.flavor = "woff2"
    out = io.BytesIO()
    with TTFont(str(face[0]), fontNumber=face[1]) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(out)
    return out.getvalue()
