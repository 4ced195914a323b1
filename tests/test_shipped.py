"""What ships: the campaign's own contacts.yaml and letters/, which organizers edit.

Every other test runs on the tests' own data (tests/fixtures), so an organizer's edit never breaks
one. These few hold for any edit `campaign check` accepts: the check passes, every country
routes to its own missions and the UN missions, every place is counted, and the site serves a
page for each country.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support import page
from support.notes import internal_texts, shown

from campaign import ROOT, create_app
from campaign.cli.main import main
from campaign.compose.drafts import Answers, prepare
from campaign.compose.postal import MINISTER, postal_addresses
from campaign.counting.storage import COUNTED, Action, Counter
from campaign.data.contacts import Contacts
from campaign.data.contactsfile import load_contacts
from campaign.data.letterfiles import load_letters
from campaign.data.lettertext import Signature, normalize_text
from campaign.i18n.languages import LANGUAGES
from campaign.i18n.names import country_names
from campaign.i18n.words import ENGLISH

CONTACTS, LETTERS = ROOT / "contacts.yaml", ROOT / "letters"
ORGANIZERS_LETTER = ROOT.parent / "shared" / "campaign" / "letter.txt"


@pytest.fixture(scope="module")
def shipped() -> Contacts:
    return load_contacts(CONTACTS)


def test_campaign_check_passes_on_the_shipped_data() -> None:
    result = CliRunner().invoke(main, ["check", "--contacts", str(CONTACTS),
                                       "--letters", str(LETTERS)])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().splitlines()[-1].startswith("ok: 0 errors")


def test_every_shipped_country_routes_to_its_own_missions_and_the_un(shipped: Contacts) -> None:
    assert shipped.countries and shipped.everyone
    for code, country in shipped.countries.items():
        for answer in ["", *country.choices]:
            route = shipped.route(code, answer)
            local = [*route.local, *([route.instead] if route.instead else [])]
            assert all(r in country.missions for r in local), (code, answer)
            assert bool(local) is (country.mission is not None), (code, answer)
            assert route.recipients[-len(shipped.everyone):] == list(shipped.everyone)
        default = shipped.route(code)
        assert country.mission is None or country.mission in default.local \
            or country.mission is default.instead


def test_every_shipped_place_reaches_china_by_a_way_that_arrives(shipped: Contacts) -> None:
    # everyone in the list: Hong Kong and Macao (the Commissioner's offices), Taiwan and the
    # mainland (no mission: the UN missions and the Minister by post)
    assert {"HK", "MO", "TW", "CN"} <= set(shipped.countries)
    for _key, country, region in shipped.places():
        assert shipped.reaches(country, region), (country, region)
    assert shipped.minister is not None and shipped.minister.address
    assert shipped.countries["HK"].mission is not None \
        and shipped.countries["HK"].mission.kind == "office"
    assert shipped.countries["CN"].mission is shipped.countries["TW"].mission is None


def test_every_shipped_place_can_send_its_letter_and_never_by_an_empty_mail_link(
        shipped: Contacts) -> None:
    """A signed letter is ready everywhere: by email where a recipient has an address (then
    only to addresses), else by post alone; the post goes to the Minister, and to each
    mission serving the place that has a postal address."""
    letter = load_letters(LETTERS).default
    for _key, country, region in shipped.places():
        answers = Answers(country=country, region=region, signature=Signature("A", "B"),
                          subject="S")
        draft = prepare(letter, shipped, answers, True, ENGLISH)
        assert draft.ready and draft.to_error is None, (country, region)
        assert draft.message is None or all(draft.message.to), (country, region)
        assert draft.message is not None or not draft.links, (country, region)
        posted = [address.key for address in postal_addresses(shipped, country, region)]
        assert posted[0] == MINISTER, (country, region)
        route = shipped.route(country, region)
        assert {r.key for r in route.local if r.address} <= set(posted), (country, region)


def test_writing_from_china_hong_kong_and_macao_calls_for_caution(shipped: Contacts) -> None:
    assert {code for code, country in shipped.countries.items() if country.caution} >= {
        "CN", "HK", "MO"}


def test_every_place_the_shipped_data_routes_to_is_counted(shipped: Contacts,
                                                           database_url: str) -> None:
    counter = Counter(database_url)
    slug = load_letters(LETTERS).default_slug
    places = [(country, region) for _key, country, region in shipped.places()]
    for number, (country, region) in enumerate(places):
        assert counter.record(Action(slug, country, region, "mailto", ""), f"n{number}",
                              2**31 - 1, "c" * 32, 10**9) == COUNTED, (country, region)
    assert {(region, sent) for region, sent, _confirmed in counter.table("region")} == {
        (region, sum(1 for _c, r in places if r == region)) for _c, region in places}
    counter.dispose()


def test_the_site_serves_a_page_for_every_shipped_country(shipped: Contacts) -> None:
    client = create_app({"TESTING": True, "SECRET_KEY": "t", "CONTACTS": str(CONTACTS),
                         "LETTERS": str(LETTERS)}).test_client()
    for code in [*shipped.countries, "other"]:
        response = client.get(f"/en/?country={code}")
        assert response.status_code == 200, code
        chosen = page(response).select_one("#country option[selected]")
        assert chosen is not None and chosen["value"] == code
    for language, locale in (("en", "en"), ("ko", "ko"), ("zh-hant", "zh_Hant")):
        for code in ("HK", "MO", "TW", "CN"):  # named as CLDR names them, in each language
            chosen = page(client.get(f"/{language}/?country={code}")).select_one(
                "#country option[selected]")
            assert chosen is not None and chosen.get_text() == country_names(locale)[code]


def test_no_page_shows_the_shipped_notes_or_research_paths(shipped: Contacts) -> None:
    """/about in every language, and every country's letter page: links only, never the
    organizers' notes, a source's words around its links, or a path into the research."""
    client = create_app({"TESTING": True, "SECRET_KEY": "t", "CONTACTS": str(CONTACTS),
                         "LETTERS": str(LETTERS)}).test_client()
    assert internal_texts(shipped)  # the shipped file has notes to keep
    for language in LANGUAGES:
        html = client.get(f"/{language.code}/about").get_data(as_text=True)
        assert shown(html, shipped) == [], language.code
    for code in shipped.countries:
        html = client.get(f"/en/?country={code}").get_data(as_text=True)
        assert shown(html, shipped) == [], code


def test_the_shipped_letter_is_the_organizers_letter_word_for_word() -> None:
    if not ORGANIZERS_LETTER.exists():
        pytest.skip("shared/ is not beside this checkout")
    original = ORGANIZERS_LETTER.read_text().replace("world..", "world.")  # their typo
    signed = load_letters(LETTERS).default.compose(Signature("[Name]", "[City/Region]"))
    assert signed == normalize_text(original)
