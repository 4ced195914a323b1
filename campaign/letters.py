"""Campaign letters: files in letters/, a YAML front matter and a Jinja2 body."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
import jinja2.meta
from babel import Locale, UnknownLocaleError
from jinja2.sandbox import SandboxedEnvironment

from .datafile import DataError, Mapping, Problem, Reader, Sequence, read_text
from .links import X_LIMIT, x_length

# The body is rendered once with these markers in place of the supporter's words, and the
# markers are replaced per supporter, in Python and identically in the browser: a supporter's
# text never passes through Jinja, and both sides produce the same letter byte for byte.
MARKERS = {"name": "\ue000", "city": "\ue001", "own_words": "\ue002"}
PLACEHOLDERS = tuple(MARKERS)
SUBJECT_MAX = 150
SLUG_MAX = 63  # the longest letter slug: a file name, an address, and a count's key
SLUG = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{SLUG_MAX - 1}}}")
LETTER_SUFFIX = ".txt"
FRONT_FIELDS = {"title", "description", "salutation", "subjects", "default", "ends",
                "post", "post_short", "goal", "language"}
# A translation has its own words, and says which version of the original it was made from.
TRANSLATION_FIELDS = {"language", "original", "reviewed", "title", "description",
                      "salutation", "subjects", "post", "post_short"}
ORIGINAL_LANGUAGE = "en"  # an original letter's language unless its front matter names one
FINGERPRINT = re.compile(r"[0-9a-f]{12}")
_env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                            keep_trailing_newline=True)


@dataclass(frozen=True)
class Signature:
    """What a supporter adds to a letter: who and where they are, and a sentence of theirs."""

    name: str = ""
    city: str = ""
    own_words: str = ""


@dataclass(frozen=True)
class Letter:
    """One campaign letter, parsed and ready to compose."""

    slug: str
    title: str
    description: str
    salutation: str
    subjects: tuple[str, ...]
    skeleton: str  # salutation and body, with MARKERS where the supporter's words go
    default: bool = False
    ends: dt.date | None = None
    post: str | None = None
    post_short: str | None = None
    goal: int | None = None
    language: str = ORIGINAL_LANGUAGE  # its code, as URLs spell it: en, ko, zh-hans
    fingerprint: str = ""  # of the file's text: what a translation says it was made from
    original: str | None = None  # a translation: the fingerprint of the original it was made from
    reviewed: bool = True  # a translation: read and approved by a native speaker
    translations: dict[str, Letter] = field(default_factory=dict, compare=False)

    @property
    def languages(self) -> list[str]:
        """The languages the letter can be sent in: the original's first."""
        return [self.language, *self.translations]

    def in_language(self, code: str) -> Letter:
        """The letter in a language, where it has been translated; else the original."""
        return self.translations.get(code, self)

    def compose(self, signature: Signature) -> str:
        """The letter signed by one supporter."""
        return compose_letter(self.skeleton, signature)

    def is_open(self, today: dt.date) -> bool:
        """Whether supporters can still send this letter."""
        return self.ends is None or today <= self.ends


@dataclass(frozen=True)
class Letters:
    """Every letter in letters/, by slug, and which one `/` shows."""

    by_slug: dict[str, Letter]
    default_slug: str

    @property
    def default(self) -> Letter:
        """The letter shown at the site's root."""
        return self.by_slug[self.default_slug]

    def path(self, slug: str, language: str | None = None) -> str:
        """A letter's public path: '/' for the default letter, '/<slug>/' for the others; in
        a language, under its code: '/ko/', '/ko/<slug>/'. Without one, the page follows the
        reader's browser."""
        prefix = f"/{language}" if language else ""
        return f"{prefix}/" if slug == self.default_slug else f"{prefix}/{slug}/"


def normalize_text(text: str) -> str:
    """Line breaks as LF, no trailing spaces, at most one blank line in a row, no outer blanks.

    campaign.js has the same function; both must stay identical.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip(" \t") for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def compose_letter(skeleton: str, signature: Signature) -> str:
    """Put a supporter's words into a letter skeleton (see MARKERS)."""
    text = skeleton
    for name, marker in MARKERS.items():
        text = text.replace(marker, normalize_text(getattr(signature, name)))
    return normalize_text(text)


