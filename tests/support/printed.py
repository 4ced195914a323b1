"""What a page prints, read back from Chromium's PDF: each page's size and each line of text
where it landed, in millimetres from the paper's top left corner (pdfminer.six)."""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextLine

MM_PER_POINT = 25.4 / 72
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Box:
    """A rectangle on the paper, in mm from its top left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def holds(self, other: Box) -> bool:
        """Whether another box lies wholly inside this one."""
        return (self.left <= other.left and other.right <= self.right
                and self.top <= other.top and other.bottom <= self.bottom)

    def inset(self, by: float) -> Box:
        """This box, each side moved inwards by `by` mm."""
        return Box(self.left + by, self.top + by, self.right - by, self.bottom - by)


def inches(left: float, top: float, width: float, height: float) -> Box:
    """A box given in inches (left, top, width, height), in mm."""
    return Box(left * MM_PER_INCH, top * MM_PER_INCH, (left + width) * MM_PER_INCH,
               (top + height) * MM_PER_INCH)


def mm(left: float, top: float, width: float, height: float) -> Box:
    """A box given in mm as (left, top, width, height)."""
    return Box(left, top, left + width, top + height)


@dataclass(frozen=True)
class Line:
    """One line of printed text and the box of its glyphs."""

    text: str
    box: Box


@dataclass(frozen=True)
class Page:
    """One printed page: its size (mm) and its lines of text, top to bottom."""

    width: float
    height: float
    lines: list[Line]

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def lines_of(self, wanted: list[str]) -> list[Line]:
        """The printed lines that make up these lines of text (a long one may wrap into
        several): failing if any is missing or printed out of order."""
        found = [line for line in self.lines
                 if any(line.text and line.text in want for want in wanted)]
        assert " ".join(line.text for line in found) == " ".join(wanted), (found, wanted)
        return found


def text_lines(item: object) -> Iterator[LTTextLine]:
    """Every line of text in a PDF page's layout."""
    if isinstance(item, LTTextLine):
        yield item
    elif isinstance(item, Iterable):
        for child in item:
            yield from text_lines(child)


def printed(pdf: bytes) -> list[Page]:
    """Every page of a PDF, with its lines of text."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # fonts without a FontBBox
    pages = []
    for layout in extract_pages(io.BytesIO(pdf)):
        lines = []
        for line in text_lines(layout):
            x0, y0, x1, y1 = line.bbox
            text = unicodedata.normalize("NFKC", line.get_text()).strip()  # no ligatures
            lines.append(Line(text, Box(x0 * MM_PER_POINT, (layout.height - y1) * MM_PER_POINT,
                                        x1 * MM_PER_POINT, (layout.height - y0) * MM_PER_POINT)))
        lines.sort(key=lambda line: (round(line.box.top, 1), line.box.left))
        pages.append(Page(layout.width * MM_PER_POINT, layout.height * MM_PER_POINT, lines))
    return pages
