"""The supporter's form: what they may type, and the message beside a field when it is wrong."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import Select, html_params

from .contacts import OTHER, Contacts, check_email
from .links import SOURCES

NAME_MAX = 100
SUBJECT_MAX = 150
OWN_WORDS_MAX = 1000
LETTER_MAX = 10000
# Characters no letter needs, which could smuggle line breaks into a mail header, hide text,
# or collide with the letter markers: controls, surrogates, private use, line separators.
_FORBIDDEN = {"Cc", "Cs", "Co", "Zl", "Zp"}


def _bad_characters(text: str, allow_breaks: bool) -> bool:
    """Whether text holds a character a letter must not carry."""
    allowed = "\r\n\t" if allow_breaks else ""
    return any(unicodedata.category(ch) in _FORBIDDEN and ch not in allowed for ch in text)


def one_line(form: FlaskForm, field: Any) -> None:
    """Refuse line breaks, control characters and angle brackets in a one-line field."""
    if _bad_characters(field.data or "", allow_breaks=False):
        raise StopValidation("Use letters and punctuation only: no line breaks or "
                             "invisible control characters.")


def no_brackets(form: FlaskForm, field: Any) -> None:
    """Refuse < and >, which no name or place contains."""
    if any(ch in (field.data or "") for ch in "<>"):
        raise ValidationError("Names and places don't contain < or >: please remove them.")


def plain_text(form: FlaskForm, field: Any) -> None:
    """Refuse control characters (line breaks and tabs are fine) in a text area."""
    if _bad_characters(field.data or "", allow_breaks=True):
        raise StopValidation("Remove the invisible control characters from this text.")


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
    name = StringField("Your name", filters=[_strip], validators=[
        DataRequired("Enter your name, as you want to sign the letter."),
        Length(max=NAME_MAX, message=f"Keep your name within {NAME_MAX} characters."),
        one_line, no_brackets])
    city = StringField("Your city or region", filters=[_strip], validators=[
        DataRequired("Enter your city or region, as you want to sign the letter."),
        Length(max=NAME_MAX, message=f"Keep your city within {NAME_MAX} characters."),
        one_line, no_brackets])
    own_words = TextAreaField("A sentence in your own words (optional)", filters=[_strip],
                              validators=[Optional(), Length(
                                  max=OWN_WORDS_MAX,
                                  message=f"Keep it within {OWN_WORDS_MAX} characters."),
                                  plain_text])
    to = SelectMultipleField("Send to", validate_choice=False)
    extra_to = StringField("Your country's Chinese embassy email address (optional)",
                           filters=[_strip])
    subject = StringField("Subject", filters=[_strip], validators=[
        DataRequired("Enter a subject line."),
        Length(max=SUBJECT_MAX, message=f"Keep the subject within {SUBJECT_MAX} characters."),
        one_line])
    letter = TextAreaField("Your letter (you may edit it)", validators=[
        Length(max=LETTER_MAX, message=f"Keep the letter within {LETTER_MAX} characters."),
        plain_text])
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
            raise ValidationError("Choose your country, or \u201cAnother country\u201d.")
        if field.data not in codes:
            raise ValidationError("Choose your country from the list.")

    def validate_region(self, field: Any) -> None:
        """A state from the list, for a country with regions."""
        country = self.contacts.countries.get(self.country.data or "")
        if country and country.regions and field.data not in country.regions:
            raise ValidationError("Choose your state: it decides which consulate you write to.")

    def validate_extra_to(self, field: Any) -> None:
        """An optional address, only for a country not in the list, checked for syntax."""
        if not field.data:
            return
        if self.country.data != OTHER:
            raise ValidationError("This is only for a country not in the list: choose "
                                  "\u201cAnother country\u201d, or leave it empty.")
        if _bad_characters(field.data, allow_breaks=False) or "," in field.data:
            raise ValidationError("Enter one email address, like embassy@example.org.")
        if why := check_email(field.data):
            raise ValidationError(f"This address does not look right: {why}")