RESIGN_CONTEXT = 40  # characters on each side that place a signature's change in a letter


def resign(edited: str, old: str, new: str) -> str | None:
    """A letter the supporter edited, signed anew: where the letter as composed changed from
    `old` to `new` (a new name, city or sentence), the same change made in `edited`, provided
    they left that part, and the lines around it, as it was; else None.

    campaign.js has the same function; both must stay identical.
    """
    if old == new:
        return edited
    start, most = 0, min(len(old), len(new))
    while start < most and old[start] == new[start]:
        start += 1
    end = 0
    while end < most - start and old[-1 - end] == new[-1 - end]:
        end += 1
    before = old[max(0, start - RESIGN_CONTEXT):start]
    after = old[len(old) - end:len(old) - end + RESIGN_CONTEXT]
    was = before + old[start:len(old) - end] + after
    if not was or edited.count(was) != 1:
        return None
    return normalize_text(edited.replace(was, before + new[start:len(new) - end] + after))


def fingerprint(text: str) -> str:
    """A short fingerprint of a letter file's text."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def parse_letter(text: str, path: str, slug: str, language: str | None = None) -> tuple[
    Letter | None, list[Problem]
]:
    """Parse one letter file (a translation, if language is given); return the letter (None
    on errors) and every problem."""
    reader = Reader(path)
    front_text, body, body_line = _split_front_matter(reader, text)
    if front_text is None:
        return None, reader.problems
    reader.line_offset = 1  # the front matter starts after the first "---" line
    parsed = reader.load_yaml(front_text) if front_text.strip() else None
    front = None if reader.failed else reader.mapping(parsed, 0, "the front matter")
    reader.line_offset = 0
    if front is None:
        return None, reader.problems
    front.owner_line = 0  # "the front matter has no ..." points at its opening "---"
    skeleton = _render_skeleton(reader, body, body_line)
    reader.line_offset = 1
    letter = _read_front(reader, front, slug, skeleton or "", language)
    reader.line_offset = 0
    problems = sorted(reader.problems, key=lambda p: p.line)
    if skeleton is None or reader.failed or letter is None:
        return None, problems
    return replace(letter, fingerprint=fingerprint(text)), problems


def _split_front_matter(reader: Reader, text: str) -> tuple[str | None, str, int]:
    """Split '---' front matter from the body; return front, body and the body's first line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        reader.error(1, "a letter starts with a '---' line, then its front matter "
                     "(title, description, salutation, subjects), then '---' and the letter")
        return None, "", 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    reader.error(1, "the front matter is never closed: add a '---' line before the letter")
    return None, "", 1


def _read_front(reader: Reader, front: Mapping, slug: str, body: str,
                translation: str | None) -> Letter | None:
    """Check the front matter and build the letter from it and the rendered body."""
    what = "the front matter"
    reader.unknown_keys(front, TRANSLATION_FIELDS if translation else FRONT_FIELDS, what)
    language = _read_language(reader, front, translation)
    original, reviewed = _read_translation(reader, front) if translation else (None, True)
    title = reader.text(front, "title", what)
    description = reader.text(front, "description", what)
    salutation = reader.text(front, "salutation", what)
    post = reader.text(front, "post", what, required=False)
    post_short = reader.text(front, "post_short", what, required=False)
    subjects = _read_subjects(reader, front)
    _check_posts(reader, front, post, post_short)
    default = front.get("default", False)
    if not isinstance(default, bool):
        reader.error(front.lines["default"], "'default' must be true or false")
    ends = front.get("ends")
    if ends is not None and not isinstance(ends, dt.date):
        reader.error(front.lines["ends"], "'ends' must be a date: YYYY-MM-DD")
    goal = front.get("goal")
    if goal is not None and (not isinstance(goal, int) or isinstance(goal, bool) or goal < 1):
        reader.error(front.lines["goal"], "'goal' must be a whole number of letters, like 10000")
    if title is None or description is None or salutation is None or not subjects:
        return None
    return Letter(slug=slug, title=title, description=description, salutation=salutation,
                  subjects=subjects, skeleton=normalize_text(f"{salutation}\n\n{body}"),
                  default=default is True, ends=ends, post=post, post_short=post_short,
                  goal=goal, language=language, original=original, reviewed=reviewed)


