"""The public links behind each address: what supporters see as a mission's sources (/about).

contacts.yaml's `source` entries are written for organizers: links, with notes around them
(what a page shows, how sure it is, the research file it came from). Supporters see the links
alone, each with the kind of page it is, and never a note, a repository path or an organizers'
`note`. A mirror site's copy of a Wikipedia article is shown as the article itself, on
Wikipedia; "Wikidata Q123" in a note is the item's own page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .contacts import Recipient

# What a cited page is, for its label: the mission's or a government's own page, Wikipedia,
# Wikidata, a public code repository, or any other public page (news, a directory).
KINDS = ("official", "wikipedia", "wikidata", "repository", "page")
# Sites that copy Wikipedia's articles (often an old version): cited as the article itself.
MIRRORS = ("wikizero.com", "owiki.org", "wikimili.com", "wiki2.org", "wikiwand.com")
REPOSITORIES = ("github.com", "gitlab.com", "codeberg.org", "github.io")
# A government's own domain has one of these labels (gov.cn, gob.mx, gouv.fr, govt.nz, go.jp).
_GOVERNMENT_LABELS = {"gov", "gob", "gouv", "govt", "go", "gv", "mfa", "mofa"}
# China's missions' own sites, on their old domains too (ca.china-embassy.org, china-un.ch).
_MISSION_SITE = re.compile(r"china-?(embassy|consulate|mission|office|un)\b"
                           r"|chinese-?(embassy|consulate)\b")
LINK = re.compile(r"https?://[^\s'\"<>]+")
_WIKIDATA = re.compile(r"\bWikidata:?\s+(Q[1-9][0-9]*)\b")
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class Citation:
    """One public page a fact was found on."""

    kind: str  # one of KINDS
    url: str
    host: str  # its host, as readers see it (no www.)


def _trimmed(url: str) -> str:
    """A link found in running text, without the punctuation after it (a closing bracket is
    the link's own only where it opened one: Wikipedia's "(country)" titles)."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def _on(host: str, domains: Iterable[str]) -> bool:
    """Whether host is one of the domains, or under one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def _wikipedia_article(url: str) -> str | None:
    """The Wikipedia article a mirror's page copies (its last path segment), in the language
    its path names (English where none)."""
    parts = [part for part in urlsplit(url).path.split("/") if part]
    if not parts:
        return None
    language = next((p for p in parts[:-1] if re.fullmatch(r"[a-z]{2,3}", p) and p != "www"),
                    "en")
    return f"https://{language}.wikipedia.org/wiki/{parts[-1]}"


def kind_of(host: str, website_host: str = "") -> str:
    """What kind of page a host serves (KINDS)."""
    if _on(host, ("wikipedia.org",)):
        return "wikipedia"
    if _on(host, ("wikidata.org",)):
        return "wikidata"
    if _on(host, REPOSITORIES):
        return "repository"
    labels = set(host.split("."))
    if (website_host and _on(host, (website_host,))) or labels & _GOVERNMENT_LABELS \
            or _MISSION_SITE.search(host):
        return "official"
    return "page"


def citation(url: str, website_host: str = "") -> Citation | None:
    """A link as supporters see it cited; None for what is not a public web page."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or "." not in host:
        return None
    if _on(host, MIRRORS):
        article = _wikipedia_article(url)
        return citation(article) if article else None
    return Citation(kind_of(host, website_host), url, host.removeprefix("www."))


def citations(notes: Iterable[str], website: str | None = None) -> tuple[Citation, ...]:
    """The public pages a list of source notes cites, each once, in the order cited: their
    links, and the Wikidata items they name."""
    website_host = (urlsplit(website).hostname or "").lower().removeprefix("www.") \
        if website else ""
    found: dict[str, Citation] = {}
    for note in notes:
        cited = [_trimmed(m.group()) for m in LINK.finditer(note)]
        cited += [f"https://www.wikidata.org/wiki/{q}" for q in _WIKIDATA.findall(note)]
        for url in cited:
            if (item := citation(url, website_host)) is not None:
                found.setdefault(item.url, item)
    return tuple(found.values())


def recipient_citations(recipient: Recipient) -> tuple[Citation, ...]:
    """The public pages a mission's address and postal address were found on."""
    return citations((*recipient.source, *recipient.address_source), recipient.website)
