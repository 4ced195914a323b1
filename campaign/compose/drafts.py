"""A supporter's draft: the letter as they see it, who it goes to, and the links that send it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..data.contacts import Contacts, Recipient, Route
from ..data.letters import Letter
from ..data.lettertext import NO_BLANKS, Signature, normalize_text, resign
from ..i18n.names import mission_name
from ..i18n.words import N_, Words
from .places import asked
from .rules import MESSAGES
from .sendlinks import (
    REPORT_BODY,
    REPORT_SUBJECT,
    SHORT_BODY,
    Message,
    SendLink,
    blank_links,
    channel_order,
    compose_report,
    limits_for,
    recipients_line,
    send_links,
)

# What a letter says where the supporter has not signed yet, in the letter's language: "[your
# name]" and "[your city]", never an empty place ("에서 / 올림"). A sentence of their own has
# none: the letter reads whole without it.
BLANKS = Signature(N_("[your name]"), N_("[your city]"))


def blanks_in(words: Words) -> Signature:
    """The blanks in a letter's language (`words` of that language, not the page's)."""
    return Signature(words.gettext(BLANKS.name), words.gettext(BLANKS.city))


@dataclass(frozen=True)
class Answers:
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
    language: str = "en"  # the page's language (its code): which webmails come first


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
    message: Message | None = None  # set once the letter is ready to send by email
    links: list[SendLink] = field(default_factory=list)
    to_error: str | None = None
    channels: tuple[str, ...] = ()  # the send channels in the order the page offers them
    # The letter is complete (its fields checked): it can go by post, with or without email.
    ready: bool = False

    @property
    def recipients_line(self) -> str:
        """The addresses for a To field."""
        return recipients_line(self.message.to) if self.message else ""

    @property
    def send_links(self) -> list[SendLink]:
        """The links that send the letter, or empty places for them while it is not ready."""
        return self.links or blank_links(self.channels or channel_order("", ""))

    @property
    def shortened(self) -> bool:
        """Whether any link had to carry the short body."""
        return any(link.shortened for link in self.links)


def prepare(letter: Letter, contacts: Contacts, answers: Answers, ready: bool,
            words: Words, blanks: Signature = NO_BLANKS) -> Draft:
    """Work out the letter text, recipients and (when ready) the links for a supporter, with
    the words of the page's language, and the blanks of the letter's where they have not
    signed yet."""
    place = contacts.key_of(answers.country, answers.region)
    route = contacts.route(answers.country, answers.region)
    composed = letter.compose(answers.signature, blanks)
    typed, was = normalize_text(answers.letter), normalize_text(answers.base)
    edited = bool(typed) and typed != was and not answers.reset
    text, base = (typed, answers.base) if edited else (composed, composed)
    if edited and (resigned := resign(typed, was, composed)) is not None:
        text, base = resigned, composed  # their edit kept, their new name signed in it
    stale = edited and normalize_text(base) != composed
    addressed = [r.key for r in route.addressed]
    if answers.routed is None or answers.routed != place:
        ticked = tuple(addressed)  # a new place: every recipient ticked
    else:
        ticked = tuple(key for key in addressed if key in answers.to)
    channels = channel_order(answers.language, answers.country)
    if not ready:
        return Draft(place, route, text, base, edited, ticked, stale, channels=channels)
    to = tuple(contacts.recipients[key].email or "" for key in ticked)
    if answers.extra_to and asked(contacts, answers.country, answers.region).address:
        to += (answers.extra_to,)  # only where the page asks for it
    if not to and addressed:  # every address unticked: the supporter is asked to tick one
        return Draft(place, route, text, base, edited, ticked, stale,
                     to_error=words.gettext(MESSAGES["no_recipient"]), channels=channels)
    if not to:  # no mission serving them publishes an email: the letter goes by post
        return Draft(place, route, text, base, edited, ticked, stale, ready=True, channels=channels)
    message = Message(to, answers.subject, text)
    return Draft(place, route, text, base, edited, ticked, stale, message,
                 send_links(message, words.gettext(SHORT_BODY), limits_for(answers.platform),
                            channels), channels=channels, ready=True)


def report_link(contacts: Contacts, recipient: Recipient, words: Words) -> str | None:
    """The mailto that reports a recipient's address as bounced, if organizers take reports."""
    if not contacts.report_to or not recipient.email:
        return None
    values = {"address": recipient.email, "mission": mission_name(recipient, words)}
    return compose_report(contacts.report_to, words.gettext(REPORT_SUBJECT, **values),
                          words.gettext(REPORT_BODY, **values))




def subject_for(subject: str, offered: str, subjects: Sequence[str], chance: float) -> str:
    """The subject a supporter sends: theirs, unless it is still the one the page offered
    everyone (`offered`); then one of the letter's subjects, picked by `chance` (in [0, 1)),
    so the letters do not all arrive alike.
    campaign.js's subjectFor is the same function: a browser test compares the two."""
    if not offered or subject.strip() != offered:
        return subject
    return subjects[min(int(chance * len(subjects)), len(subjects) - 1)]