def language_code(tag: str) -> str | None:
    """A language tag as URLs spell it (zh-Hans: zh-hans), if Babel knows the language."""
    try:
        Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    return tag.replace("_", "-").lower()


def _read_language(reader: Reader, front: Mapping, translation: str | None) -> str:
    """A letter's language: a translation's must match its file name."""
    value = front.get("language", ORIGINAL_LANGUAGE if translation is None else None)
    code = language_code(value) if isinstance(value, str) else None
    line = front.lines.get("language", front.owner_line)
    if code is None:
        reader.error(line, f"'language' must be a language tag like ko, ja or zh-Hans, not "
                     f"{value!r}")
        return translation or ORIGINAL_LANGUAGE
    if translation is not None and code != translation:
        reader.error(line, f"'language' is {value!r} but the file name says {translation!r}: "
                     "make them the same")
    return code


def _read_translation(reader: Reader, front: Mapping) -> tuple[str | None, bool]:
    """Which version of the original a translation was made from, and whether a native
    speaker has reviewed it."""
    original = front.get("original")
    if not isinstance(original, str) or not FINGERPRINT.fullmatch(original):
        reader.error(front.lines.get("original", front.owner_line),
                     "'original' must be the fingerprint of the original letter this was "
                     "translated from (campaign check prints it), like 3f2a9c1b7d4e")
        original = None
    reviewed = front.get("reviewed", False)
    if not isinstance(reviewed, bool):
        reader.error(front.lines["reviewed"], "'reviewed' must be true or false")
        reviewed = False
    return original, reviewed


def _check_posts(reader: Reader, front: Mapping, post: str | None, post_short: str | None) -> None:
    """The post for X must fit, with the campaign link, in X's 280; else keep a short one."""
    if post_short is not None and (length := x_length(post_short)) > X_LIMIT:
        reader.error(front.lines["post_short"], f"post_short is {length} of X's {X_LIMIT} "
                     "characters with the link (a link counts 23, CJK characters 2): shorten it")
    if post is not None and post_short is None and (length := x_length(post)) > X_LIMIT:
        reader.error(front.lines["post"], f"post is {length} of X's {X_LIMIT} characters with "
                     "the link: add a post_short that fits (write it from the long one)")


def _read_subjects(reader: Reader, front: Mapping) -> tuple[str, ...]:
    """Read the subject lines, one of which each supporter gets."""
    value = front.get("subjects")
    line = front.lines.get("subjects", front.line)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        reader.error(line, "'subjects' must be a list of subject lines; add several, so the "
                     "letters do not all arrive identical")
        return ()
    subjects = []
    lines = value.lines if isinstance(value, Sequence) else [line] * len(value)
    for index, subject in enumerate(value):
        line = lines[index]
        if not isinstance(subject, str) or not subject.strip():
            reader.error(line, f"subject {index + 1} must be text")
        elif len(subject.strip()) > SUBJECT_MAX:
            reader.error(line, f"subject {index + 1} is {len(subject.strip())} "
                         f"characters; keep it within {SUBJECT_MAX}")
        elif "\n" in subject.strip():
            reader.error(line, f"subject {index + 1} must be one line")
        else:
            subjects.append(subject.strip())
    return tuple(subjects)


def _render_skeleton(reader: Reader, body: str, body_line: int) -> str | None:
    """Render the Jinja2 body with markers; record syntax errors and unknown placeholders."""
    if not body.strip():
        reader.error(body_line, "the letter has no text after the front matter")
        return None
    try:
        parsed = _env.parse(body)
    except jinja2.TemplateSyntaxError as exc:
        reader.error(body_line + (exc.lineno or 1) - 1, f"template error: {exc.message}")
        return None
    unknown = sorted(jinja2.meta.find_undeclared_variables(parsed) - set(PLACEHOLDERS))
    for name in unknown:
        line = next((i for i, text in enumerate(body.split("\n")) if name in text), 0)
        allowed = ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS)
        reader.error(body_line + line, f"unknown placeholder {name!r}; the letter can use "
                     f"{allowed}")
    if unknown:
        return None
    try:
        return _env.from_string(body).render(**MARKERS)
    except jinja2.TemplateError as exc:
        reader.error(body_line, f"the letter cannot be rendered: {exc}")
        return None


