"""QR codes for campaign links, drawn by segno."""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> bytes:
    """An SVG QR code for url, black on white, scalable for print."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=4, xmldecl=False,
                                    title="QR code for the campaign link")
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def qr_png(url: str) -> bytes:
    """A PNG QR code for url, large enough to print."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=12, border=4)
    return out.getvalue()
