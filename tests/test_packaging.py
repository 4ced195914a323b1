"""pyproject.toml: the package ships every file the app reads, in a way setuptools does not
warn about (no "Package 'campaign.static' is absent" blocks, no deprecated license table)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from campaign import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGE = ROOT / "campaign"


def test_the_license_is_an_spdx_string_and_setuptools_takes_it() -> None:
    assert PROJECT["project"]["license"] == "MIT"
    assert PROJECT["build-system"]["requires"] == ["setuptools>=77"]


def test_every_data_folder_is_a_package_setuptools_finds() -> None:
    found = PROJECT["tool"]["setuptools"]["packages"]["find"]
    assert found["namespaces"] is True and found["include"] == ["campaign*"]


def test_every_file_the_app_reads_is_package_data() -> None:
    data = PROJECT["tool"]["setuptools"]["package-data"]
    for folder in ("templates", "static", "translations"):
        patterns = data[f"campaign.{folder}"]
        files = [p.relative_to(PACKAGE / folder).as_posix()
                 for p in (PACKAGE / folder).rglob("*") if p.is_file()
                 and "__pycache__" not in p.parts and p.suffix != ".mo"]
        assert files, folder
        missing = [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)]
        assert missing == [], folder
