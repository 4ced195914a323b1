"""Reading the YAML that organizers edit by hand, keeping the line of every key."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, where it is and how to fix it."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class DataError(Exception):
    """A contacts or letter file is broken; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def relative_to(self, folder: str) -> str:
        """The problems with each file named relative to folder: what the public may see."""
        return "\n".join(str(replace(p, path=os.path.relpath(p.path, folder)))
                         for p in self.problems)


def read_text(path: str | Path) -> str:
    """A data file's text; DataError naming the file if it cannot be read as UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DataError([Problem(str(path), 1, f"cannot read the file: {why}")]) from exc


class MarkedMapping(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 1
    lines: dict[Any, int]
    owner_line: int = 1  # the line of the key this mapping is the value of


# libyaml's parser where PyYAML was built with it: several times faster on a large file.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader that records lines and duplicate keys instead of dropping them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, Any]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> MarkedMapping:
    """Build a MarkedMapping, noting every key's line and every key given twice."""
    loader.flatten_mapping(node)
    mapping = MarkedMapping()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            seen = key in mapping
        except TypeError:  # a list or mapping used as a key
            key, seen = str(key), key in mapping
        if seen:
            loader.duplicates.append((line, key))
        value = loader.construct_object(value_node, deep=True)
        if isinstance(value, MarkedMapping):
            value.owner_line = line
        mapping[key] = value
        mapping.lines[key] = line
    return mapping


class MarkedSequence(list[Any]):
    """A YAML list that remembers the line of each item."""

    lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> MarkedSequence:
    """Build a MarkedSequence, noting every item's line."""
    sequence = MarkedSequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,
)


@dataclass
class Reader:
    """Collects the problems of one file while it is read."""

    path: str
    line_offset: int = 0
    problems: list[Problem] = field(default_factory=list)
    declared: set[Any] = field(default_factory=set)  # ids seen, even if their entry is broken

    def error(self, line: int, message: str) -> None:
        """Record an error at a line of the part being read."""
        self.problems.append(Problem(self.path, line + self.line_offset, message))

    def warn(self, line: int, message: str) -> None:
        """Record a warning at a line of the part being read."""
        self.problems.append(Problem(self.path, line + self.line_offset, message, warning=True))

    @property
    def failed(self) -> bool:
        """Whether any error (not a warning) was recorded."""
        return any(not p.warning for p in self.problems)

    def load_yaml(self, text: str) -> Any:
        """Parse YAML text; on a syntax error record it and return None."""
        loader = _LineLoader(text)
        try:
            return loader.get_single_data()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            what = exc.problem or "not valid YAML"
            self.error(line, f"YAML syntax error: {what}; check the indentation and quotes")
            return None
        except yaml.YAMLError as exc:
            self.error(1, f"YAML syntax error: {exc}")
            return None
        finally:
            for line, key in loader.duplicates:
                self.error(line, f"{key!r} is given twice; keep one")
            loader.dispose()

    def mapping(self, value: Any, line: int, what: str) -> MarkedMapping | None:
        """Return value if it is a mapping, else record that it should be one."""
        if isinstance(value, MarkedMapping):
            return value
        self.error(line, f"{what} must be a mapping of keys to values")
        return None

    def unknown_keys(self, mapping: MarkedMapping, allowed: set[str], what: str) -> None:
        """Record every key of mapping that is not allowed."""
        for key in mapping:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.error(mapping.lines[key],
                           f"unknown key {key!r} in {what}; known keys: {known}")

    def text(self, mapping: MarkedMapping, key: str, what: str,
             required: bool = True) -> str | None:
        """Return a non-empty one-line string under key, recording what is wrong with it."""
        if key not in mapping or mapping[key] is None:
            if required:
                self.error(mapping.owner_line, f"{what} has no {key!r}; add one")
            return None
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            self.error(mapping.lines[key], f"{key!r} of {what} must be text; put it in quotes")
            return None
        return value.strip()
