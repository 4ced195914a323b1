"""A supporter's draft: the letter as they see it, who it goes to, and the links that send it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .contacts import OTHER, Contacts, Recipient, Route
from .letters import MARKERS, Letter, Signature, normalize_text
from .links import (
    MAILTO_LIMIT,
    SHORT_BODY,
    WEBMAIL,
    WEBMAIL_LIMIT,
    Message,
    SendLink,
    blank_links,
    compose_report,
    recipients_line,
    send_links,
)

NO_RECIPIENT = "Tick at least one recipient: the letter needs someone to go to."


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


@dataclass(frozen=True)
class Draft:
    """Everything the page shows about one supporter's letter."""

    place: str  # route_key of the supporter's place
    route: Route
    text: str
    base: str
    edited: bool
    ticked: tuple[str, ...]
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


def route_key(country: str, region: str, contacts: Contacts) -> str:
    """A name for a supporter's place: 'GB', 'US:NY', 'other' or ''."""
    known = contacts.countries.get(country)
    if known is None:
        return OTHER if country == OTHER else ""
    if known.regions and region in known.regions:
        return f"{country}:{region}"
    return country


def prepare(letter: Letter, contacts: Contacts, choices: Choices, ready: bool) -> Draft:
    """Work out the letter text, recipients and (when ready) the links for a supporter."""
    place = route_key(choices.country, choices.region, contacts)
    route = contacts.route(choices.country, choices.region)
    composed = letter.compose(choices.signature)
    typed = normalize_text(choices.letter)
    edited = bool(typed) and typed != normalize_text(choices.base) and not choices.reset
    text, base = (typed, choices.base) if edited else (composed, composed)
    addressed = [r.key for r in route.addressed]
    if choices.routed is None or choices.routed != place:
        ticked = tuple(addressed)  # a new place: every recipient ticked
    else:
        ticked = tuple(key for key in addressed if key in choices.to)
    if not ready:
        return Draft(place, route, text, base, edited, ticked)
    to = tuple(contacts.recipients[key].email or "" for key in ticked)
    if choices.extra_to:
        to += (choices.extra_to,)
    if not to:
        return Draft(place, route, text, base, edited, ticked, to_error=NO_RECIPIENT)
    message = Message(to, choices.subject, text)
    return Draft(place, route, text, base, edited, ticked, message, send_links(message))


def browser_data(letter: Letter, contacts: Contacts) -> dict[str, Any]:
    """What campaign.js needs to build the same letter and links as the server."""
    places: dict[str, Any] = {"": _route_data(contacts.route(None)),
                              OTHER: _route_data(contacts.route(None))}
    for code, country in contacts.countries.items():
        places[code] = _route_data(contacts.route(code))
        for region in country.regions:
            places[f"{code}:{region}"] = _route_data(contacts.route(code, region))
    return {
        "skeleton": letter.skeleton,
        "markers": MARKERS,
        "places": places,
        "recipients": {key: {"name": r.name, "email": r.email, "website": r.website,
                             "unconfirmed": r.status == "unconfirmed",
                             "report": report_link(contacts, r)}
                       for key, r in contacts.recipients.items()},
        "regions": {code: sorted(c.regions) for code, c in contacts.countries.items()
                    if c.regions},
        "webmail": {channel: {"label": f.label, "base": f.base, "to": f.to,
                              "subject": f.subject, "body": f.body}
                    for channel, f in WEBMAIL.items()},
        "limits": {"mailto": MAILTO_LIMIT, "webmail": WEBMAIL_LIMIT},
        "shortBody": SHORT_BODY,
    }


def report_link(contacts: Contacts, recipient: Recipient) -> str | None:
    """The mailto that reports a recipient's address as bounced, if organizers take reports."""
    if not contacts.report_to or not recipient.email:
        return None
    return compose_report(contacts.report_to, recipient.name, recipient.email)


def _route_data(route: Route) -> dict[str, Any]:
    """A route as keys: who is listed, and who receives instead of a mission with no address."""
    return {"recipients": [r.key for r in route.recipients],
            "serving": route.serving.key if route.serving else None,
            "instead": route.instead.key if route.instead else None}
