"""The interface's translations: gettext catalogs, read from their .po files like the data.

Translators edit `campaign/translations/<locale>/LC_MESSAGES/messages.po` (made from
`messages.pot`, which `make messages` extracts from the code). The catalogs are read and
checked at start-up and whenever one changes (reloading.py): a broken one is named with its line
by `campaign check` and in /healthz, and the site keeps serving the last good translations.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from ..settings import PACKAGE
from .yamlfile import DataError, Problem

FOLDER = PACKAGE / "translations"
TEMPLATE = FOLDER / "messages.pot"
NAMED = re.compile(r"%\(([^)]+)\)")  # a named placeholder: %(num)s
OFTEN = 5  # a plural form used for more values of n than this (in 0..1000) must say n


def catalog_files(folder: Path | None = None) -> list[Path]:
    """Every language's catalog."""
    return sorted((folder or FOLDER).glob("*/LC_MESSAGES/messages.po"))


def parse_catalog(path: Path, template: Catalog | None = None) -> tuple[Catalog | None,
                                                                        list[Problem]]:
    """Read one catalog; return it (None if it cannot be used) and every problem: errors for
    what breaks it, warnings for messages not translated yet or marked fuzzy."""
    locale = path.parent.parent.name
    problems: list[Problem] = []
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
    except (PoFileError, OSError, ValueError) as exc:
        line = getattr(exc, "lineno", 1) or 1
        return None, [Problem(str(path), line, f"not a readable catalog: {exc}")]
    wrong = [(message, str(error)) for message, errors in catalog.check() for error in errors]
    wrong += [(message, error) for message in catalog
              for error in dropped_placeholders(catalog, message)]
    for message, error in wrong:
        problems.append(Problem(str(path), message.lineno or 1, f"the translation of "
                                f"{_shown(message.id)} is wrong: {error}"))
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(Problem(str(path), message.lineno or 1,
                                    f"{_shown(message.id)} is marked fuzzy: check the "
                                    "translation, then remove the flag", warning=True))
        elif not all(message.string if isinstance(message.string, tuple)
                     else [message.string]):
            problems.append(Problem(str(path), message.lineno or 1, f"{_shown(message.id)} is not "
                                    "translated yet", warning=True))
    if template is not None:
        missing = [m for m in template if m.id and m.id not in catalog]
        for message in missing:
            problems.append(Problem(str(path), 1, f"{_shown(message.id)} is missing: run make "
                                    "messages to bring the catalog up to date", warning=True))
    failed = any(not p.warning for p in problems)
    return (None if failed else catalog), problems


def dropped_placeholders(catalog: Catalog, message: Message) -> Iterator[str]:
    """What `msgfmt --check` finds that Babel's checks do not: a named placeholder of the
    original left out of its translation. A plural form may leave out what it stands for only
    where it is used for a few numbers (the French singular for 0 and 1, the Arabic "two"); a
    form used for many numbers (the only Chinese one, the Russian "one" of 1, 21, 31...) must
    say which number, as msgfmt holds."""
    if not message.id or not message.string:
        return
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else \
        (message.string,)
    plural = isinstance(message.id, (list, tuple))
    uses = _form_uses(catalog.plural_expr, catalog.num_plurals) if plural else {}
    for index, text in enumerate(strings):
        if not text:
            continue
        original = ids[-1]  # every form says what the plural does
        if plural and uses.get(index, 0) <= OFTEN:
            continue  # a form for a few numbers may name them in words
        for name in sorted(set(NAMED.findall(original)) - set(NAMED.findall(text))):
            where = f" (its plural form {index})" if plural else ""
            yield f"%({name})s is missing from the translation{where}: put it back"


def _form_uses(expression: str, forms: int) -> dict[int, int]:
    """How many of the numbers 0 to 1000 each plural form is used for."""
    rule = gettext.c2py(expression)
    uses: dict[int, int] = {}
    for n in range(1001):
        form = rule(n)
        if 0 <= form < forms:
            uses[form] = uses.get(form, 0) + 1
    return uses


def _shown(msgid: str | tuple[str, ...] | list[str]) -> str:
    """A message as a problem names it: its first words."""
    text = msgid if isinstance(msgid, str) else msgid[0]
    return repr(text if len(text) <= 50 else text[:47] + "...")


def translations_of(catalog: Catalog) -> Translations:
    """A catalog as gettext translations, without a compiled .mo file on disk."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    out.seek(0)
    return Translations(fp=out)


def load_catalogs(folder: Path | None = None) -> dict[str, Translations]:
    """Every catalog as translations, by locale; DataError naming file and line if broken."""
    folder = folder or FOLDER
    template = _template(folder)
    found, errors = {}, []
    for path in catalog_files(folder):
        catalog, problems = parse_catalog(path, template)
        errors += [p for p in problems if not p.warning]
        if catalog is not None:
            found[path.parent.parent.name] = translations_of(catalog)
    if errors:
        raise DataError(errors)
    return found


def check_catalogs(folder: Path | None = None) -> list[Problem]:
    """Every problem in the catalogs, for `campaign check`."""
    folder = folder or FOLDER
    template = _template(folder)
    return [p for path in catalog_files(folder) for p in parse_catalog(path, template)[1]]


def _template(folder: Path) -> Catalog | None:
    """The messages the code asks for (messages.pot), if it is there."""
    template = folder / TEMPLATE.name
    if not template.exists():
        return None
    with template.open("rb") as handle:
        return read_po(handle)


