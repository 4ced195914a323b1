"""Link-preview cards: a 1200x630 PNG per letter and language, drawn from its title, so no
designer is needed and every script the letters use is drawn (fonts.py). Pillow is imported
by the first card drawn: few requests draw one."""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from .fonts import pil_font

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (11, 87, 164)
INK = (255, 255, 255)
SOFT = (214, 228, 245)


def _breaks_anywhere(word: str) -> bool:
    """Whether a line may break between any two characters of a word: Chinese and Japanese
    (Han, kana), not Korean, which breaks between words, as Latin does."""
    return any(0x2E80 <= ord(ch) < 0xAC00 or 0xF900 <= ord(ch) < 0xFB00 for ch in word)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: int) -> list[str]:
    """Break text into lines no wider than width: at spaces, and between the characters of
    Chinese and Japanese."""
    words: list[str] = []
    for word in text.split(" "):
        pieces = list(word) if _breaks_anywhere(word) else [word]
        words += [(" " if i == 0 and words else "") + piece for i, piece in enumerate(pieces)]
    lines: list[str] = []
    for word in words:
        trial = f"{lines[-1]}{word}" if lines else word.lstrip()
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word.lstrip())
    return lines


def _balanced(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
              width: int) -> list[str]:
    """Text broken into as few lines as fit, of even length: the narrowest width that needs
    no more lines (no lone word on a last line)."""
    lines = _wrap(draw, text, font, width)
    low, high = width // 2, width
    while high - low > 8:
        middle = (low + high) // 2
        if len(_wrap(draw, text, font, middle)) > len(lines):
            low = middle
        else:
            high = middle
    return _wrap(draw, text, font, high)


BAND = HEIGHT - 96          # the footer band starts here
TITLE_SIZES = range(76, 39, -6)
LEADING, SMALL, SMALL_LEADING, GAP = 1.25, 34, 48, 24


@dataclasses.dataclass(frozen=True)
class Line:
    text: str
    y: int
    size: int
    bottom: int
    title: bool


def layout(title: str, description: str, language: str = "",
           font_of: Callable[..., ImageFont.FreeTypeFont] = pil_font) -> list[Line]:
    """Where each line of title and description goes: the largest title size at which the
    title (at most 4 lines) and the description (at most 3) end above the footer band."""
    from PIL import Image, ImageDraw

    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    usable = WIDTH - 2 * MARGIN
    small = font_of(description, language, SMALL, "Regular")
    below = _wrap(draw, description, small, usable)
    lines: list[Line] = []
    for size in TITLE_SIZES:
        font = font_of(title, language, size, "Bold")
        lines, y = [], MARGIN
        for text in _balanced(draw, title, font, usable)[:4]:
            lines.append(Line(text, y, size, y + size, title=True))
            y += int(size * LEADING)
        y += GAP
        for count in range(min(3, len(below)), 0, -1):
            if y + (count - 1) * SMALL_LEADING + SMALL + 8 <= BAND - 12:
                break
        else:
            count = 0
        for text in below[:count]:
            lines.append(Line(text, y, SMALL, y + SMALL + 8, title=False))
            y += SMALL_LEADING
        if count == min(3, len(below)):
            break
    return lines


def _text(draw: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont,
          fill: tuple[int, int, int], direction: str) -> None:
    """A line from the margin its direction starts at: the left, or the right for Arabic."""
    from PIL import features

    if direction == "rtl":  # shaped and ordered by libraqm where Pillow has it
        draw.text((WIDTH - MARGIN, y), text, font=font, fill=fill, anchor="ra",
                  direction="rtl" if features.check("raqm") else None)
    else:
        draw.text((MARGIN, y), text, font=font, fill=fill)


@functools.lru_cache(maxsize=64)
def draw_card(title: str, description: str, footer: str, language: str = "",
              direction: str = "ltr", footer_direction: str = "ltr") -> bytes:
    """The card as PNG bytes; the same inputs give the same picture, drawn once. The title
    and description are written in `direction`, the footer (in the page's language) in its
    own: an English letter on an Arabic page reads left to right under a right-to-left
    footer."""
    from PIL import Image, ImageDraw

    font_of = functools.cache(pil_font)  # each face opened once for this card, then let go
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for line in layout(title, description, language, font_of):
        font = font_of(title if line.title else description, language, line.size,
                       "Bold" if line.title else "Regular")
        _text(draw, line.y, line.text, font, INK if line.title else SOFT, direction)
    draw.rectangle((0, BAND, WIDTH, HEIGHT), fill=(7, 64, 122))
    _text(draw, HEIGHT - 72, footer, font_of(footer, language, 32, "Bold"), INK,
          footer_direction)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
