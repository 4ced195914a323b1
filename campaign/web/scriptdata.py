"""The script's data: what campaign.js needs to build the same letter, recipients and links
as the server, in the page's language, handed to it as JSON (built once per letter, language
and public address)."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import url_for
from flask_babel import gettext, ngettext
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from ..compose.drafts import blanks_in, report_link
from ..compose.places import Asked, asked, region_choices
from ..compose.rules import browser_rules
from ..compose.sendlinks import LIMITS, MAILTO_LIMITS, SHORT_BODY, WEBMAIL
from ..compose.sharelinks import ShareLink
from ..data.contacts import Contacts, Route
from ..data.letters import Letter
from ..data.lettertext import MARKERS, RESIGN_CONTEXT
from ..data.reloading import CampaignData
from ..i18n.languages import direction, tag_of
from ..i18n.names import mission_name
from ..i18n.words import Words
from . import languages
from .sharing import Sharing, mission_post

READY_COUNTS = 21  # the script says "ready" for up to this many recipients less one
# Where campaign.js keeps the supporter's letter, in the tab's sessionStorage, for the print
# page it opens (post.py): post.js reads it there. It never leaves the browser.
POST_STORAGE_KEY = "campaign-post"


def browser_data(letter: Letter, contacts: Contacts, words: Words,
                 x_posts: dict[str, ShareLink] | None = None) -> dict[str, Any]:
    """What campaign.js needs to build the same letter and links as the server."""
    # Each country's route, with the answers to "where in the country?" and their routes
    # under it: the script looks a choice up and never builds a place key itself.
    places: dict[str, Any] = {"": _route_data("", contacts.route(None), asked(contacts, ""))}
    for key, country, region in contacts.places():
        route = _route_data(key, contacts.route(country, region),
                            asked(contacts, country, region))
        if region:
            places[country].setdefault("regions", {})[region] = route
        else:
            places[country] = route
    for code, (_label, options) in zip(
            (c for c, known in contacts.countries.items() if known.choices),
            region_choices(contacts, tuple(contacts.countries), words)[1:], strict=True):
        places[code]["choices"] = options
        places[code]["byRegion"] = contacts.countries[code].by_region
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
                             "reportLabel": gettext("Tell the organizers about %(mission)s",
                                                    mission=mission_name(r, words)),
                             "xPost": ([x_posts[key].label, x_posts[key].href]
                                       if x_posts and key in x_posts else None),
                             "unconfirmed": r.status == "unconfirmed",
                             "report": report_link(contacts, r, words)}
                       for key, r in contacts.recipients.items()},
        "webmail": {channel: {"label": f.label, "base": f.base, "to": f.to,
                              "subject": f.subject, "body": f.body, "mailto": f.mailto,
                              "firstFor": f.first_for}
                    for channel, f in WEBMAIL.items()},
        "mailtoLimits": MAILTO_LIMITS,
        "limits": LIMITS,
        "form": browser_rules(words),
        "shortBody": gettext(SHORT_BODY),
        # Words the script shows, in the page's language; "ready" by number of recipients.
        "messages": {"ready": [ngettext("Your letter to %(num)s recipient is ready.",
                                        "Your letter to %(num)s recipients is ready.", n)
                               for n in range(READY_COUNTS)]},
    }


def _route_data(key: str, route: Route, asks: Asked) -> dict[str, Any]:
    """A place's key and route: who is listed, who receives instead of a mission with no
    address, and which questions the form asks there."""
    return {"key": key, "recipients": [r.key for r in route.recipients],
            "local": [r.key for r in route.local],
            "instead": route.instead.key if route.instead else None,
            "accounts": [r.key for r in route.accounts],
            "asks": dataclasses.asdict(asks)}


def browser_json(data: CampaignData, letter: Letter, sharing: Sharing) -> Markup:
    """The page's data for campaign.js, as HTML-safe JSON, built once per letter, language and
    public address."""
    def make() -> Markup:
        posts = {key: post for key, r in data.contacts.recipients.items()
                 if (post := mission_post(sharing, r))}
        return htmlsafe_json_dumps({**browser_data(letter, data.contacts, languages.words(), posts),
                                    "addressCheck": url_for("letters.address_check"),
                                    "pageLanguage": languages.current().code,
                                    "suggestAddress": url_for("suggestions.suggest_address"),
                                    "postKey": POST_STORAGE_KEY})

    return data.rendered.get(("browser_json", letter.slug, languages.current().code, sharing.url),
                             make)