def parse_letters(directory: str | Path) -> tuple[Letters | None, list[Problem]]:
    """Parse every letter file in a directory, originals (`<slug>.txt`) and translations
    (`<slug>.<language>.txt`); return the letters and every problem."""
    folder = Path(directory)
    problems: list[Problem] = []
    found: dict[str, Letter] = {}
    files = sorted(folder.glob(f"*{LETTER_SUFFIX}")) if folder.is_dir() else []
    if not files:
        return None, [Problem(str(folder), 1, f"no letters: add a file ending in "
                              f"{LETTER_SUFFIX} to this folder")]
    translations: list[tuple[Path, str, str]] = []
    originals = {path.name[: -len(LETTER_SUFFIX)] for path in files}
    for path in files:
        slug, _dot, tag = path.name[: -len(LETTER_SUFFIX)].partition(".")
        if tag:
            translations.append((path, slug, tag))
            continue
        if not SLUG.fullmatch(slug) or language_code(slug):
            why = ("it looks like a language code, and /" + slug + "/ means that language"
                   if SLUG.fullmatch(slug) else "use lower-case letters, digits and -")
            problems.append(Problem(str(path), 1, f"the file name {slug!r} is the letter's "
                                    f"address: {why}"))
            continue
        letter = _parse_file(path, slug, None, problems)
        if letter is not None:
            found[slug] = letter
    for path, slug, tag in translations:
        code = language_code(tag)
        if slug not in found:
            if slug not in originals:  # a broken original has errors of its own
                problems.append(Problem(str(path), 1, f"a translation of {slug}"
                                        f"{LETTER_SUFFIX}, which is not a letter here"))
            continue
        if code is None or code == found[slug].language:
            problems.append(Problem(str(path), 1, f"{tag!r} in the file name must be the "
                                    "translation's language tag, like ko, ja or zh-Hans"))
            continue
        translation = _parse_file(path, slug, code, problems)
        if translation is not None:
            problems += _translation_warnings(path, translation, found[slug])
            found[slug].translations[code] = translation
    defaults = [slug for slug, letter in found.items() if letter.default]
    if len(defaults) > 1:
        problems.append(Problem(str(folder), 1, "several letters say default: true "
                                f"({', '.join(defaults)}); keep one"))
    if any(not p.warning for p in problems) or not found:
        return None, problems
    default_slug = defaults[0] if defaults else next(iter(found))
    if not defaults and len(found) > 1:
        problems.append(Problem(str(folder), 1, "several letters and none says default: true; "
                                f"'/' shows {default_slug}", warning=True))
    return Letters(found, default_slug), problems


def _parse_file(path: Path, slug: str, language: str | None,
                problems: list[Problem]) -> Letter | None:
    """Read and parse one letter file, adding its problems."""
    try:
        text = read_text(path)
    except DataError as exc:
        problems += exc.problems
        return None
    letter, letter_problems = parse_letter(text, str(path), slug, language)
    problems.extend(letter_problems)
    return letter


def _translation_warnings(path: Path, translation: Letter, original: Letter) -> list[Problem]:
    """What organizers should know about a translation: not reviewed yet, or made from
    another version of the original."""
    text = path.read_text(encoding="utf-8").split("\n")

    def line_of(key: str) -> int:
        return next((i for i, line in enumerate(text, 1) if line.startswith(f"{key}:")), 1)

    found = []
    if not translation.reviewed:
        found.append(Problem(str(path), line_of("reviewed"), "this translation is not reviewed "
                             "yet: have a native speaker read it whole, then set reviewed: true",
                             warning=True))
    if translation.original != original.fingerprint:
        found.append(Problem(str(path), line_of("original"), "this translation was made from "
                             f"another version of {original.slug}{LETTER_SUFFIX} (fingerprint "
                             f"{translation.original}, now {original.fingerprint}): bring it up "
                             f"to date, then set original: {original.fingerprint}", warning=True))
    return found


def load_letters(directory: str | Path) -> Letters:
    """Read every letter; raise DataError naming file and line if any is broken."""
    letters, problems = parse_letters(directory)
    if letters is None:
        raise DataError([p for p in problems if not p.warning])
    return letters
