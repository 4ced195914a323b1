"""The supporter's form: what they may type, and the message beside a field when it is wrong."""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString, format_number, get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import Select, html_params

from .contacts import OTHER, Contacts, Country
from .datafile import check_email
from .letters import SUBJECT_MAX, Letter
from .links import source_problem
from .names import country_name, in_order, language_name, mission_city, or_list, region_name
from .rendercache import RenderCache

NAME_MAX = 100
OWN_WORDS_MAX = 1000
LETTER_MAX = 10000
# Characters no letter needs, which could smuggle line breaks into a mail header, hide text,
# or collide with the letter markers: controls, surrogates, private use, line separators.
_FORBIDDEN = {"Cc", "Cs", "Co", "Zl", "Zp"}


def _at_most(singular: str, plural: str, most: int) -> LazyString:
    """A 'keep it within N characters' message: plural and number as the language needs."""
    return LazyString(lambda: ngettext(singular, plural, most, count=format_number(most)))


@dataclass(frozen=True)
class Rule:
    """What one typed field accepts, and what the supporter is told when it does not.

    The form checks these rules (`RuleCheck`), and campaign.js checks the same ones, handed to
    it by `browser_rules`, as the supporter types: one owner for every limit and message.
    Messages are lazy: they are read in the language of the request they are shown in.
    """

    required: LazyString | None = None  # the message for an empty field; None: optional
    max: int | None = None  # the most characters (code points)
    too_long: LazyString | str = ""
    one_line: bool = False  # no line breaks or control characters
    text: bool = False  # no control characters, line breaks allowed
    no_brackets: bool = False  # no < or >


MESSAGES = {
    "one_line": _l("Use letters and punctuation only: no line breaks or invisible control "
                   "characters."),
    "control": _l("Remove the invisible control characters from this text."),
    "brackets": _l("Names and places don't contain < or >: please remove them."),
    "country": _l("Choose your country, or \u201cAnother country\u201d."),
    "country_unknown": _l("Choose your country from the list."),
    "region": _l("Choose your region: it decides which Chinese mission you write to."),
    "region_prompt": _l("Choose your region"),
    "suggested": _l("Suggested"),
    "one_address": _l("Enter one email address, like embassy@example.org."),
    "address": _l("This address does not look right: %(why)s"),
    "no_recipient": _l("Tick at least one recipient: the letter needs someone to go to."),
}
RULES = {
    "name": Rule(_l("Enter your name, as you want to sign the letter."), NAME_MAX,
                 _at_most("Keep your name within %(count)s character.",
                          "Keep your name within %(count)s characters.", NAME_MAX),
                 one_line=True, no_brackets=True),
    "city": Rule(_l("Enter your city or region, as you want to sign the letter."), NAME_MAX,
                 _at_most("Keep your city within %(count)s character.",
                          "Keep your city within %(count)s characters.", NAME_MAX),
                 one_line=True, no_brackets=True),
    "own_words": Rule(None, OWN_WORDS_MAX,
                      _at_most("Keep it within %(count)s character.",
                               "Keep it within %(count)s characters.", OWN_WORDS_MAX), text=True),
    "subject": Rule(_l("Enter a subject line."), SUBJECT_MAX,
                    _at_most("Keep the subject within %(count)s character.",
                             "Keep the subject within %(count)s characters.", SUBJECT_MAX),
                    one_line=True),
    "letter": Rule(None, LETTER_MAX,
                   _at_most("Keep the letter within %(count)s character.",
                            "Keep the letter within %(count)s characters.", LETTER_MAX),
                   text=True),
}


@dataclass(frozen=True)
class Asked:
    """Which questions about the supporter's place the form asks, once they chose one.

    The one rule: the server renders the form by it, and hands it to campaign.js for every
    place (drafts.browser_data), which shows and hides the same fields by looking it up.
    """

    region: bool  # "where in the country?": where the answer changes who receives the letter
    address: bool  # the address of their mission: where no mission there publishes one


def asked(contacts: Contacts, country: str, region: str = "") -> Asked:
    """What the form asks in this place; with no country chosen (or one not on its list),
    nothing yet."""
    known = contacts.countries.get(country)
    listed = known is not None or country == OTHER
    return Asked(region=bool(known and known.choices),
                 address=listed and contacts.route(country, region).asks_address)


