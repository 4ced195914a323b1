"""The supporter's form: what each typed field accepts, and what they are told when it does
not. The server checks these rules (web/letterform.py), and campaign.js checks the same ones,
handed to it by `browser_rules`, as the supporter types: one owner for every limit and message.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from ..data.emails import check_email
from ..data.letters import SUBJECT_MAX
from ..i18n.words import N_, Words

NAME_MAX = 100
OWN_WORDS_MAX = 1000
LETTER_MAX = 10000
# Characters no letter needs, which could smuggle line breaks into a mail header, hide text,
# or collide with the letter markers: controls, surrogates, private use, line separators.
_FORBIDDEN = {"Cc", "Cs", "Co", "Zl", "Zp"}
# The same characters as one pattern (these categories are closed: Unicode assigns them no new
# characters; a test holds the pattern to unicodedata over every code point).
_FORBIDDEN_PATTERN = ("\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U000ffffd"
                      "\U00100000-\U0010fffd\u2028\u2029")
FORBIDDEN_IN_LINE = re.compile(f"[{_FORBIDDEN_PATTERN}]")
FORBIDDEN_IN_TEXT = re.compile(f"[{_FORBIDDEN_PATTERN.replace(chr(0) + '-' + chr(0x1f), '')}"
                               "\x00-\x08\x0b\x0c\x0e-\x1f]")


def _at_most(singular: str, plural: str) -> tuple[str, str]:
    """A 'keep it within N characters' message, in its singular and plural (`make messages`
    extracts both): the number is the rule's most."""
    return singular, plural


@dataclass(frozen=True)
class Rule:
    """What one typed field accepts, and the messages (untranslated) for what it does not."""

    required: str | None = None  # the message for an empty field; None: optional
    max: int | None = None  # the most characters (code points)
    too_long: tuple[str, str] = ("", "")  # singular and plural, with %(count)s
    one_line: bool = False  # no line breaks or control characters
    text: bool = False  # no control characters, line breaks allowed
    no_brackets: bool = False  # no < or >


MESSAGES = {
    "one_line": N_("Use letters and punctuation only: no line breaks or invisible control "
                   "characters."),
    "control": N_("Remove the invisible control characters from this text."),
    "brackets": N_("Names and places don't contain < or >: please remove them."),
    "country": N_("Choose your country, or \u201cAnother country\u201d."),
    "country_unknown": N_("Choose your country from the list."),
    "suggested": N_("Suggested"),
    "one_address": N_("Enter one email address, like embassy@example.org."),
    "address": N_("This address does not look right: %(why)s"),
    "no_recipient": N_("Tick at least one recipient: the letter needs someone to go to."),
}



@dataclass(frozen=True)
class RegionWords:
    """How the form asks "where in the country?" in one kind of country (places.region_kind):
    by state, by province, by region, or by the city of the nearest consulate."""

    label: str
    prompt: str  # the select's first option, and what the send step waits for
    error: str  # beside the field while it is not answered


REGION_WORDS = {
    "state": RegionWords(N_("Your state"), N_("Choose your state"), N_(
        "Choose your state: it decides which Chinese consulate you write to.")),
    "province": RegionWords(N_("Your province"), N_("Choose your province"), N_(
        "Choose your province: it decides which Chinese consulate you write to.")),
    "region": RegionWords(N_("Your region"), N_("Choose your region"), N_(
        "Choose your region: it decides which Chinese mission you write to.")),
    "city": RegionWords(N_("The city nearest you"), N_("Choose the city nearest you"), N_(
        "Choose the city nearest you: it decides which Chinese consulate you write to.")),
}

# The form's questions in the order the page asks them: the send step lists what it waits for
# in this order, and the first one needing an answer gets the focus.
FORM_ORDER = ("country", "region", "extra_to", "found_at", "name", "city", "own_words", "to",
              "subject", "letter")
# What the send step says it waits for, per question: (while it is empty, while it is wrong).
# The region's is its kind's prompt (REGION_WORDS).
WAITING = {
    "country": (N_("Choose your country"), N_("Choose your country")),
    "extra_to": ("", N_("Check the address you added")),
    "found_at": ("", N_("Check the page where you found the address")),
    "name": (N_("Enter your name"), N_("Check your name")),
    "city": (N_("Enter your city"), N_("Check your city")),
    "own_words": ("", N_("Check your sentence")),
    "to": (N_("Tick at least one recipient"), N_("Tick at least one recipient")),
    "subject": (N_("Enter a subject"), N_("Check the subject")),
    "letter": ("", N_("Check the letter")),
}
CHECKING = N_("Checking the address you added…")  # while the server is asked about it

