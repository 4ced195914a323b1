"""The supporter's form: what each typed field accepts, and what they are told when it does
not. The server checks these rules (web/letterform.py), and campaign.js checks the same ones,
handed to it by `browser_rules`, as the supporter types: one owner for every limit and message.
"""

from __future__ import annotations

import dataclasses
import unicodedata
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
    "region": N_("Choose your region: it decides which Chinese mission you write to."),
    "region_prompt": N_("Choose your region"),
    "suggested": N_("Suggested"),
    "one_address": N_("Enter one email address, like embassy@example.org."),
    "address": N_("This address does not look right: %(why)s"),
    "no_recipient": N_("Tick at least one recipient: the letter needs someone to go to."),
}


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
    """Whether text holds a character a letter must not carry."""
    allowed = "\r\n\t" if allow_breaks else ""
    return any(unicodedata.category(ch) in _FORBIDDEN and ch not in allowed for ch in text)


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
            "messages": {key: words.gettext(message) for key, message in MESSAGES.items()}}


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
