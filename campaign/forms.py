"""The supporter's form: what they may type, and the message beside a field when it is wrong."""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import Select, html_params

from .contacts import OTHER, Contacts, check_email
from .letters import SUBJECT_MAX
from .links import SOURCES

NAME_MAX = 100
OWN_WORDS_MAX = 1000
LETTER_MAX = 10000
# Characters no letter needs, which could smuggle line breaks into a mail header, hide text,
# or collide with the letter markers: controls, surrogates, private use, line separators.
_FORBIDDEN = {"Cc", "Cs", "Co", "Zl", "Zp"}


@dataclass(frozen=True)
class Rule:
    """What one typed field accepts, and what the supporter is told when it does not.

    The form checks these rules (`RuleCheck`), and campaign.js checks the same ones, handed to
    it by `browser_rules`, as the supporter types: one owner for every limit and message.
    """

    required: str | None = None  # the message for an empty field; None: optional
    max: int | None = None  # the most characters (code points)
    too_long: str = ""
    one_line: bool = False  # no line breaks or control characters
    text: bool = False  # no control characters, line breaks allowed
    no_brackets: bool = False  # no < or >


MESSAGES = {
    "one_line": "Use letters and punctuation only: no line breaks or invisible control "
                "characters.",
    "control": "Remove the invisible control characters from this text.",
    "brackets": "Names and places don't contain < or >: please remove them.",
    "country": "Choose your country, or \u201cAnother country\u201d.",
    "country_unknown": "Choose your country from the list.",
    "region": "Choose your state: it decides which consulate you write to.",
    "extra_to_other": "This is only for a country not in the list: choose \u201cAnother "
                      "country\u201d, or leave it empty.",
    "one_address": "Enter one email address, like embassy@example.org.",
    "address": "This address does not look right: {why}",
    "no_recipient": "Tick at least one recipient: the letter needs someone to go to.",
}
RULES = {
    "name": Rule("Enter your name, as you want to sign the letter.", NAME_MAX,
                 f"Keep your name within {NAME_MAX} characters.", one_line=True,
                 no_brackets=True),
    "city": Rule("Enter your city or region, as you want to sign the letter.", NAME_MAX,
                 f"Keep your city within {NAME_MAX} characters.", one_line=True,
                 no_brackets=True),
    "own_words": Rule(None, OWN_WORDS_MAX, f"Keep it within {OWN_WORDS_MAX} characters.",
                      text=True),
    "subject": Rule("Enter a subject line.", SUBJECT_MAX,
                    f"Keep the subject within {SUBJECT_MAX} characters.", one_line=True),
    "letter": Rule(None, LETTER_MAX, f"Keep the letter within {LETTER_MAX} characters.",
                   text=True),
}


def _bad_characters(text: str, allow_breaks: bool) -> bool:
    """Whether text holds a character a letter must not carry."""
    allowed = "\r\n\t" if allow_breaks else ""
    return any(unicodedata.category(ch) in _FORBIDDEN and ch not in allowed for ch in text)


def check_rule(rule: Rule, value: str) -> str:
    """What is wrong with a typed value under its rule, or "" if nothing is.

    campaign.js's checkRule is the same function: a browser test compares the two.
    """
    if not value.strip():
        return rule.required or ""
    if rule.one_line and _bad_characters(value, allow_breaks=False):
        return MESSAGES["one_line"]
    if rule.text and _bad_characters(value, allow_breaks=True):
        return MESSAGES["control"]
    if rule.no_brackets and any(ch in value for ch in "<>"):
        return MESSAGES["brackets"]
    if rule.max is not None and len(value) > rule.max:
        return rule.too_long
    return ""


