"""A pseudo-locale: every message of the code translated as ⟦the message⟧, so a page's text
that was never translated shows."""

from __future__ import annotations

import re
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag

from campaign.data.catalogs import TEMPLATE, translations_of

PSEUDO = "fr"  # the language whose catalog the pseudo-locale stands in for


def pseudo_translations() -> Any:
    """Every message of the code, translated as ⟦the message⟧: a string on a page without
    those marks was never translated."""
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=PSEUDO)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # as many forms as the locale's plural rule has
            forms = [message.id[min(n, 1)] for n in range(catalog.num_plurals)]
            catalog.add(message.id, tuple(f"⟦{form}⟧" for form in forms))
        else:
            catalog.add(message.id, f"⟦{message.id}⟧")
    return translations_of(catalog)


def untranslated(html: str) -> list[str]:
    """The texts of a page a person reads that are not marked translated (or data: inside
    an element with translate="no"), nor marked as written in another language than the
    page's (a letter with no version in the page's language, shown in its own)."""
    soup = BeautifulSoup(html, "html.parser")
    page_language = soup.html.get("lang") if soup.html else None
    found = []
    for node in soup.find_all(string=True):
        parent = node.parent
        if parent.name in ("script", "style", "template", "option", "textarea", "title",
                           "[document]", "code") or not node.strip():
            continue
        if any(p.get("translate") == "no" for p in node.parents if isinstance(p, Tag)):
            continue
        if language_of(node) != page_language:
            continue
        if not _marked(node) and re.search(r"[A-Za-z]{2,}", node):
            found.append(node.strip())
    for tag in soup.find_all(True):
        if any(p.get("translate") == "no" for p in [tag, *tag.parents] if isinstance(p, Tag)):
            continue
        for attribute in ("aria-label", "alt", "title", "data-done", "data-failed"):
            value = tag.get(attribute)
            if value and "⟦" not in value and re.search(r"[A-Za-z]{2,}", value):
                found.append(f"{tag.name}[{attribute}]={value}")
    return found


def language_of(node: Any) -> str | None:
    """The language a text or element is marked as written in: its nearest lang=."""
    for element in [node, *node.parents]:
        if isinstance(element, Tag) and element.has_attr("lang"):
            return str(element["lang"])
    return None


INLINE = {"a", "span", "strong", "em", "b", "i", "code", "abbr"}


def _marked(node: Any) -> bool:
    """Whether a text stands inside a translated message's marks: its own, or those around it
    in its enclosing block (a message may hold a link: ⟦Print <a>a flyer</a>⟧)."""
    if "⟦" in node:
        return True
    block = node.parent
    while block.name in INLINE and block.parent is not None:
        block = block.parent
    text = block.get_text()
    at = text.find(str(node))
    return at >= 0 and text.count("⟦", 0, at) > text.count("⟧", 0, at)
