import functools
import io

from PIL import Image, ImageDraw


@functools.cache
def favicon() -> bytes:
    """static/icon.svg drawn as a .ico (16, 32 and 48 px), for browsers that ask for one."""
    size = 192
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = size / 32  # icon.svg's viewBox is 32 wide
    blue, white = (11, 87, 164, 255), (255, 255, 255, 255)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=6 * unit, fill=blue)
    draw.rectangle((6 * unit, 10 * unit, 26 * unit, 23 * unit), fill=white)
    draw.line([(6 * unit, 10 * unit), (16 * unit, 18 * unit), (26 * unit, 10 * unit)],
              fill=blue, width=round(2 * unit))
    out = io.BytesIO()
    image.save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()
