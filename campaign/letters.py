"""Campaign letters: files in letters/, a YAML front matter and a Jinja2 body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment

from .datafile import DataError, Mapping, Problem, Reader, Sequence, read_text
from .links import X_LIMIT, x_length

# The body is rendered once with these markers in place of the supporter's words, and the
# markers are replaced per supporter, in Python and identically in the browser: a supporter's
# text never passes through Jinja, and both sides produce the same letter byte for byte.
MARKERS = {"name": "\ue000", "city": "\ue001", "own_words": "\ue002"}
PLACEHOLDERS = tuple(MARKERS)
SUBJECT_MAX = 150
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
LETTER_SUFFIX = ".txt"
FRONT_FIELDS = {"title", "description", "salutation", "subjects", "default", "ends",
                "post", "post_short", "goal"}
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

    def path(self, slug: str) -> str:
        """A letter's public path: '/' for the default letter, '/<slug>/' for the others."""
        return "/" if slug == self.default_slug else f"/{slug}/"


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
    for field, marker in MARKERS.items():
        text = text.replace(marker, normalize_text(getattr(signature, field)))
    return normalize_text(text)


def parse_letter(text: str, path: str, slug: str) -> tuple[Letter | None, list[Problem]]:
    """Parse one letter file; return the letter (None on errors) and every problem."""
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
    letter = _read_front(reader, front, slug, skeleton or "")
    reader.line_offset = 0
    problems = sorted(reader.problems, key=lambda p: p.line)
    if skeleton is None or reader.failed:
        return None, problems
    return letter, problems


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


def _read_front(reader: Reader, front: Mapping, slug: str, body: str) -> Letter | None:
    """Check the front matter and build the letter from it and the rendered body."""
    reader.unknown_keys(front, FRONT_FIELDS, "the front matter")
    what = "the front matter"
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
                  goal=goal)


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
    """Parse every letter file in a directory; return the letters and every problem."""
    folder = Path(directory)
    problems: list[Problem] = []
    found: dict[str, Letter] = {}
    files = sorted(folder.glob(f"*{LETTER_SUFFIX}")) if folder.is_dir() else []
    if not files:
        return None, [Problem(str(folder), 1, f"no letters: add a file ending in "
                              f"{LETTER_SUFFIX} to this folder")]
    for path in files:
        slug = path.name[: -len(LETTER_SUFFIX)]
        if not SLUG.fullmatch(slug):
            problems.append(Problem(str(path), 1, f"the file name {slug!r} is the letter's "
                                    "address: use lower-case letters, digits and -"))
            continue
        try:
            text = read_text(path)
        except DataError as exc:
            problems += exc.problems
            continue
        letter, letter_problems = parse_letter(text, str(path), slug)
        problems.extend(letter_problems)
        if letter is not None:
            found[slug] = letter
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


def load_letters(directory: str | Path) -> Letters:
    """Read every letter; raise DataError naming file and line if any is broken."""
    letters, problems = parse_letters(directory)
    if letters is None:
        raise DataError([p for p in problems if not p.warning])
    return letters
