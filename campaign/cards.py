"""Link-preview cards: a 1200x630 PNG per letter and language, drawn from its title, so no
designer is needed and every script the letters use is drawn (fonts.py)."""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from .fonts import pil_font

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (11, 87, 164)
INK = (255, 255, 255)
SOFT = (214, 228, 245)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: int) -> list[str]:
    """Break text into lines no wider than width: at spaces, and between CJK characters."""
    words: list[str] = []
    for word in text.split(" "):
        # A CJK character may start a line; Latin words stay whole.
        pieces = [ch for ch in word] if any(ord(ch) >= 0x2E80 for ch in word) else [word]
        words += [(" " if i == 0 and words else "") + piece for i, piece in enumerate(pieces)]
    lines: list[str] = []
    for word in words:
        trial = f"{lines[-1]}{word}" if lines else word.lstrip()
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word.lstrip())
    return lines


@functools.lru_cache(maxsize=64)
def draw_card(title: str, description: str, footer: str, language: str = "") -> bytes:
    """The card as PNG bytes; the same inputs give the same picture, drawn once."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    usable = WIDTH - 2 * MARGIN
    size = 76
    while True:
        font = pil_font(title, language, size)
        lines = _wrap(draw, title, font, usable)
        if len(lines) <= 4 or size <= 40:
            break
        size -= 6
    y = MARGIN
    for line in lines[:4]:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += int(size * 1.25)
    small = pil_font(description, language, 34, "Regular")
    y += 24
    for line in _wrap(draw, description, small, usable)[:3]:
        draw.text((MARGIN, y), line, font=small, fill=SOFT)
        y += 48
    draw.rectangle((0, HEIGHT - 96, WIDTH, HEIGHT), fill=(7, 64, 122))
    draw.text((MARGIN, HEIGHT - 72), footer, font=pil_font(footer, language, 32), fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
