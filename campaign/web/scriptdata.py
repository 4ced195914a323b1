"""The script's data: what campaign.js needs to build the same letter, recipients and links
as the server, in the page's language.

It is a file of its own, not part of the page: /<lang>/<slug>/data.<fingerprint>.js, built once
per letter, language and public address, named by a fingerprint of its bytes and cached a
year (a changed contacts.yaml or letter gives it a new name). The page loads it deferred,
before campaign.js, so it never delays the first paint, and a supporter who opens a second
page in the same language has it already. Every country's places are in it: the script
answers a change of country at once, without asking the server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from typing import Any

from flask import Blueprint, Flask, Response, abort, url_for
from flask_babel import gettext, ngettext

from ..compose.drafts import blanks_in, report_link
from ..compose.places import Asked, asked, pending, region_choices, region_kind
from ..compose.rules import browser_rules
from ..compose.sendlinks import LIMITS, MAILTO_LIMITS, SHORT_BODY, WEBMAIL
from ..compose.sharelinks import LETTER_PAGE, ShareLink
from ..data.contacts import Contacts, Route
from ..data.letters import Letter
from ..data.lettertext import MARKERS, RESIGN_CONTEXT
from ..data.reloading import CampaignData
from ..i18n.languages import direction, tag_of
from ..i18n.names import mission_name
from ..i18n.words import Words
from . import caching, context, languages
from .sharing import HANDLE, Sharing, addressed_to, handle_for, sharing_for

bp = Blueprint("scriptdata", __name__)
READY_COUNTS = 21  # the script says "ready" for up to this many recipients less one
# The file is the data as JSON, in a string the browser reads with JSON.parse: for data this
# large, parsing JSON takes a phone a fraction of the time compiling the same object as
# script does (about 30 ms less at 4x CPU slowdown in Chromium, for 450 KB).
PREFIX, SUFFIX = b"window.campaignData=JSON.parse(", b");"
FINGERPRINT = re.compile(r"[0-9a-f]{12}")
# Where campaign.js keeps the supporter's letter, in the tab's sessionStorage, for the print
# page it opens (post.py): post.js reads it there. It never leaves the browser.
POST_STORAGE_KEY = "campaign-post"


@dataclasses.dataclass(frozen=True)
class ScriptData:
    """The script's data for one letter, language and public address: the file's bytes and
    their fingerprint."""

    body: bytes
    fingerprint: str


def browser_data(letter: Letter, contacts: Contacts, words: Words,
                 x_handles: dict[str, str] | None = None,
                 x_pattern: ShareLink | None = None) -> dict[str, Any]:
    """What campaign.js needs to build the same letter and links as the server. A mission's
    post for X is the one pattern (x_pattern, addressed to sharing.HANDLE) with its handle
    (x_handles, by recipient) in place: the post's words once, not once a mission."""
    # Each country's route, with the answers to "where in the country?" and their routes
    # under it: the script looks a choice up and never builds a place key itself.
    places: dict[str, Any] = {"": _route_data(contacts, "", "", "")}
    for key, country, region in contacts.places():
        route = _route_data(contacts, key, country, region)
        if region:
            places[country].setdefault("regions", {})[region] = route
        else:
            places[country] = route
    for code, known in contacts.countries.items():
        if known.choices:
            places[code]["choices"] = region_choices(contacts, code, words)
            places[code]["kind"] = region_kind(known)
    return {
        # Every language the letter is written in: its skeleton and subject lines, and the
        # language's tag and direction, for the fields that show it.
        "letters": {code: {"skeleton": version.skeleton, "subjects": version.subjects,
                           "tag": tag_of(code), "dir": direction(code),
                           "blanks": dataclasses.asdict(blanks_in(languages.words_for(code)))}
                    for code in letter.languages
                    if (version := letter.in_language(code))},
        "markers": MARKERS,
        "resignContext": RESIGN_CONTEXT,
        "places": places,
        "recipients": {key: {"name": mission_name(r, words), "email": r.email,
                             "website": r.website,
                             # the handle, where the mission has a post (the pattern below)
                             "x": (x_handles or {}).get(key),
                             "unconfirmed": r.status == "unconfirmed",
                             "report": report_link(contacts, r, words)}
                       for key, r in contacts.recipients.items()},
        "xPost": ({"handle": HANDLE, "label": x_pattern.label, "href": x_pattern.href}
                  if x_pattern else None),
        "webmail": {channel: {"label": f.label, "base": f.base, "to": f.to,
                              "subject": f.subject, "body": f.body, "mailto": f.mailto,
                              "firstFor": f.first_for}
                    for channel, f in WEBMAIL.items()},
        "mailtoLimits": MAILTO_LIMITS,
        "limits": LIMITS,
        "form": browser_rules(words),
        "shortBody": gettext(SHORT_BODY),
        # Words the script shows, in the page's language; "ready" by number of recipients
        # (none: where no recipient has an email address).
        "messages": {"ready": [gettext("Your letter is ready.")] + [
            ngettext("Your letter to %(num)s recipient is ready.",
                     "Your letter to %(num)s recipients is ready.", n)
            for n in range(1, READY_COUNTS)],
                     # the bounce link's words for a screen reader, %(mission)s filled in
                     "reportLabel": gettext("Tell the organizers about %(mission)s",
                                            mission="%(mission)s")},
    }


