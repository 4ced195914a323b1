"""The layers hold: packages import only downwards, with no cycle, and nothing below the web
reads Flask; the README's map of the code matches the folders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from campaign import ROOT

PACKAGE = ROOT / "campaign"
# Each layer and what it may import, besides itself and the settings (campaign/settings.py).
LAYERS = {
    "data": set(),
    "i18n": {"data"},
    "compose": {"data", "i18n"},
    "counting": {"data", "compose"},
    "media": {"data", "i18n"},
    "web": {"data", "i18n", "compose", "counting", "media"},
    "cli": {"data", "i18n", "compose", "counting", "media", "web", "app"},
}
LOWER = ("data", "i18n", "compose", "counting", "media")
FLASK = re.compile(r"(flask|flask_babel|flask_wtf|werkzeug\.local)(\.|$)")


def module_of(path: Path) -> str:
    """A file's dotted module name."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Whether a dotted name is a module or package of this project."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function, as absolute names."""
    module = module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            modules = {f"{target}.{alias.name}" for alias in node.names
                       if is_module(f"{target}.{alias.name}")}
            # `from .pkg import m` imports the module m; `from .m import y`, the module m
            found |= modules or {target}
    return found


GRAPH = {module_of(path): {m for m in imports_of(path) if m.startswith("campaign")}
         for path in PACKAGE.rglob("*.py")}


def layer(module: str) -> str:
    """The package a module belongs to: web, data, ... (app and settings stand alone)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "campaign"


def test_no_module_imports_itself_in_a_circle() -> None:
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH:
                continue
            if seen.get(target) == 1:
                cycle = path[path.index(target):] + [target] if target in path else [module, target]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if target not in seen:
                visit(target, [*path, target])
        seen[module] = 2

    for module in sorted(GRAPH):
        if module not in seen:
            visit(module, [module])


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_a_layer_imports_only_the_layers_below_it(package: str) -> None:
    allowed = LAYERS[package] | {package, "settings", "campaign"}
    wrong = sorted(f"{module} imports {target}" for module, targets in GRAPH.items()
                   if layer(module) == package for target in targets
                   if layer(target) not in allowed)
    assert wrong == []


@pytest.mark.parametrize("package", LOWER)
def test_nothing_below_the_web_reads_flask(package: str) -> None:
    wrong = sorted(f"{module_of(path)} imports {name}"
                   for path in (PACKAGE / package).rglob("*.py")
                   for name in imports_of(path) if FLASK.match(name))
    assert wrong == []


def test_the_readme_maps_every_package_and_only_those() -> None:
    section = ROOT.joinpath("README.md").read_text().split("## How the code is laid out")[1]
    section = section.split("\n## ")[0]
    named = set(re.findall(r"^- `campaign/(\w+)/`", section, re.MULTILINE))
    folders = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert named == folders
