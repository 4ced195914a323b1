"""The site's icon, drawn once here: as SVG (static/icon.svg, which pages link; a test holds the
file to `icon_svg`) and as a .ico for browsers that ask /favicon.ico without reading a page.

An envelope on a blue rounded square, in the units of a 32 x 32 view box.
"""

from __future__ import annotations

import functools
import io

VIEW = 32
RADIUS = 6
BLUE, WHITE = "#0b57a4", "#fff"
ENVELOPE = ((6, 10), (26, 23))  # its top left and bottom right corners
FLAP = ((6, 10), (16, 18), (26, 10))  # the line of its flap, in blue
FLAP_WIDTH = 2
ICO_SIZES = (16, 32, 48)


def icon_svg() -> str:
    """The icon as SVG."""
    (left, top), (right, bottom) = ENVELOPE
    (x0, y0), (x1, y1), (x2, y2) = FLAP
    flap = f"M{x0} {y0}l{x1 - x0} {y1 - y0} {x2 - x1}{y2 - y1:+d}".replace("+", " ")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW} {VIEW}">'
            f'<rect width="{VIEW}" height="{VIEW}" rx="{RADIUS}" fill="{BLUE}"/>'
            f'<path d="M{left} {top}h{right - left}v{bottom - top}H{left}z" fill="{WHITE}"/>'
            f'<path d="{flap}" fill="none" stroke="{BLUE}" stroke-width="{FLAP_WIDTH}"/></svg>\n')


@functools.cache
def favicon() -> bytes:
    """The icon as a .ico (16, 32 and 48 px), drawn large and scaled down (by Pillow, imported
    here: browsers ask for it once)."""
    from PIL import Image, ImageColor, ImageDraw

    size = 192
    unit = size / VIEW
    blue, white = ImageColor.getrgb(BLUE), ImageColor.getrgb(WHITE)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=RADIUS * unit, fill=blue)
    (left, top), (right, bottom) = ENVELOPE
    draw.rectangle((left * unit, top * unit, right * unit, bottom * unit), fill=white)
    draw.line([(x * unit, y * unit) for x, y in FLAP], fill=blue, width=round(FLAP_WIDTH * unit))
    out = io.BytesIO()
    image.save(out, format="ICO", sizes=[(n, n) for n in ICO_SIZES])
    return out.getvalue()