class RuleCheck:
    """The WTForms validator of a typed field: its rule, checked by `check_rule`."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.field_flags = {"required": True} if rule.required else {}

    def __call__(self, form: FlaskForm, field: Any) -> None:
        message = check_rule(self.rule, field.data or "")
        if message:
            raise StopValidation(message)


def browser_rules() -> dict[str, Any]:
    """The rules and messages as campaign.js takes them."""
    return {"rules": {name: dataclasses.asdict(rule) for name, rule in RULES.items()},
            "messages": MESSAGES}


class CachedSelect(Select):  # type: ignore[misc]
    """A select whose options are rendered once per list of choices and chosen value.

    WTForms renders each option through its generic attribute code; with 57 states on every
    page that was most of the page's rendering time.
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        options = _options(tuple(field.choices), field.data or "")
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


@functools.lru_cache(maxsize=2048)
def _options(choices: tuple[tuple[str, str], ...], chosen: str) -> Markup:
    """The option elements for these choices, with one chosen."""
    return Markup("".join(
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(label)}</option>" for value, label in choices))


def _known_source(value: str | None) -> str:
    """The share channel a supporter came by, if it is one we know; else nothing."""
    return value if value in SOURCES else ""


def _strip(value: str | None) -> str | None:
    """Trim spaces around a typed value."""
    return value.strip() if isinstance(value, str) else value


class LetterForm(FlaskForm):  # type: ignore[misc]
    """Country, signature, recipients and the letter itself."""

    country = SelectField("Your country", validate_choice=False, widget=CachedSelect())
    region = SelectField("Your state", validate_choice=False, widget=CachedSelect())
    name = StringField("Your name", filters=[_strip], validators=[RuleCheck(RULES["name"])])
    city = StringField("Your city or region", filters=[_strip],
                       validators=[RuleCheck(RULES["city"])])
    own_words = TextAreaField("A sentence in your own words (optional)", filters=[_strip],
                              validators=[RuleCheck(RULES["own_words"])])
    to = SelectMultipleField("Send to", validate_choice=False)
    extra_to = StringField("Your country's Chinese embassy email address (optional)",
                           filters=[_strip])
    subject = StringField("Subject", filters=[_strip], validators=[RuleCheck(RULES["subject"])])
    letter = TextAreaField("Your letter (you may edit it)",
                           validators=[RuleCheck(RULES["letter"])])
    base = HiddenField()  # the letter as the page last filled it in: tells edits apart
    routed = HiddenField()  # which place the ticked recipients were listed for
    src = HiddenField(filters=[_known_source])  # the share channel that brought the supporter
    count_token = HiddenField()  # counts this page's first send once (see tokens.py)

    def set_places(self, contacts: Contacts) -> None:
        """Offer the countries and regions in contacts.yaml."""
        self.contacts = contacts
        self.country.choices = [("", "Choose your country")] + [
            (code, country.name) for code, country in
            sorted(contacts.countries.items(), key=lambda item: item[1].name)
        ] + [(OTHER, "Another country")]
        regions = [(c.code, r) for c in contacts.countries.values() for r in c.regions.values()]
        self.region.choices = [("", "Choose your state")] + [
            (region.code, region.name) for _code, region in sorted(regions, key=lambda i: i[1].name)
        ]

    def validate_country(self, field: Any) -> None:
        """A country from the list, or 'another country'."""
        codes = {code for code, _label in self.country.choices if code}
        if not field.data:
            raise ValidationError(MESSAGES["country"])
        if field.data not in codes:
            raise ValidationError(MESSAGES["country_unknown"])

    def validate_region(self, field: Any) -> None:
        """A state from the list, for a country with regions."""
        country = self.contacts.countries.get(self.country.data or "")
        if country and country.regions and field.data not in country.regions:
            raise ValidationError(MESSAGES["region"])

    def validate_extra_to(self, field: Any) -> None:
        """An optional address, only for a country not in the list, checked for syntax."""
        if not field.data:
            return
        if self.country.data != OTHER:
            raise ValidationError(MESSAGES["extra_to_other"])
        if _bad_characters(field.data, allow_breaks=False) or "," in field.data:
            raise ValidationError(MESSAGES["one_address"])
        if why := check_email(field.data):
            raise ValidationError(MESSAGES["address"].format(why=why))
