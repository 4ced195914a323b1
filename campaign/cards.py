"""Link-preview cards: a 1200x630 PNG per letter, drawn from its title, so no designer is needed."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (11, 87, 164)
INK = (255, 255, 255)
SOFT = (214, 228, 245)
# System fonts where the machine has them (CJK titles need Noto); else Pillow's own font.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int, text: str) -> Font:
    """A bold font of this size that has glyphs for text, as far as the machine allows."""
    needs_cjk = any(ord(ch) >= 0x2E80 for ch in text)
    for path in FONT_FILES:
        if Path(path).exists() and (not needs_cjk or "CJK" in path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> list[str]:
    """Break text into lines no wider than width; CJK text breaks between characters."""
    words = text.split() if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    for word in words:
        trial = f"{lines[-1]}{joiner}{word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


@functools.lru_cache(maxsize=32)
def draw_card(title: str, description: str, site: str) -> bytes:
    """The card as PNG bytes; the same inputs give the same picture, drawn once."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    usable = WIDTH - 2 * MARGIN
    size = 76
    while True:
        font = _font(size, title)
        lines = _wrap(draw, title, font, usable)
        if len(lines) <= 4 or size <= 40:
            break
        size -= 6
    y = MARGIN
    for line in lines[:4]:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += int(size * 1.2)
    small = _font(34, description)
    y += 24
    for line in _wrap(draw, description, small, usable)[:3]:
        draw.text((MARGIN, y), line, font=small, fill=SOFT)
        y += 46
    footer = _font(32, site)
    draw.rectangle((0, HEIGHT - 96, WIDTH, HEIGHT), fill=(7, 64, 122))
    draw.text((MARGIN, HEIGHT - 72), f"Write a letter at {site}", font=footer, fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
