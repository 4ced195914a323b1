"""What contacts.yaml keeps for organizers only, which no public page may show: every `note`,
the words around a source's links, and paths into the repository or its research."""

from __future__ import annotations

import re

from campaign.data.citations import LINK
from campaign.data.contacts import Contacts

# A path into the repository or the research beside it, or a Markdown file's name.
PATHS = re.compile(r"shared/|research/|\b[\w-]+\.md\b|contacts\.yaml:\d")


def internal_texts(contacts: Contacts) -> list[str]:
    """Every `note`, and every source's words around its links (a link itself may be shown;
    the Minister's sources too), of eight characters or more."""
    texts = [r.note for r in contacts.recipients.values() if r.note]
    sources = [s for r in contacts.recipients.values() for s in (*r.source, *r.address_source)]
    sources += [s for c in contacts.countries.values() for s in (*c.source, *c.districts_source)]
    sources += contacts.minister.source if contacts.minister else ()
    for source in sources:
        words = LINK.sub(" ", source).strip(" ;,.:()")
        if len(words) >= 8:
            texts.append(words)
    return texts


def shown(html: str, contacts: Contacts) -> list[str]:
    """What of the organizers' own words and paths a page's HTML shows."""
    return PATHS.findall(html) + [text for text in internal_texts(contacts) if text in html]
