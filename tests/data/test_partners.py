"""Partners: contacts.yaml's `partners:`, parsed once into typed objects, every mistake named
by file and line, and checked by `campaign check`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from support import TEST_DATA

from campaign.cli.main import main
from campaign.data.contactsfile import load_contacts, parse_contacts
from campaign.data.partners import LOGO_MAX, Partner
from campaign.data.yamlfile import DataError

# The test data's contacts.yaml with no partner: its partners: section left empty.
NO_PARTNERS = re.sub(r"\npartners:\n(?:  .*\n)+", "\npartners:\n",
                     (TEST_DATA / "contacts.yaml").read_text())


def png() -> bytes:
    """A small real PNG logo."""
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (11, 87, 164)).save(out, "PNG")
    return out.getvalue()


def with_partners(folder: Path, section: str) -> Path:
    """The test data's contacts.yaml in folder, with this partners: section (its lines follow
    the file's last line)."""
    path = folder / "contacts.yaml"
    path.write_text(NO_PARTNERS.replace("\npartners:\n", "\n") + section)
    return path


def line_of(path: Path, text: str) -> int:
    """The line of the first line of the partners: section holding text."""
    lines = path.read_text().splitlines()
    start = lines.index("partners:")
    return next(n for n, line in enumerate(lines[start:], start + 1) if text in line)


def test_partners_are_read_into_typed_objects(tmp_path: Path) -> None:
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "tp.png").write_bytes(png())
    path = with_partners(tmp_path, "partners:\n  test-partner:\n    name: Test Partner\n"
                         "    link: https://partner.example.org/\n    logo: logos/tp.png\n"
                         "  plain:\n    name: Plain Org\n    link: http://plain.example.net\n")
    partners = load_contacts(path).partners
    assert list(partners) == ["test-partner", "plain"]
    first = partners["test-partner"]
    assert isinstance(first, Partner)
    assert (first.key, first.name, first.link) == ("test-partner", "Test Partner",
                                                   "https://partner.example.org/")
    assert first.logo is not None and first.logo.mimetype == "image/png"
    assert first.logo.content == png() and len(first.logo.version) == 10
    assert partners["plain"].logo is None


BROKEN = [
    ("partners:\n  Big NGO:\n    name: X\n    link: https://x.example.org\n", "  Big NGO:",
     "partner key 'Big NGO' must be lower-case letters"),
    ("partners:\n  a-very-long-partner-key:\n    name: X\n    link: https://x.example.org\n",
     "  a-very-long", "at most 16 characters"),
    ("partners:\n  ngo:\n    link: https://x.example.org\n", "  ngo:",
     "partner 'ngo' has no 'name'"),
    ("partners:\n  ngo:\n    name: X\n    link: javascript:alert(1)\n", "    link:",
     "link 'javascript:alert(1)' of partner 'ngo' must be a link starting with https://"),
    ("partners:\n  ngo:\n    name: X\n    link: https://x.example.org\n    colour: red\n",
     "    colour:", "unknown key 'colour' in partner 'ngo'"),
    ("partners:\n  ngo:\n    name: X\n    link: https://x.example.org\n    logo: none.png\n",
     "    logo:", "logo 'none.png' of partner 'ngo' is not there"),
    ("partners:\n  ngo:\n    name: X\n    link: https://x.example.org\n"
     "    logo: ../outside.png\n", "    logo:", "must be a path inside the repository"),
    ("partners:\n  ngo:\n    name: X\n    link: https://x.example.org\n    logo: logo.gif\n",
     "    logo:", "must be a .jpeg, .jpg, .png, .svg, .webp file"),
    ("partners:\n  ngo:\n    name: X\n    link: https://x.example.org\n    logo: big.png\n",
     "    logo:", "is larger than 200 KB"),
    ("partners:\n  - ngo\n", "partners:", "'partners' must be a mapping"),
]


@pytest.mark.parametrize(("section", "at", "message"), BROKEN)
def test_a_broken_partner_is_named_by_file_line_and_key(tmp_path: Path, section: str, at: str,
                                                        message: str) -> None:
    (tmp_path / "outside.png").write_bytes(png())
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "logo.gif").write_bytes(b"GIF89a")
    (tmp_path / "data" / "big.png").write_bytes(b"\x89PNG" + b"0" * LOGO_MAX)
    path = with_partners(tmp_path / "data", section)
    with pytest.raises(DataError) as raised:
        load_contacts(path)
    first = raised.value.problems[0]
    assert (first.path, first.line) == (str(path), line_of(path, at))
    assert message in first.message


def test_campaign_check_reports_a_broken_partner(tmp_path: Path, runner: CliRunner) -> None:
    path = with_partners(tmp_path, "partners:\n  ngo:\n    name: X\n    link: x.example.org\n")
    result = runner.invoke(main, ["check", "--contacts", str(path),
                                  "--letters", str(TEST_DATA / "letters")])
    assert result.exit_code == 1
    assert f"{path}:{line_of(path, '    link:')}: link 'x.example.org' of partner 'ngo'" \
        in result.output


def test_an_empty_partners_section_is_no_partner() -> None:
    assert "\npartners:\n\nrecipients:" in NO_PARTNERS
    contacts, problems = parse_contacts(NO_PARTNERS, "contacts.yaml")
    assert contacts is not None and contacts.partners == {}
    assert not [p for p in problems if not p.warning]
