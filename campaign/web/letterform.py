"""The letter form as WTForms reads a post: its fields, each checked by its rule
(compose/rules.py), and the message beside a field when it is wrong."""

from __future__ import annotations

import functools
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import Select, html_params

from ..compose.places import Groups, asked, country_choices, region_choices, region_kind
from ..compose.rules import MESSAGES, REGION_WORDS, RULES, Rule, address_problem, check_rule
from ..compose.suggestions import page_problem
from ..data.contacts import OTHER, Contacts
from ..data.letters import Letter
from ..data.pagecache import PageCache
from ..data.sources import source_of
from ..i18n.languages import direction, tag_of
from ..i18n.names import and_list, language_name, language_name_in
from ..i18n.words import N_
from .languages import lazy_words as _l
from .languages import words

# What the page says about the languages a letter is written in, in the reader's language.
ALSO_WRITTEN = N_("The letter is also written in these languages: choose the one you want to "
                  "send.")
NOT_IN_YOURS = N_("This letter has no version in your language yet. It will be sent in this "
                  "language: %(language)s.")
NOT_IN_YOURS_CHOOSE = N_("This letter has no version in your language yet. Unless you choose "
                         "another language here, it will be sent in this one: %(language)s. "
                         "It is also written in: %(others)s.")


class RuleCheck:
    """The WTForms validator of a typed field: its rule, checked by `check_rule`."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.field_flags = {"required": True} if rule.required else {}

    def __call__(self, form: FlaskForm, field: Any) -> None:
        message = check_rule(self.rule, field.data or "", words())
        if message:
            raise StopValidation(message)


class CachedSelect(Select):  # type: ignore[misc]
    """A select whose options are rendered once per list of choices, whatever is chosen.

    A field's choices are either (value, label) pairs or `Groups`, shown as <optgroup>s. The
    first option with the chosen value is selected (a suggested country is listed twice).
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        choices = field.choices
        groups: Groups = choices if choices and isinstance(choices[0][1], tuple) \
            else (("", tuple(choices)),)
        options = _options(groups, field.data or "")
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class LanguageSelect(Select):  # type: ignore[misc]
    """The letter's languages, each named in itself and marked with its language and
    direction (한국어 in a French page is Korean)."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        options = Markup("").join(
            Markup('<option value="{}" lang="{}" dir="{}"{}>{}').format(
                code, tag_of(code), direction(code),
                Markup(" selected") if code == field.data else "", name)
            for code, name in field.choices)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


def _options(groups: Groups, chosen: str) -> Markup:
    """The option elements for these choices, with the first of the chosen value selected."""
    html, first = _option_list(groups)
    at = first.get(chosen)
    return Markup(html if at is None else f"{html[:at]} selected{html[at:]}")


@functools.lru_cache(maxsize=256)
def _option_list(groups: Groups) -> tuple[str, dict[str, int]]:
    """The option elements for these choices, none selected, and where in them to mark each
    value's first option selected. Kept once per list of choices (a language's countries, a
    country's regions), never per chosen value: a posted value is anything a client sends."""
    html: list[str] = []
    first: dict[str, int] = {}
    length = 0
    for label, choices in groups:
        if label:
            html.append(f'<optgroup label="{escape(label)}">')
            length += len(html[-1])
        for value, text in choices:
            html.append(f'<option value="{escape(value)}"')
            length += len(html[-1])
            first.setdefault(value, length)
            html.append(f">{escape(text)}")  # no </option>: HTML implies it, 200 times a page
            length += len(html[-1])
        if label:
            html.append("</optgroup>")
            length += len(html[-1])
    return "".join(html), first


def _strip(value: str | None) -> str | None:
    """Trim spaces around a typed value."""
    return value.strip() if isinstance(value, str) else value


