"""The interface's catalogs, checked as `msgfmt --check` checks them: a named placeholder a
translation drops is an error at its file and line, in every plural form used for many
numbers; one used for a few numbers may say them in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from campaign.cli.main import main
from campaign.data import catalogs
from campaign.data.catalogs import FOLDER, check_catalogs, load_catalogs
from campaign.data.yamlfile import DataError

ALMOST = 'msgid "Almost there: please check the field marked below."'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the catalogs, which the app and `campaign check` read instead."""
    copy = tmp_path / "translations"
    shutil.copytree(FOLDER, copy)
    monkeypatch.setattr(catalogs, "FOLDER", copy)
    return copy


def translate(folder: Path, locale: str, anchor: str, *forms: str) -> int:
    """Give a message of one catalog these translations; the line the message starts on."""
    path = folder / locale / "LC_MESSAGES" / "messages.po"
    text = path.read_text()
    start = text.index(anchor)
    end = text.index("\n\n", start)
    lines = text[start:end].split("\n")
    ids = [line for line in lines if not line.startswith("msgstr")]
    strings = [f'msgstr "{forms[0]}"'] if len(forms) == 1 and not any(
        line.startswith("msgstr[") for line in lines) else [
        f'msgstr[{index}] "{form}"' for index, form in enumerate(forms)]
    path.write_text(text[:start] + "\n".join(ids + strings) + text[end:])
    return text[:start].count("\n") + 1


def errors(folder: Path) -> list[tuple[str, int, str]]:
    return [(Path(p.path).parent.parent.name, p.line, p.message) for p in check_catalogs(folder)
            if not p.warning]


def test_the_shipped_catalogs_keep_every_placeholder() -> None:
    assert [str(p) for p in check_catalogs() if not p.warning] == []


def test_a_chinese_translation_that_drops_the_number_is_an_error(folder: Path) -> None:
    line = translate(folder, "zh_Hans", ALMOST, "就差一步了：请检查下方标出的内容。")
    assert errors(folder) == [("zh_Hans", line, (
        "the translation of 'Almost there: please check the field marked below.' is wrong: "
        "%(num)s is missing from the translation (its plural form 0): put it back"))]
    with pytest.raises(DataError):  # the site keeps its last good catalogs
        load_catalogs(folder)


@pytest.mark.parametrize(("locale", "forms", "wrong"), [
    # Russian "few" is 2-4, 22-24...: it must say which number
    ("ru", ("Почти готово: проверьте %(num)s поле ниже.", "Почти готово: проверьте поля ниже.",
            "Почти готово: проверьте %(num)s полей ниже."), 1),
    # the Russian "one" is 1, 21, 31...: "one field" would be wrong for 21
    ("ru", ("Почти готово: проверьте одно поле ниже.",
            "Почти готово: проверьте %(num)s поля ниже.",
            "Почти готово: проверьте %(num)s полей ниже."), 0),
    # the French plural is every number from 2 on
    ("fr", ("Presque fini : vérifiez le champ ci-dessous.",
            "Presque fini : vérifiez les champs ci-dessous."), 1),
])
def test_a_plural_form_for_many_numbers_must_say_which(folder: Path, locale: str,
                                                       forms: tuple[str, ...],
                                                       wrong: int) -> None:
    line = translate(folder, locale, ALMOST, *forms)
    assert errors(folder) == [(locale, line, (
        "the translation of 'Almost there: please check the field marked below.' is wrong: "
        f"%(num)s is missing from the translation (its plural form {wrong}): put it back"))]


@pytest.mark.parametrize(("locale", "forms"), [
    ("fr", ("Presque fini : vérifiez le champ ci-dessous.",  # 0 and 1
            "Presque fini : vérifiez les %(num)s champs ci-dessous.")),
    ("ar", ("لا حقول", "تحقق من الحقل المشار إليه أدناه.", "تحقق من الحقلين أدناه.",
            "تحقق من %(num)s حقول أدناه.", "تحقق من %(num)s حقلًا أدناه.",
            "تحقق من %(num)s حقل أدناه.")),  # zero, one and two name their number in words
])
def test_a_form_for_a_few_numbers_may_say_them_in_words(folder: Path, locale: str,
                                                        forms: tuple[str, ...]) -> None:
    translate(folder, locale, ALMOST, *forms)
    assert errors(folder) == []


def test_a_message_without_plural_must_keep_its_placeholders(folder: Path) -> None:
    anchor = 'msgid "Chinese Embassy, %(country)s"'
    line = translate(folder, "de", anchor, "Chinesische Botschaft")
    assert errors(folder) == [("de", line, (
        "the translation of 'Chinese Embassy, %(country)s' is wrong: %(country)s is missing "
        "from the translation: put it back"))]


def test_campaign_check_fails_naming_the_file_and_line(folder: Path) -> None:
    line = translate(folder, "zh_Hant", ALMOST, "就差一步了：請檢查下方標出的欄位。")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    wrong = [row for row in result.output.splitlines() if ": error: " in row or
             "missing from the translation" in row]
    assert len(wrong) == 1
    assert wrong[0].startswith(f"{folder}/zh_Hant/LC_MESSAGES/messages.po:{line}: ")
    assert "%(num)s is missing from the translation (its plural form 0)" in wrong[0]