def _route_data(contacts: Contacts, key: str, country: str, region: str) -> dict[str, Any]:
    """A place's key and route: who is listed, who receives instead of a mission with no
    address, whether they wait for an answer, and which questions the form asks there."""
    route: Route = contacts.route(country or None, region or None)
    asks: Asked = asked(contacts, country, region)
    return {"key": key, "recipients": [r.key for r in route.recipients],
            "local": [r.key for r in route.local],
            "instead": route.instead.key if route.instead else None,
            "pending": pending(contacts, country, region),
            "accounts": [r.key for r in route.accounts],
            "asks": dataclasses.asdict(asks)}


def script_data(data: CampaignData, letter: Letter, sharing: Sharing) -> ScriptData:
    """The script's data file for a letter in the page's language, made once per letter,
    language and public address."""
    def make() -> ScriptData:
        handles = {key: handle for key, r in data.contacts.recipients.items()
                   if (handle := handle_for(sharing, r))}
        found = {**browser_data(letter, data.contacts, languages.words(), handles,
                                addressed_to(sharing, HANDLE)),
                 "addressCheck": url_for("letters.address_check"),
                 "pageLanguage": languages.current().code,
                 "suggestAddress": url_for("suggestions.suggest_address"),
                 "postKey": POST_STORAGE_KEY}
        body = encode(found)
        return ScriptData(body, hashlib.blake2b(body, digest_size=6).hexdigest())

    return data.rendered.get(("script_data", letter.slug, languages.current().code, sharing.url),
                             make)


def encode(found: Any) -> bytes:
    """The data file's bytes: the data as JSON, quoted as a string for JSON.parse (U+2028 and
    U+2029, line ends to browsers before 2019, escaped)."""
    text = json.dumps(json.dumps(found, ensure_ascii=False, separators=(",", ":")),
                      ensure_ascii=False)
    return PREFIX + text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode() \
        + SUFFIX


def decode(body: bytes) -> Any:
    """The data a file holds (the tests', the benchmark's)."""
    if not (body.startswith(PREFIX) and body.endswith(SUFFIX)):
        raise ValueError("not the script's data file")
    return json.loads(json.loads(body[len(PREFIX):-len(SUFFIX)]))


def script_data_url(letter: Letter, sharing: Sharing) -> str:
    """Where the page loads its script's data from: named by the data's fingerprint."""
    found = script_data(context.data(), letter, sharing)
    return url_for("scriptdata.data_file", slug=letter.slug, fingerprint=found.fingerprint)


# In the page's language only (/ko/<slug>/data.<fingerprint>.js): it is never negotiated.
@bp.route("/<lang:lang>" + LETTER_PAGE.replace("<slug>", "<slug:slug>") + "data.<fingerprint>.js")
def data_file(slug: str, fingerprint: str) -> Response:
    """The script's data, kept a year under its fingerprint. A page cached before the data
    changed asks for an older fingerprint: it gets today's data, kept a minute only."""
    letter = context.letter_or_404(slug)
    if not FINGERPRINT.fullmatch(fingerprint):
        abort(404)
    found = script_data(context.data(), letter, sharing_for(letter))
    response = Response(found.body, mimetype="text/javascript")
    response.headers["Cache-Control"] = (caching.IMMUTABLE if fingerprint == found.fingerprint
                                         else caching.A_MINUTE)
    return response


def init_app(app: Flask) -> None:
    """Serve the script's data files."""
    app.register_blueprint(bp)