class LetterForm(FlaskForm):  # type: ignore[misc]
    """Country, signature, recipients and the letter itself.

    No CSRF token: the page must be the same bytes for everyone (pages.py), and nothing a
    post does needs one. A post only renders a letter; counting takes a signed single-use
    token; and a cross-site post is refused by its origin (security.py).
    """

    class Meta:
        csrf = False

    region_kind = "region"  # how the region is asked in the chosen country (places.region_kind)
    first_language = ""  # the letter's language a fresh page offers (set_languages)

    country = SelectField(_l("Your country"), validate_choice=False, widget=CachedSelect())
    region = SelectField(_l("Your region or nearest city"), validate_choice=False,
                         widget=CachedSelect())
    name = StringField(_l("Your name"), filters=[_strip], validators=[RuleCheck(RULES["name"])])
    city = StringField(_l("Your city or region"), filters=[_strip],
                       validators=[RuleCheck(RULES["city"])])
    own_words = TextAreaField(_l("A sentence in your own words (optional)"), filters=[_strip],
                              validators=[RuleCheck(RULES["own_words"])])
    to = SelectMultipleField(_l("Send to"), validate_choice=False)
    extra_to = StringField(_l("The Chinese embassy's email address (optional)"),
                           filters=[_strip])
    # Unticked unless the supporter ticks it: tell the organizers of the address they added,
    # and, if they say, the page they found it on (compose/suggestions.py: nothing else).
    tell_organizers = BooleanField(_l("Also tell the organizers about this address"))
    found_at = StringField(_l("The page where you found it (optional)"), filters=[_strip])
    subject = StringField(_l("Subject"), filters=[_strip], validators=[RuleCheck(RULES["subject"])])
    letter = TextAreaField(_l("Your letter (you may edit it)"),
                           validators=[RuleCheck(RULES["letter"])])
    # The letter as the page last filled it in: tells edits apart. Empty on a fresh page (the
    # letter is in the page once, not twice): then it is the letter that page offered.
    base = HiddenField()
    routed = HiddenField()  # which place the ticked recipients were listed for
    letter_language = SelectField(_l("Language of your letter"), validate_choice=False,
                                  widget=LanguageSelect())
    offered = HiddenField()  # the subject the page offered: left as it is, a random one is used
    src = HiddenField(filters=[source_of])  # the share channel that brought the supporter
    count_token = HiddenField()  # counts this page's first send once (see counting/tokens.py)

    def set_places(self, contacts: Contacts, suggested: tuple[str, ...],
                   cache: PageCache) -> None:
        """Offer every country in contacts.yaml (the suggested ones first), and the regions
        (or missions' cities) of the chosen country, where the answer changes who receives
        the letter: never another country's. Where the answer is a city, a fresh page
        chooses the embassy's, as its select shows it; a post that chose the country
        without seeing its cities is asked to choose.

        The lists are the same for everyone reading the language: kept in the data's cache
        (dropped when contacts.yaml changes), each is sorted and named once, not per request.
        """
        self.contacts = contacts
        country = self.country.data or ""
        shown = words()
        self.country.choices = cache.get(("country_choices", shown.locale, suggested),
                                         lambda: country_choices(contacts, suggested, shown))
        self.region.choices = cache.get(("region_choices", shown.locale, country),
                                        lambda: region_choices(contacts, country, shown))
        known = contacts.countries.get(country)
        if known and known.choices:
            self.region_kind = region_kind(known)
            self.region.label.text = shown.gettext(REGION_WORDS[self.region_kind].label)
            if self.region_kind == "city" and not self.region.data and not self.is_submitted():
                self.region.data = known.choices[0]  # a post without it is asked to choose

    def set_languages(self, letter: Letter, page_language: str) -> None:
        """Offer the languages the letter is written in; the page's by default, where the
        letter has it, else the original's. Say which it goes in where the page's language
        is not among them, and which others there are."""
        self.letter_language.choices = [(code, language_name(code)) for code in letter.languages]
        self.first_language = (page_language if page_language in letter.languages
                               else letter.language)  # the one a fresh page offers
        if self.letter_language.data not in letter.languages:
            self.letter_language.data = self.first_language
        shown = words()
        if page_language in letter.languages:
            self.language_hint = shown.gettext(ALSO_WRITTEN) if len(letter.languages) > 1 \
                else ""
            return
        others = [language_name_in(code, shown) for code in letter.languages
                  if code != letter.language]
        default = language_name_in(letter.language, shown)
        self.language_hint = shown.gettext(NOT_IN_YOURS_CHOOSE, language=default,
                                           others=and_list(others, shown)) if others \
            else shown.gettext(NOT_IN_YOURS, language=default)

    def asks_address(self) -> bool:
        """Whether the supporter's place asks them for the address of a mission."""
        return asked(self.contacts, self.country.data or "", self.region.data or "").address

    def validate_country(self, field: Any) -> None:
        """A country from the list, or 'another country'."""
        if not field.data:
            raise ValidationError(words().gettext(MESSAGES["country"]))
        if field.data != OTHER and field.data not in self.contacts.countries:
            raise ValidationError(words().gettext(MESSAGES["country_unknown"]))

    def validate_region(self, field: Any) -> None:
        """An answer from the list, where the country's answer matters."""
        country = self.contacts.countries.get(self.country.data or "")
        if not country or not country.choices or field.data in country.choices:
            return
        raise ValidationError(words().gettext(REGION_WORDS[self.region_kind].error))

    def problems(self) -> list[tuple[str, bool]]:
        """The questions needing an answer, as the send step lists them: each field with an
        error, and whether it is empty (rather than wrong)."""
        return [(name, not (self[name].data or "")) for name in self.errors]

    def validate_found_at(self, field: Any) -> None:
        """The page the supporter found the address on: a public web address, or nothing."""
        if self.asks_address() and (problem := page_problem(field.data or "", words())):
            raise ValidationError(problem)

    def validate_extra_to(self, field: Any) -> None:
        """An optional address, where no mission in the supporter's country publishes one,
        checked for syntax. Elsewhere the field is not shown, and what it holds is not used."""
        if self.asks_address() and (problem := address_problem(field.data or "", words())):
            raise ValidationError(problem)


