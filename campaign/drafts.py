"""A supporter's draft: the letter as they see it, who it goes to, and the links that send it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext, ngettext

from .contacts import Contacts, Recipient, Route
from .forms import MESSAGES, Asked, asked, browser_rules, region_choices
from .letters import MARKERS, RESIGN_CONTEXT, Letter, Signature, normalize_text, resign
from .links import (
    LIMITS,
    MAILTO_LIMITS,
    REPORT_BODY,
    REPORT_SUBJECT,
    SHORT_BODY,
    WEBMAIL,
    Message,
    SendLink,
    ShareLink,
    blank_links,
    compose_report,
    limits_for,
    recipients_line,
    send_links,
)
from .names import mission_name

READY_COUNTS = 21  # the script says "ready" for up to this many recipients less one


@dataclass(frozen=True)
class Choices:
    """What the supporter chose and typed, as the form gives it."""

    country: str = ""
    region: str = ""
    signature: Signature = Signature()
    subject: str = ""
    letter: str = ""  # the letter text area, possibly edited
    base: str = ""  # the letter as the page last filled it in
    to: tuple[str, ...] = ()  # recipient ids ticked
    routed: str | None = None  # the place those recipients were listed for; None: fresh page
    extra_to: str = ""
    reset: bool = False  # the supporter asked for the organizers' letter back
    platform: str = "unknown"  # the browser's platform: how long a mail link it takes


@dataclass(frozen=True)
class Draft:
    """Everything the page shows about one supporter's letter."""

    place: str  # the place key of the supporter's place (contacts.place_key)
    route: Route
    text: str
    base: str
    edited: bool
    ticked: tuple[str, ...]
    stale: bool = False  # edited where the signature goes: a changed name is not signed in
    message: Message | None = None  # set once the letter is ready to send
    links: list[SendLink] = field(default_factory=list)
    to_error: str | None = None

    @property
    def recipients_line(self) -> str:
        """The addresses for a To field."""
        return recipients_line(self.message.to) if self.message else ""

    @property
    def send_links(self) -> list[SendLink]:
        """The links that send the letter, or empty places for them while it is not ready."""
        return self.links or blank_links()

    @property
    def shortened(self) -> bool:
        """Whether any link had to carry the short body."""
        return any(link.shortened for link in self.links)


def prepare(letter: Letter, contacts: Contacts, choices: Choices, ready: bool) -> Draft:
    """Work out the letter text, recipients and (when ready) the links for a supporter."""
    place = contacts.key_of(choices.country, choices.region)
    route = contacts.route(choices.country, choices.region)
    composed = letter.compose(choices.signature)
    typed, was = normalize_text(choices.letter), normalize_text(choices.base)
    edited = bool(typed) and typed != was and not choices.reset
    text, base = (typed, choices.base) if edited else (composed, composed)
    if edited and (resigned := resign(typed, was, composed)) is not None:
        text, base = resigned, composed  # their edit kept, their new name signed in it
    stale = edited and normalize_text(base) != composed
    addressed = [r.key for r in route.addressed]
    if choices.routed is None or choices.routed != place:
        ticked = tuple(addressed)  # a new place: every recipient ticked
    else:
        ticked = tuple(key for key in addressed if key in choices.to)
    if not ready:
        return Draft(place, route, text, base, edited, ticked, stale)
    to = tuple(contacts.recipients[key].email or "" for key in ticked)
    if choices.extra_to and asked(contacts, choices.country, choices.region).address:
        to += (choices.extra_to,)  # only where the page asks for it
    if not to:
        return Draft(place, route, text, base, edited, ticked, stale,
                     to_error=MESSAGES["no_recipient"])
    message = Message(to, choices.subject, text)
    return Draft(place, route, text, base, edited, ticked, stale, message,
                 send_links(message, gettext(SHORT_BODY), limits_for(choices.platform)))


def subject_for(subject: str, offered: str, subjects: Sequence[str], chance: float) -> str:
    """The subject a supporter sends: theirs, unless it is still the one the page offered
    everyone (`offered`); then one of the letter's subjects, picked by `chance` (in [0, 1)).
    campaign.js's subjectFor is the same function: a browser test compares the two."""
    if not offered or subject.strip() != offered:
        return subject
    return subjects[min(int(chance * len(subjects)), len(subjects) - 1)]


def browser_data(letter: Letter, contacts: Contacts,
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
            region_choices(contacts, tuple(contacts.countries))[1:], strict=True):
        places[code]["choices"] = options
        places[code]["byRegion"] = contacts.countries[code].by_region
    return {
        # Every language the letter is written in: its skeleton and subject lines.
        "letters": {code: {"skeleton": version.skeleton, "subjects": version.subjects}
                    for code in letter.languages
                    if (version := letter.in_language(code))},
        "markers": MARKERS,
        "resignContext": RESIGN_CONTEXT,
        "places": places,
        "recipients": {key: {"name": mission_name(r), "email": r.email, "website": r.website,
                             "reportLabel": gettext("Tell the organizers about %(mission)s",
                                                    mission=mission_name(r)),
                             "xPost": ([x_posts[key].label, x_posts[key].href]
                                       if x_posts and key in x_posts else None),
                             "unconfirmed": r.status == "unconfirmed",
                             "report": report_link(contacts, r)}
                       for key, r in contacts.recipients.items()},
        "webmail": {channel: {"label": f.label, "base": f.base, "to": f.to,
                              "subject": f.subject, "body": f.body}
                    for channel, f in WEBMAIL.items()},
        "mailtoLimits": MAILTO_LIMITS,
        "limits": LIMITS,
        "form": browser_rules(),
        "shortBody": gettext(SHORT_BODY),
        # Words the script shows, in the page's language; "ready" by number of recipients.
        "messages": {"ready": [ngettext("Your letter to %(num)s recipient is ready.",
                                        "Your letter to %(num)s recipients is ready.", n)
                               for n in range(READY_COUNTS)]},
    }


def report_link(contacts: Contacts, recipient: Recipient) -> str | None:
    """The mailto that reports a recipient's address as bounced, if organizers take reports."""
    if not contacts.report_to or not recipient.email:
        return None
    values = {"address": recipient.email, "mission": mission_name(recipient)}
    return compose_report(contacts.report_to, gettext(REPORT_SUBJECT) % values,
                          gettext(REPORT_BODY) % values)


def _route_data(key: str, route: Route, asks: Asked) -> dict[str, Any]:
    """A place's key and route: who is listed, who receives instead of a mission with no
    address, and which questions the form asks there."""
    return {"key": key, "recipients": [r.key for r in route.recipients],
            "local": [r.key for r in route.local],
            "instead": route.instead.key if route.instead else None,
            "asks": dataclasses.asdict(asks)}