RULES = {
    "name": Rule(N_("Enter your name, as you want to sign the letter."), NAME_MAX,
                 _at_most("Keep your name within %(count)s character.",
                          "Keep your name within %(count)s characters."),
                 one_line=True, no_brackets=True),
    "city": Rule(N_("Enter your city or region, as you want to sign the letter."), NAME_MAX,
                 _at_most("Keep your city within %(count)s character.",
                          "Keep your city within %(count)s characters."),
                 one_line=True, no_brackets=True),
    "own_words": Rule(None, OWN_WORDS_MAX,
                      _at_most("Keep it within %(count)s character.",
                               "Keep it within %(count)s characters."), text=True),
    "subject": Rule(N_("Enter a subject line."), SUBJECT_MAX,
                    _at_most("Keep the subject within %(count)s character.",
                             "Keep the subject within %(count)s characters."),
                    one_line=True),
    "letter": Rule(None, LETTER_MAX,
                   _at_most("Keep the letter within %(count)s character.",
                            "Keep the letter within %(count)s characters."),
                   text=True),
}


def bad_characters(text: str, allow_breaks: bool) -> bool:
    """Whether text holds a character a letter must not carry (a line break or tab, too,
    unless `allow_breaks`)."""
    return (FORBIDDEN_IN_TEXT if allow_breaks else FORBIDDEN_IN_LINE).search(text) is not None


def check_rule(rule: Rule, value: str, words: Words) -> str:
    """What is wrong with a typed value under its rule, in a language, or "" if nothing is.

    campaign.js's checkRule is the same function: a browser test compares the two.
    """
    if not value.strip():
        return words.gettext(rule.required) if rule.required else ""
    if rule.one_line and bad_characters(value, allow_breaks=False):
        return words.gettext(MESSAGES["one_line"])
    if rule.text and bad_characters(value, allow_breaks=True):
        return words.gettext(MESSAGES["control"])
    if rule.no_brackets and any(ch in value for ch in "<>"):
        return words.gettext(MESSAGES["brackets"])
    if rule.max is not None and len(value) > rule.max:
        return too_long(rule, words)
    return ""


def too_long(rule: Rule, words: Words) -> str:
    """The message for a value longer than its rule's most, in a language."""
    singular, plural = rule.too_long
    if not singular or rule.max is None:
        return ""
    return words.ngettext(singular, plural, rule.max, count=words.format_number(rule.max))


def browser_rules(words: Words) -> dict[str, Any]:
    """The rules and messages as campaign.js takes them, in a language."""
    def shown(rule: Rule) -> dict[str, Any]:
        fields = {f.name: getattr(rule, f.name) for f in dataclasses.fields(rule)}
        fields["required"] = words.gettext(rule.required) if rule.required else None
        fields["too_long"] = too_long(rule, words)
        return fields

    return {"rules": {name: shown(rule) for name, rule in RULES.items()},
            "messages": {key: words.gettext(message) for key, message in MESSAGES.items()},
            "regions": {kind: {f.name: words.gettext(getattr(asked, f.name))
                               for f in dataclasses.fields(asked)}
                        for kind, asked in REGION_WORDS.items()},
            "order": FORM_ORDER,
            "waiting": {name: [words.gettext(text) if text else "" for text in phrases]
                        for name, phrases in WAITING.items()},
            "checking": words.gettext(CHECKING)}


def waiting_for(problems: list[tuple[str, bool]], region_kind: str,
                words: Words) -> list[tuple[str, str]]:
    """What the send step waits for: for each question needing an answer (its name, and
    whether it is empty rather than wrong), in the form's order, the field and what to do
    there ("Choose your state"). campaign.js's waitingFor is the same function."""
    found = []
    for name, empty in sorted(problems, key=lambda problem: FORM_ORDER.index(problem[0])):
        if name == "region":
            found.append((name, words.gettext(REGION_WORDS[region_kind].prompt)))
        elif name in WAITING:
            found.append((name, words.gettext(WAITING[name][0 if empty else 1] or
                                              WAITING[name][1])))
    return found


def address_problem(address: str, words: Words) -> str:
    """What is wrong with the address a supporter adds for their mission, in a language, or ""
    if nothing: one address, checked as contacts.yaml's are (email-validator, syntax only).
    The script asks the server (web/pages.address_check): it never judges an address itself."""
    if not address:
        return ""
    if bad_characters(address, allow_breaks=False) or "," in address:
        return words.gettext(MESSAGES["one_address"])
    if why := check_email(address):
        return words.gettext(MESSAGES["address"], why=why)
    return ""
