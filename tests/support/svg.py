"""Reading the SVG the charts draw: what could reach another host, and which country is shaded
how."""

from __future__ import annotations

import re
from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"


def external_references(svg: bytes) -> list[str]:
    """Whatever in an SVG could run or reach another host: scripts, links, style sheets,
    CSS urls and imports, and any address but the namespaces' names."""
    text = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", svg.decode())
    return re.findall(r"<script|<\?xml-stylesheet|\bhref=|url\(|@import|https?:|//", text)


def shaded(svg: bytes) -> dict[str, str]:
    """Each country the map shades, by ISO code: the class naming its shade (color-N)."""
    root = ElementTree.fromstring(svg)
    found = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "country" in classes:
            shade = [c for c in classes if c.startswith("color-")]
            if shade:
                found[classes[0].upper()] = shade[0]
    return found
