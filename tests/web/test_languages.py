"""Every page in every language: translations complete, nothing left in English, the language
kept by links, chosen from the browser, and named right for search engines and previews."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from support import (
    app_on,
    client_on,
    form_values,
    links_of,
    page,
    post_letter,
    script_data,
    second_letter,
    valid,
)
from support.pseudo import PSEUDO, pseudo_translations, untranslated

from campaign import ROOT, create_app
from campaign.cli.main import main
from campaign.compose.sendlinks import platform_of
from campaign.data import catalogs
from campaign.data.catalogs import FOLDER, TEMPLATE, catalog_files, check_catalogs
from campaign.i18n.languages import LANGUAGES, nearest


@pytest.fixture
def pseudo(data_copy: Path) -> Iterator[FlaskClient]:
    """The app with the pseudo-locale in place of French, on a copy of the data with a closed
    letter beside the open one."""
    second_letter(data_copy, "winter-appeal", ends="2020-01-31")  # after the open one: not '/'
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "CONTACTS": str(data_copy /
                      "contacts.yaml"), "LETTERS": str(data_copy / "letters")})
    app.extensions["campaign_data"].data.catalogs[PSEUDO] = pseudo_translations()
    yield app.test_client()


def every_page(client: FlaskClient) -> Iterator[tuple[str, str]]:
    """Every page a supporter or partner can see, in the pseudo-locale."""
    base = f"/{PSEUDO}/"
    slug = "stop-forced-repatriation"
    yield "arrival", client.get(base).get_data(as_text=True)
    yield "arrival, Brazil", client.get(base + "?country=BR").get_data(as_text=True)
    yield "arrival, Thailand", client.get(base + "?country=TH").get_data(as_text=True)
    yield "arrival, US", client.get(base + "?country=US").get_data(as_text=True)
    yield "form errors", post_letter(client, base, name="", city="<b>").get_data(as_text=True)
    ready = post_letter(client, base, **valid(own_words="x" * 900))
    yield "letter ready", ready.get_data(as_text=True)
    values = form_values(page(ready))
    yield "hand-off", client.post(f"{base}{slug}/go/gmail", data=values).get_data(as_text=True)
    yield "hand-off, too long", client.post(f"{base}{slug}/go/yahoo", data=values) \
        .get_data(as_text=True)
    yield "privacy", client.get(f"{base}privacy").get_data(as_text=True)
    yield "about", client.get(f"{base}about").get_data(as_text=True)
    yield "thanks", client.post(f"{base}{slug}/sent", data=values).get_data(as_text=True)
    yield "flyer", client.get(f"{base}{slug}/flyer").get_data(as_text=True)
    yield "embed", client.get(f"{base}embed/{slug}?country=KR").get_data(as_text=True)
    yield "impact", client.get(f"{base}impact").get_data(as_text=True)
    yield "print page", client.get(f"{base}{slug}/post?country=US").get_data(as_text=True)
    yield "printed letter", client.post(f"{base}{slug}/post", data=values).get_data(as_text=True)
    yield "blank letters", client.get(f"{base}{slug}/post/blank?country=US&region=DC") \
        .get_data(as_text=True)
    yield "closed letter", client.get(f"{base}winter-appeal/").get_data(as_text=True)
    yield "404", client.get(f"{base}no-such-letter/").get_data(as_text=True)
    yield "403", client.post(base, data=values, headers={"Sec-Fetch-Site": "cross-site"}) \
        .get_data(as_text=True)
    yield "415", client.post(base, json={}).get_data(as_text=True)


def test_every_page_has_every_word_translated(pseudo: FlaskClient) -> None:
    for name, html in every_page(pseudo):
        assert untranslated(html) == [], name


def test_the_script_gets_its_words_translated(pseudo: FlaskClient) -> None:
    data = script_data(pseudo, pseudo.get(f"/{PSEUDO}/"))
    words = [*data["form"]["messages"].values(), *data["messages"]["ready"], data["shortBody"],
             data["messages"]["reportLabel"], data["form"]["checking"]]
    words += [value for rule in data["form"]["rules"].values() for key, value in rule.items()
              if key in ("required", "too_long") and value]
    words += [value for kind in data["form"]["regions"].values() for value in kind.values()]
    words += [value for phrases in data["form"]["waiting"].values() for value in phrases if value]
    assert words and all(word.startswith("⟦") for word in words), words


def test_every_catalog_is_complete_with_nothing_fuzzy() -> None:
    assert [path.parent.parent.name for path in catalog_files()] == sorted(
        language.locale for language in LANGUAGES if language.code != "en")
    problems = check_catalogs()
    assert [str(p) for p in problems] == []


def test_the_catalog_template_holds_every_message_of_the_code() -> None:
    """messages.pot is what `make messages` extracts now: no string of a template or module is
    missing from it (a template that cannot be read would drop all of its own)."""
    method_map = [("campaign/**.py", "python"), ("campaign/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
                "_l": None, "N_": None, "_at_most": (1, 2)}
    extracted = {message[2] if isinstance(message[2], str) else message[2][0]
                 for message in extract_from_dir(str(ROOT), method_map, keywords=keywords)}
    with TEMPLATE.open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted == template


@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_every_page_renders_in_every_language(client: FlaskClient, language: Any) -> None:
    base = f"/{language.code}/"
    for path in (base, base + "?country=KR", base + "stop-forced-repatriation/flyer"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert page(response).html["lang"] == language.tag
        assert page(response).html["dir"] == ("rtl" if language.code == "ar" else "ltr")
    ready = post_letter(client, base, **valid())
    assert ready.status_code == 200 and page(ready).html["lang"] == language.tag


def test_arabic_is_written_right_to_left_and_named_as_open_graph_names_it(
        client: FlaskClient) -> None:
    soup = page(client.get("/ar/"))
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    assert soup.find("meta", property="og:locale")["content"] == "ar_AR"
    # The switcher names each language in itself, in its own direction, on every page.
    english = page(client.get("/en/")).select_one('nav.languages a[hreflang="ar"]')
    assert (english.get_text(), english["lang"], english["dir"]) == ("العربية", "ar", "rtl")
    russian = soup.select_one('nav.languages a[hreflang="ru"]')
    assert (russian.get_text(), russian["dir"]) == ("Русский", "ltr")


def test_the_page_names_its_language_and_its_versions(client: FlaskClient) -> None:
    soup = page(client.get("/ko/?country=KR&src=kakao"))
    assert soup.html["lang"] == "ko"
    assert soup.find("link", rel="canonical")["href"] == "http://localhost/ko/"
    alternates = {link["hreflang"]: link["href"] for link in
                  soup.find_all("link", rel="alternate")}
    assert alternates["x-default"] == "http://localhost/"
    assert alternates["zh-Hant"] == "http://localhost/zh-hant/?country=KR&src=kakao"
    assert set(alternates) == {lang.tag for lang in LANGUAGES} | {"x-default"}
    assert soup.find("meta", property="og:locale")["content"] == "ko_KR"
    others = {m["content"] for m in soup.find_all("meta", property="og:locale:alternate")}
    assert "ko_KR" not in others and "ja_JP" in others
    assert soup.find("meta", property="og:image")["content"] == (
        "http://localhost/ko/stop-forced-repatriation/card.png")
    switcher = {a.get_text(): a["href"] for a in soup.select("nav.languages a")}
    assert switcher["日本語"] == "http://localhost/ja/?country=KR&src=kakao"
    assert soup.select_one('nav.languages a[aria-current="true"]').get_text() == "한국어"


def test_links_on_a_page_keep_its_language(client: FlaskClient) -> None:
    soup = page(client.get("/ja/"))
    assert soup.find("form")["action"] == "/ja/#result"
    assert all(button["formaction"].startswith("/ja/stop-forced-repatriation/")
               for button in soup.select("button[formaction]"))
    assert "/ja/?src=x" in soup.find(id="share-x")["href"].replace("%2F", "/").replace(
        "%3F", "?").replace("%3D", "=")


@pytest.mark.parametrize(("path", "moved"), [
    ("/ko-KR/", "/ko/"), ("/zh-TW/", "/zh-hant/"), ("/zh-cn/", "/zh-hans/"), ("/pt-BR/", "/pt/"),
    ("/ar-EG/", "/ar/"), ("/ru-RU/", "/ru/"), ("/id-ID/", "/id/"),
    ("/it/", "/en/"), ("/en-GB/stop-forced-repatriation/", "/en/stop-forced-repatriation/"),
    ("/ko-KR/?country=KR&src=x", "/ko/?country=KR&src=x"),
])
def test_an_unknown_language_in_the_url_leads_to_the_nearest(client: FlaskClient, path: str,
                                                              moved: str) -> None:
    response = client.get(path)
    assert response.status_code == 308 and response.headers["Location"] == moved


@pytest.mark.parametrize("path", ["/xx/", "/nope/", "/ko/nope/", "/%E2%98%83/", "/ko/ko/"])
def test_what_is_not_a_language_is_an_ordinary_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("tag", "code"), [("ko", "ko"), ("ko-KR", "ko"), ("zh", "zh-hans"),
                                            ("zh-SG", "zh-hans"), ("zh-HK", "zh-hant"),
                                            ("zh-Hant", "zh-hant"), ("pt-PT", "pt"),
                                            ("de-CH", "de"), ("it", None), ("", None)])
def test_the_nearest_language_of_a_tag(tag: str, code: str | None) -> None:
    found = nearest(tag)
    assert (found.code if found else None) == code


def test_the_letter_is_in_the_pages_language_where_it_is_translated(
        client: FlaskClient) -> None:
    korean = form_values(page(client.get("/ko/")))
    assert korean["letter_language"] == "ko"
    assert korean["letter"].startswith("왕이 외교부장님께")
    french = form_values(page(client.get("/fr/")))  # no French translation: the original
    assert french["letter_language"] == "en" and french["letter"].startswith("Dear Minister")
    chosen = post_letter(client, "/fr/", **valid(letter_language="ja"))
    assert form_values(page(chosen))["letter"].startswith("中華人民共和国外交部長")
    options = [(o.get_text(), o["lang"]) for o in
               page(chosen).find(id="letter_language").find_all("option")]
    assert options == [("English", "en"), ("日本語", "ja"), ("한국어", "ko"),
                       ("中文 (简体)", "zh-Hans")]


def test_a_letter_not_in_the_pages_language_is_marked_with_its_own(client: FlaskClient) -> None:
    """The test letter has no French version: its title, description, subject and text are
    English in a French page, each marked so; the page says which language it goes in, and
    which others it is written in, in French."""
    soup = page(client.get("/fr/"))
    assert soup.html["lang"] == "fr"
    for node in (soup.h1, soup.select_one(".intro > p"), soup.find(id="subject"),
                 soup.find(id="letter"), soup.find(id="share-post"), soup.find("title")):
        assert (node["lang"], node["dir"]) == ("en", "ltr"), node
    hint = soup.find(id="letter_language-hint").get_text()
    assert hint == ("Cette lettre n'existe pas encore en français. Si vous ne choisissez pas "
                    "une autre langue ici, elle sera envoyée en anglais. Elle existe aussi en "
                    "japonais, coréen et chinois (simplifié).")
    korean = page(client.get("/ko/"))  # the Korean version: nothing to mark
    assert not any(node.has_attr("lang") for node in (korean.h1, korean.find("title")))
    assert korean.find(id="letter")["lang"] == "ko"  # the field says it always: it may change
    assert korean.find(id="letter_language-hint").get_text() == (
        "이 편지는 다음 언어로도 준비되어 있습니다. 보내고 싶은 언어를 선택해 주세요.")


@pytest.mark.parametrize(("path", "fields", "ending"), [
    ("/ko/", {}, "감사합니다.\n\n[사는 도시]에서\n[이름] 드림"),
    ("/fr/", {}, "Sincerely,\n[your name]\n[your city]"),  # an English letter: English blanks
    ("/ko/", {"letter_language": "ja", "name": "", "city": ""},
     "敬具\n\n［お名前］\n［お住まいの市区町村］"),
    ("/ko/", {"name": "홍길동", "city": ""}, "[사는 도시]에서\n홍길동 드림"),
])
def test_before_the_supporter_signs_the_letter_shows_blanks_in_its_language(
        client: FlaskClient, path: str, fields: dict[str, str], ending: str) -> None:
    response = post_letter(client, path, **fields) if fields else client.get(path)
    assert form_values(page(response))["letter"].endswith(ending)


def test_the_script_gets_the_blanks_of_each_language_of_the_letter(client: FlaskClient) -> None:
    letters = script_data(client, client.get("/fr/"))["letters"]
    assert {code: version["blanks"]["name"] for code, version in letters.items()} == {
        "en": "[your name]", "ja": "［お名前］", "ko": "[이름]", "zh-hans": "[您的姓名]"}
    assert (letters["ko"]["tag"], letters["zh-hans"]["tag"]) == ("ko", "zh-Hans")


def test_the_thanks_and_flyer_name_the_letter_in_its_own_language(client: FlaskClient) -> None:
    values = form_values(page(post_letter(client, "/ru/", **valid())))
    thanks = page(client.post("/ru/stop-forced-repatriation/sent", data=values))
    title = thanks.select_one(".intro p span[lang]")
    assert (title["lang"], title.get_text()) == ("en", "Stop the forced repatriation of North "
                                                 "Korean refugees")
    assert not thanks.find("title").has_attr("lang")  # a title says one language: Russian
    flyer = page(client.get("/ar/stop-forced-repatriation/flyer"))
    assert (flyer.html["dir"], flyer.h1["lang"], flyer.h1["dir"]) == ("rtl", "en", "ltr")
    assert flyer.select_one("p.url")["dir"] == "ltr"
    japanese = page(client.get("/ja/stop-forced-repatriation/flyer"))
    assert not japanese.h1.has_attr("lang") and japanese.h1.get_text() == \
        "脱北者の強制送還を止めてください"


def test_the_card_and_title_follow_the_pages_language(client: FlaskClient) -> None:
    soup = page(client.get("/ko/"))
    assert soup.h1.get_text() == "탈북민 강제 북송을 멈춰 주세요"
    assert soup.find("meta", property="og:title")["content"] == soup.h1.get_text()
    korean = client.get("/ko/stop-forced-repatriation/card.png")
    english = client.get("/en/stop-forced-repatriation/card.png")
    assert korean.mimetype == english.mimetype == "image/png"
    assert korean.data != english.data


def test_campaign_link_carries_the_language() -> None:
    result = CliRunner().invoke(main, ["link", "--lang", "ko", "--country", "KR", "--src",
                                       "kakao"], env={"CAMPAIGN_PUBLIC_URL":
                                                      "https://letters.example.org"})
    assert result.output.strip() == "https://letters.example.org/ko/?country=KR&src=kakao"
    assert CliRunner().invoke(main, ["link", "--lang", "xx"]).exit_code == 2


def test_numbers_and_dates_follow_the_language(data_copy: Path) -> None:
    second_letter(data_copy, "winter-appeal", ends="2020-01-31")
    client = client_on(data_copy)
    assert "31. Januar 2020" in page(client.get("/de/winter-appeal/")).get_text()
    assert "2020년 1월 31일" in page(client.get("/ko/winter-appeal/")).get_text()
    limit = post_letter(client, "/de/", **valid(letter="x" * 10_001))
    assert "10.000" in page(limit).find(id="letter-error").get_text()


def test_a_broken_catalog_is_named_and_the_site_keeps_its_translations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> None:
    folder = tmp_path / "translations"
    shutil.copytree(FOLDER, folder)
    monkeypatch.setattr(catalogs, "FOLDER", folder)
    app = app_on(data_copy, RELOAD_EVERY=0)
    client = app.test_client()
    korean = folder / "ko" / "LC_MESSAGES" / "messages.po"
    text = korean.read_text()
    anchor = 'msgid "Chinese Embassy, %(country)s"'
    line = text[:text.index(anchor)].count("\n") + 1
    start = text.index("msgstr", text.index(anchor))
    end = text.index("\n", start)
    korean.write_text(text[:start] + 'msgstr "%(contry)s 주재 중국 대사관"' + text[end:])
    problems = [p for p in catalogs.check_catalogs(folder) if not p.warning]
    assert [(Path(p.path).name, p.line, p.message) for p in problems] == [
        ("messages.po", line, "the translation of 'Chinese Embassy, %(country)s' is wrong: "
         "unknown named placeholder 'contry'"),
        ("messages.po", line, "the translation of 'Chinese Embassy, %(country)s' is wrong: "
         "%(country)s is missing from the translation: put it back")]
    soup = page(client.get("/ko/?country=GB"))  # the last good catalog still speaks Korean
    name = soup.select_one('li[data-key="gb-embassy"] .r-name').get_text()
    assert name == "영국 주재 중국 대사관"
    health = client.get("/healthz").get_json()
    assert health["status"] == "stale"
    assert f"ko/LC_MESSAGES/messages.po:{line}: the translation of" in health["error"]
    assert str(tmp_path) not in health["error"]


def test_the_browser_platform_decides_how_long_a_mail_link_may_be() -> None:
    chrome_windows = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                      "like Gecko) Chrome/140.0 Safari/537.36")
    assert platform_of(chrome_windows) == "windows"
    assert platform_of("Mozilla/5.0 (Windows NT 10.0; rv:140.0) Gecko/20100101 Firefox/140.0") \
        == "windows-firefox"
    assert platform_of("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)") == "ios"
    assert platform_of("Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Mobile") == "android"
    assert platform_of("Mozilla/5.0 (X11; CrOS x86_64 15000.0.0) Chrome/140.0") == "chromeos"
    assert platform_of("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)") == "mac"
    assert platform_of("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0") == "linux"
    assert platform_of("curl/8") == "unknown"


@pytest.mark.parametrize(("agent", "shortened"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0", True),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1", False),
    ("Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Mobile", False),
])
def test_a_korean_letter_goes_whole_where_the_platform_takes_it(
        app: Flask, agent: str, shortened: bool) -> None:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    response = post_letter(client, "/ko/", **valid(country="KR", name="홍길동", city="서울"))
    href = links_of(client, response)["mailto"]
    assert ("%EC%99%95%EC%9D%B4" not in href) == shortened  # 왕이, the letter's first word


@pytest.mark.parametrize(("code", "country", "city"), [
    ("ko", "KR", "뉴욕"), ("ja", "JP", "ニューヨーク"), ("zh-hans", "AU", "纽约"),
    ("zh-hant", "US", "紐約"), ("ko", "US&region=IL", "시카고"), ("fr", "US", "New York")])
def test_missions_are_named_with_their_city_in_the_pages_language(
        client: FlaskClient, code: str, country: str, city: str) -> None:
    soup = BeautifulSoup(client.get(f"/{code}/?country={country}").get_data(as_text=True),
                         "html.parser")
    names = [item.get_text(" ", strip=True) for item in soup.select("#recipient-list li")]
    assert any(city in name for name in names), names


@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_geneva_is_named_in_every_language(client: FlaskClient, language: Any) -> None:
    """CLDR does not name Geneva (no time zone is called after it): the data's sources do."""
    soup = page(client.get(f"/{language.code}/?country=KR"))
    name = soup.select_one('li[data-key="un-geneva"] .r-name').get_text()
    geneva = {"en": "Geneva", "ko": "제네바", "ja": "ジュネーブ", "zh-hans": "日内瓦",
              "zh-hant": "日內瓦", "fr": "Genève", "de": "Genf", "es": "Ginebra",
              "pt": "Genebra", "ar": "جنيف", "ru": "Женева", "id": "Jenewa"}[language.code]
    assert geneva in name, name


def test_a_city_named_nowhere_keeps_its_own_name(client: FlaskClient) -> None:
    soup = page(client.get("/ko/?country=TH"))  # Songkhla: in neither CLDR nor the sources
    options = [o.get_text() for o in soup.select("#region option")]
    assert any("Songkhla" in option for option in options), options
    assert any("치앙마이" in option for option in options), options  # Chiang Mai: the sources'