def address_problem(address: str) -> str:
    """What is wrong with the address a supporter adds for their mission, or "" if nothing:
    one address, checked as contacts.yaml's are (email-validator, syntax only). The script
    asks the server (views.address_check): it never judges an address itself."""
    if not address:
        return ""
    if _bad_characters(address, allow_breaks=False) or "," in address:
        return str(MESSAGES["one_address"])
    if why := check_email(address):
        return str(MESSAGES["address"] % {"why": why})
    return ""


def _bad_characters(text: str, allow_breaks: bool) -> bool:
    """Whether text holds a character a letter must not carry."""
    allowed = "\r\n\t" if allow_breaks else ""
    return any(unicodedata.category(ch) in _FORBIDDEN and ch not in allowed for ch in text)


def check_rule(rule: Rule, value: str) -> str:
    """What is wrong with a typed value under its rule, or "" if nothing is.

    campaign.js's checkRule is the same function: a browser test compares the two.
    """
    if not value.strip():
        return str(rule.required or "")
    if rule.one_line and _bad_characters(value, allow_breaks=False):
        return str(MESSAGES["one_line"])
    if rule.text and _bad_characters(value, allow_breaks=True):
        return str(MESSAGES["control"])
    if rule.no_brackets and any(ch in value for ch in "<>"):
        return str(MESSAGES["brackets"])
    if rule.max is not None and len(value) > rule.max:
        return str(rule.too_long)
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


def _plain(value: Any) -> Any:
    """A rule's field as JSON takes it: a message read now, in the request's language."""
    return str(value) if isinstance(value, LazyString) else value


def browser_rules() -> dict[str, Any]:
    """The rules and messages as campaign.js takes them, in the request's language."""
    return {"rules": {name: {f.name: _plain(getattr(rule, f.name))
                             for f in dataclasses.fields(rule)} for name, rule in RULES.items()},
            "messages": {key: str(message) for key, message in MESSAGES.items()}}


Choices = tuple[tuple[str, str], ...]
Groups = tuple[tuple[str, Choices], ...]  # (group label, or "" for none; its choices)


