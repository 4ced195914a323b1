"""A supporter's draft: the letter as they see it, who it goes to, and the links that send it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..data.contacts import Contacts, Recipient, Route
from ..data.letters import Letter
from ..data.lettertext import NO_BLANKS, Signature, normalize_text, resign
from ..i18n.names import mission_name
from ..i18n.words import N_, Words
from .places import asked, pending
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
    message: Message | None = None  # once ready to send: its To empty where no one has email
    links: list[SendLink] = field(default_factory=list)
    to_error: str | None = None
    pending: bool = False  # the local recipients wait for an answer (places.pending)
    channels: tuple[str, ...] = ()  # the send channels in the order the page offers them

    @property
    def shown(self) -> list[Recipient]:
        """The recipients the page lists: while the place waits for an answer, not the likely
        local ones (the page says what it waits for in their place)."""
        local = {*self.route.local, *([self.route.instead] if self.route.instead else [])}
        return [r for r in self.route.recipients if not (self.pending and r in local)]

    @property
    def by_email(self) -> bool:
        """Whether the letter can go by email: a recipient has an address (or the supporter
        added one). Where none has, the page says so, and offers the other ways."""
        return bool(self.route.addressed) or bool(self.message and self.message.to)

    @property
    def ready(self) -> bool:
        """The letter is complete (its fields checked): it can go by post, and by email where
        a recipient has an address (then it has links)."""
        return self.message is not None

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
            words: Words, blanks: Signature = NO_BLANKS, with_links: bool = True) -> Draft:
    """Work out the letter text, recipients and (when ready, and asked `with_links`) the
    links for a supporter, with the words of the page's language, and the blanks of the
    letter's where they have not signed yet."""
    place = contacts.key_of(answers.country, answers.region)
    route = contacts.route(answers.country, answers.region)
    waits = pending(contacts, answers.country, answers.region)
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
        return Draft(place, route, text, base, edited, ticked, stale, pending=waits,
                     channels=channels)
    to = tuple(contacts.recipients[key].email or "" for key in ticked)
    if answers.extra_to and asked(contacts, answers.country, answers.region).address:
        to += (answers.extra_to,)  # only where the page asks for it
    if not to and addressed:
        return Draft(place, route, text, base, edited, ticked, stale,
                     to_error=words.gettext(MESSAGES["no_recipient"]), pending=waits,
                     channels=channels)
    # Where no recipient has an email address, the letter is ready all the same, with no
    # email links: the send step offers the other ways (by post, on X) and the copy fields.
    message = Message(to, answers.subject, text)
    links = send_links(message, words.gettext(SHORT_BODY), limits_for(answers.platform),
                       channels) if to and with_links else []
    return Draft(place, route, text, base, edited, ticked, stale, message, links,
                 pending=waits, channels=channels)


@dataclass(frozen=True)
class Preview:
    """The letter as the page previews it before its send buttons: its opening (the page shows
    its first lines) and its last paragraph (the closing, with the supporter's signature)."""

    opening: str
    closing: str


def preview_of(text: str) -> Preview:
    """A letter's preview: its first two paragraphs (the greeting and the first), one after
    the other, and its last. campaign.js's previewOf is the same function."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) < 2:
        return Preview(text, "")
    return Preview("\n".join(paragraphs[:min(2, len(paragraphs) - 1)]), paragraphs[-1])


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