class CachedSelect(Select):  # type: ignore[misc]
    """A select whose options are rendered once per list of choices and chosen value.

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


@functools.lru_cache(maxsize=4096)
def _options(groups: Groups, chosen: str) -> Markup:
    """The option elements for these choices, with the first of the chosen value selected."""
    html, selected = [], False
    for label, choices in groups:
        items = []
        for value, text in choices:
            mark = " selected" if value == chosen and not selected else ""
            selected = selected or bool(mark)
            items.append(f'<option value="{escape(value)}"{mark}>{escape(text)}</option>')
        html.append(f'<optgroup label="{escape(label)}">{"".join(items)}</optgroup>' if label
                    else "".join(items))
    return Markup("".join(html))


def source_of(value: str | None) -> str:
    """The share source a supporter came by, if it is a valid one (`source_problem`);
    else nothing: a link that carries anything else is counted without a source."""
    return value if isinstance(value, str) and source_problem(value) is None else ""


def _strip(value: str | None) -> str | None:
    """Trim spaces around a typed value."""
    return value.strip() if isinstance(value, str) else value


class LetterForm(FlaskForm):  # type: ignore[misc]
    """Country, signature, recipients and the letter itself.

    No CSRF token: the page must be the same bytes for everyone (views.py), and nothing a
    post does needs one. A post only renders a letter; counting takes a signed single-use
    token; and a cross-site post is refused by its origin (security.py).
    """

    class Meta:
        csrf = False

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
    subject = StringField(_l("Subject"), filters=[_strip], validators=[RuleCheck(RULES["subject"])])
    letter = TextAreaField(_l("Your letter (you may edit it)"),
                           validators=[RuleCheck(RULES["letter"])])
    base = HiddenField()  # the letter as the page last filled it in: tells edits apart
    routed = HiddenField()  # which place the ticked recipients were listed for
    letter_language = SelectField(_l("Language of your letter"), validate_choice=False,
                                  widget=CachedSelect())
    offered = HiddenField()  # the subject the page offered: left as it is, a random one is used
    src = HiddenField(filters=[source_of])  # the share channel that brought the supporter
    count_token = HiddenField()  # counts this page's first send once (see tokens.py)

    def set_places(self, contacts: Contacts, suggested: tuple[str, ...],
                   cache: RenderCache) -> None:
        """Offer every country in contacts.yaml (the suggested ones first), and the regions
        (or missions) of those countries where the answer changes who receives the letter.

        The lists are the same for everyone reading the language: kept in the data's cache
        (dropped when contacts.yaml changes), each is sorted and named once, not per request.
        """
        self.contacts = contacts
        countries = (self.country.data,) if self.country.data in contacts.countries \
            else tuple(contacts.countries)
        locale = str(get_locale())
        self.country.choices = cache.get(("country_choices", locale, suggested),
                                         lambda: country_choices(contacts, suggested))
        self.region.choices = cache.get(("region_choices", locale, countries),
                                        lambda: region_choices(contacts, countries))

    def set_languages(self, letter: Letter, page_language: str) -> None:
        """Offer the languages the letter is written in; the page's by default, where the
        letter has it, else the original's."""
        self.letter_language.choices = [(code, language_name(code)) for code in letter.languages]
        if self.letter_language.data not in letter.languages:
            self.letter_language.data = (page_language if page_language in letter.languages
                                         else letter.language)

    def asks_address(self) -> bool:
        """Whether the supporter's place asks them for the address of a mission."""
        return asked(self.contacts, self.country.data or "", self.region.data or "").address

    def validate_country(self, field: Any) -> None:
        """A country from the list, or 'another country'."""
        if not field.data:
            raise ValidationError(MESSAGES["country"])
        if field.data != OTHER and field.data not in self.contacts.countries:
            raise ValidationError(MESSAGES["country_unknown"])

    def validate_region(self, field: Any) -> None:
        """An answer from the list, where the country's answer matters."""
        country = self.contacts.countries.get(self.country.data or "")
        if not country or not country.choices or field.data in country.choices:
            return
        if field.data or country.by_region:
            raise ValidationError(MESSAGES["region"])

    def validate_extra_to(self, field: Any) -> None:
        """An optional address, where no mission in the supporter's country publishes one,
        checked for syntax. Elsewhere the field is not shown, and what it holds is not used."""
        if self.asks_address() and (problem := address_problem(field.data or "")):
            raise ValidationError(problem)


def country_choices(contacts: Contacts, suggested: tuple[str, ...]) -> Groups:
    """The country select: a prompt, the suggested countries, every country in the reader's
    order, and 'another country' for places with no Chinese mission."""
    names = in_order((code, country_name(code)) for code in contacts.countries)
    first = tuple((code, country_name(code)) for code in suggested if code in contacts.countries)
    return tuple(group for group in (
        ("", (("", gettext("Choose your country")),)),
        (str(MESSAGES["suggested"]), first),
        (gettext("All countries"), tuple(names)),
        ("", ((OTHER, gettext("Another country (no Chinese embassy there)")),)),
    ) if group[1])


def region_choices(contacts: Contacts, countries: tuple[str, ...]) -> Groups:
    """The region select: for each country whose answer matters, its regions (or the cities of
    its missions, the embassy first), under the country's name."""
    only = contacts.countries[countries[0]] if len(countries) == 1 else None
    prompt = () if only and not only.by_region else (("", str(MESSAGES["region_prompt"])),)
    groups: list[tuple[str, Choices]] = [("", prompt)]
    for code in countries:
        country = contacts.countries[code]
        if not country.choices:
            continue
        if country.by_region:
            options = in_order((r, region_name(code, r)) for r in country.choices)
        else:
            embassy, *others = country.choices
            options = [(embassy, _cities(contacts, country, embassy, gettext(
                "%(city)s (the embassy)")))]
            options += in_order((k, _cities(contacts, country, k)) for k in others)
        groups.append((country_name(code) if len(countries) > 1 else "", tuple(options)))
    return tuple(groups)


def _cities(contacts: Contacts, country: Country, answer: str, label: str = "%(city)s") -> str:
    """The city of a mission the page offers (labelled), then those of the missions it stands
    for: "Bangkok (the embassy), Chiang Mai, or Phuket"."""
    others = [mission_city(contacts.recipients[key]) for key in country.also.get(answer, ())]
    return or_list([label % {"city": mission_city(contacts.recipients[answer])}, *others])
