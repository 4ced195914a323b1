"""contacts.yaml: every route of the tests' own file (tests/fixtures), and broken files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pycountry
import pytest
from support import COUNTRIES, TEST_DATA, UN, US_SERVING, US_STATES, page

from campaign.data.contacts import RECIPIENT_KEY_MAX, Contacts, Route
from campaign.data.contactsfile import load_contacts, parse_contacts
from campaign.data.yamlfile import DataError


@pytest.fixture(scope="module")
def contacts() -> Contacts:
    return load_contacts(TEST_DATA / "contacts.yaml")


def emails(route: Route) -> list[str | None]:
    return [r.email for r in route.addressed]


def test_every_state_and_territory_is_routed(contacts: Contacts) -> None:
    us = contacts.countries["US"]
    states = {s.code.split("-", 1)[1] for s in pycountry.subdivisions.get(country_code="US")
              if not getattr(s, "parent_code", None)}
    assert {"NY", "CA", "DC", "PR", "GU", "UM", "VI"} <= states
    # California's two parts both send to the embassy (neither consulate has an address):
    # supporters are asked for "California", not for a part of it.
    assert set(us.choices) == states
    assert us.by_region


@pytest.mark.parametrize("state", sorted(US_STATES))
def test_us_state_gets_its_mission_and_the_un(contacts: Contacts, state: str) -> None:
    route = contacts.route("US", state)
    assert emails(route) == [US_STATES[state], UN]
    if state in US_SERVING:
        assert [r.key for r in route.local] == [US_SERVING[state]]
        assert route.local[0].email is None
        assert route.instead is not None and route.instead.key == "us-embassy"
    else:
        assert route.instead is None


def test_california_lists_both_its_consulates_and_sends_to_the_embassy(
        contacts: Contacts) -> None:
    route = contacts.route("US", "CA")
    assert [r.key for r in route.local] == ["us-san-francisco", "us-los-angeles"]
    assert emails(route) == [US_STATES["CA-N"], UN]


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_country_gets_its_embassy_and_the_un(contacts: Contacts, country: str) -> None:
    assert emails(contacts.route(country)) == [COUNTRIES[country], UN]


def test_anyone_elsewhere_writes_to_the_un(contacts: Contacts) -> None:
    route = contacts.route("other")
    assert emails(route) == [UN]
    assert [r.key for r in route.recipients] == ["un-new-york", "un-geneva"]
    assert route.asks_address


def test_geneva_mission_is_listed_with_its_website_and_no_address(contacts: Contacts) -> None:
    geneva = contacts.recipients["un-geneva"]
    assert geneva.email is None
    assert geneva.website == "https://www.example.org/un-geneva"


def test_every_country_routes_to_its_own_missions_and_the_un(contacts: Contacts) -> None:
    for code, country in contacts.countries.items():
        for answer in ["", *country.choices]:
            route = contacts.route(code, answer)
            local = [*route.local, *([route.instead] if route.instead else [])]
            assert all(r in country.missions for r in local), (code, answer)
            assert bool(local) is (country.mission is not None), (code, answer)
            assert route.recipients[-2:] == list(contacts.everyone)
        default = contacts.route(code)
        assert country.mission is None or country.mission in default.local \
            or country.mission is default.instead


def test_every_place_reaches_china_one_way_or_another(contacts: Contacts) -> None:
    for _key, country, region in contacts.places():
        assert contacts.reaches(country, region), (country, region)
    assert contacts.reaches("US", "DC") == ("email", "x", "post")
    assert contacts.reaches("US", "NY") == ("email", "x", "post")  # the consulate's X, too
    # where none of the supporter's own missions has an account, the UN mission's reaches
    assert [r.key for r in contacts.route("GB").recipients if r.x] == ["un-new-york"]
    assert contacts.reaches("BR") == ("email", "x", "post")  # the UN's email, its X account
    assert contacts.reaches("CN") == ("email", "x", "post")  # the UN missions, the Minister


def test_a_place_with_no_address_no_account_and_no_minister_reaches_nothing(
        tmp_path: Path) -> None:
    text = ("everyone: []\nrecipients:\n" + MISSION.format(key="ga-embassy", country="GA")
            + "countries:\n  GA: {mission: ga-embassy}\n  TW: {mission: none}\n")
    contacts, problems = parse_contacts(text, str(tmp_path / "contacts.yaml"))
    assert contacts is not None, problems
    assert contacts.reaches("GA") == contacts.reaches("TW") == ()
    with_minister = text + ("minister:\n  name: Wang Yi\n  source: s\n  address: |\n"
                            "    Beijing\n")
    contacts, _problems = parse_contacts(with_minister, str(tmp_path / "contacts.yaml"))
    assert contacts is not None
    assert contacts.reaches("GA") == contacts.reaches("TW") == ("post",)


def test_a_consulates_account_and_address_reach_its_own_supporters(contacts: Contacts) -> None:
    spain = contacts.countries["ES"]
    assert spain.choices == ("es-embassy", "es-barcelona")  # asked: the answer changes who
    route = contacts.route("ES", "es-barcelona")
    assert [r.key for r in route.local] == ["es-barcelona"]
    assert route.instead is not None and route.instead.key == "es-embassy"  # its email
    assert emails(route) == ["es-embassy@missions.example.org", UN]
    def own(route: Route) -> list[str]:  # the country's missions with an account or address
        return [r.key for r in route.recipients
                if (r.x or r.address) and r not in contacts.everyone]
    assert own(route) == ["es-barcelona"]
    assert own(contacts.route("ES")) == []


def test_a_country_no_mission_serves_writes_to_the_un_and_asks_nothing(
        contacts: Contacts) -> None:
    china = contacts.countries["CN"]
    assert china.mission is None and china.missions == () and china.choices == ()
    assert china.caution
    route = contacts.route("CN")
    assert route.local == () and route.instead is None and not route.served
    assert [r.key for r in route.recipients] == ["un-new-york", "un-geneva"]
    assert not route.asks_address  # no mission there to find an address for
    assert contacts.route("other").asks_address


def test_every_mission_keeps_its_source_date_and_status(contacts: Contacts) -> None:
    for recipient in contacts.recipients.values():
        assert recipient.checked is not None and recipient.source, recipient.key
        assert recipient.kind and recipient.city
        if recipient.email:
            assert recipient.status in ("confirmed", "unconfirmed"), recipient.key
        else:
            assert recipient.status == "no-address", recipient.key


def test_a_country_served_from_abroad_says_where_that_is_published(contacts: Contacts) -> None:
    andorra = contacts.countries["AD"]
    assert andorra.mission.key == "es-embassy" and andorra.source
    assert emails(contacts.route("AD")) == ["es-embassy@missions.example.org", UN]


def test_a_mission_with_no_address_lets_the_supporter_add_one(contacts: Contacts) -> None:
    route = contacts.route("BR")
    assert [r.key for r in route.local] == ["br-embassy"] and route.instead is None
    assert route.asks_address and emails(route) == [UN]
    assert not contacts.route("GB").asks_address


def test_districts_route_by_region(contacts: Contacts) -> None:
    assert [r.key for r in contacts.route("CA", "AB").local] == ["ca-calgary"]
    # a province a source divides between two missions lists both
    assert {r.key for r in contacts.route("CA", "ON").local} == {"ca-toronto", "ca-embassy"}
    assert emails(contacts.route("CA", "ON")) == [
        "ca-embassy@missions.example.org", "ca-toronto@missions.example.org", UN]
    # a region no source assigns goes to the embassy
    assert [r.key for r in contacts.route("DE", "BE").local] == ["de-embassy"]
    assert [r.key for r in contacts.route("CA", "BC").local] == ["ca-embassy"]
    assert contacts.countries["CA"].districts_source


def test_a_consulate_of_the_supporters_city_is_offered_where_it_changes_something(
        contacts: Contacts) -> None:
    thailand = contacts.countries["TH"]
    assert not thailand.by_region and thailand.choices[0] == "th-embassy"
    assert {"th-songkhla", "th-khon-kaen"} <= set(thailand.choices)
    assert emails(contacts.route("TH", "th-songkhla"))[0] == "th-songkhla@missions.example.org"
    # Brazil's and Germany's consulates publish no address: asking would change nothing
    for code in ("BR", "DE"):
        assert contacts.countries[code].consulates and contacts.countries[code].choices == ()


def test_where_the_embassy_has_no_address_its_city_still_asks_for_one(
        contacts: Contacts) -> None:
    """India: Mumbai's consulate has an address, the embassy none: a supporter in New Delhi
    (or Kolkata, whose consulate has none either) may add the address they find."""
    assert contacts.countries["IN"].choices == ("in-embassy", "in-mumbai")
    assert contacts.countries["IN"].also == {"in-embassy": ("in-kolkata",)}
    assert emails(contacts.route("IN", "in-mumbai")) == ["in-mumbai@missions.example.org", UN]
    delhi = contacts.route("IN", "in-embassy")
    assert delhi.asks_address and emails(delhi) == [UN]


def test_the_place_of_a_shared_link_is_read_in_any_case(contacts: Contacts) -> None:
    assert contacts.place_of("us", "ny") == ("US", "NY")
    assert contacts.place_of("th", "TH-SONGKHLA") == ("TH", "th-songkhla")
    assert contacts.place_of("br", "nowhere") == ("BR", "")
    assert contacts.place_of("zz") is None


MISSION = ("  {key}:\n    kind: embassy\n    country: {country}\n    city: X\n"
           "    source: s\n    checked: 2026-01-01\n    status: no-address\n")
# A recipient in London, to which each broken case below adds its fields.
GB = "recipients:\n  gb:\n    kind: embassy\n    country: GB\n    city: London\n"
BROKEN = [
    ("recipients:\n  a: [\n", 3, "YAML syntax error"),
    ("recipients:\n  gb:\n    kind: embassy\n    country: GB\n    city: London\n"
     "    email: not-an-address\n    source: s\n    checked: 2026-01-01\n    status: confirmed\n",
     6, "email 'not-an-address'"),
    ("recipients:\n  gb:\n    kind: embassy\n    country: GB\n    city: London\n"
     "    email: a@example.org\n    checked: 2026-01-01\n    status: confirmed\n",
     2, "has no 'source'"),
    ("recipients:\n  gb:\n    kind: palace\n    country: GB\n    city: London\n"
     "    source: s\n    checked: 2026-01-01\n    status: no-address\n", 3, "kind 'palace'"),
    ("recipients:\n  gb:\n    kind: embassy\n    country: UK\n    city: London\n"
     "    source: s\n    checked: 2026-01-01\n    status: no-address\n", 4, "country 'UK'"),
    ("recipients: {}\ncountries:\n  gb:\n    mission: y\n", 3,
     "country code 'gb' is not an ISO 3166-1 alpha-2 code"),
    ("recipients: {}\ncountries:\n  NO:\n    mission: y\n", 3, "write it in quotes"),
    ("recipients: {}\ncountries:\n  GB:\n    mission: nobody\n", 4,
     "names recipient 'nobody'"),
    ("recipients: {}\ncountries:\n  GB:\n    source: s\n", 3,
     "write mission: none where no Chinese mission serves it"),
    ("recipients:\n" + MISSION.format(key="cn-office", country="CN")
     + "countries:\n  CN:\n    mission: none\n    consulates: [cn-office]\n", 12,
     "country CN has mission: none, so it has no consulates"),
    ("recipients:\n" + MISSION.format(key="none", country="CN"), 2,
     "recipient id 'none' is taken"),
    ("recipients: {}\ncolours: red\n", 2, "unknown key 'colours'"),
    (MISSION.format(key="gb-" + "x" * (RECIPIENT_KEY_MAX - 2), country="GB").replace(
        "  ", "recipients:\n  ", 1), 2,
     f"is {RECIPIENT_KEY_MAX + 1} characters; keep it within {RECIPIENT_KEY_MAX}"),
    ("recipients:\n" + MISSION.format(key="ca-embassy", country="CA")
     + MISSION.format(key="ca-toronto", country="CA").replace("embassy", "consulate")
     + "countries:\n  CA:\n    mission: ca-embassy\n    consulates: [ca-toronto]\n"
     "    districts:\n      ca-toronto: [ZZ]\n    districts_source: s\n", 21,
     "region 'ZZ' in the district of 'ca-toronto' is not an ISO 3166-2 subdivision of CA"),
    ("recipients:\n" + MISSION.format(key="ca-embassy", country="CA")
     + MISSION.format(key="ca-toronto", country="CA").replace("embassy", "consulate")
     + "countries:\n  CA:\n    mission: ca-embassy\n    consulates: [ca-toronto]\n"
     "    districts:\n      ca-embassy: [MB]\n      ca-toronto: [MB, 'ON']\n"
     "    districts_source: s\n", 22,
     "region MB of CA is in the districts of 'ca-embassy' and 'ca-toronto': districts must "
     "not overlap"),
    ("recipients:\n" + MISSION.format(key="ca-embassy", country="CA")
     + "countries:\n  CA:\n    mission: ca-embassy\n    districts:\n"
     "      ca-vancouver: [BC]\n    districts_source: s\n", 13,
     "names 'ca-vancouver', which is not the country's mission nor one of its consulates"),
    (GB + "    email: chinaemb.gb@gmail.com\n    source: https://example.org\n"
     "    checked: 2026-01-01\n    status: confirmed\n", 6,
     "is a webmail address, which anyone can open: the rule for addresses"),
    (GB + "    email: londoncentre@visaforchina.org\n    source: https://example.org\n"
     "    checked: 2026-01-01\n    status: confirmed\n", 6,
     "is a visa application centre's, not the mission's"),
    (GB + "    email: consular@vip.163.com\n    source: https://example.org\n"
     "    checked: 2026-01-01\n    status: unconfirmed\n", 6, "is a webmail address"),
    (GB + "    email: chinaemb_uk@mfa.gov.cn\n    source: code datasets only\n"
     "    checked: 2026-01-01\n    status: confirmed\n", 9,
     "is confirmed, but no source is a page"),
    (GB + "    x: ChineseEmbinUK\n    source: s\n    checked: 2026-01-01\n"
     "    status: no-address\n", 6, "has an X account but no x_status"),
    (GB + "    x: ChineseEmbinUK\n    x_status: maybe\n    source: s\n"
     "    checked: 2026-01-01\n    status: no-address\n", 7, "x_status 'maybe'"),
    (GB + "    email_purpose: consular\n    source: s\n    checked: 2026-01-01\n"
     "    status: no-address\n", 6, "has an email_purpose but no email"),
    (GB + "    email: a@example.org\n    email_purpose: visas\n    source: https://e.org\n"
     "    checked: 2026-01-01\n    status: confirmed\n", 7, "email_purpose 'visas'"),
    (GB + "    address: [1 Street]\n    source: s\n    checked: 2026-01-01\n"
     "    status: no-address\n", 6, "address of recipient 'gb' must be text"),
    (GB + "    address: |\n" + "      line\n" * 9 + "    address_source: s\n"
     "    source: s\n    checked: 2026-01-01\n    status: no-address\n", 6,
     "has 9 lines; an envelope's window shows 8"),
    (GB + "    address: |\n      " + "x" * 81 + "\n    address_source: s\n"
     "    source: s\n    checked: 2026-01-01\n    status: no-address\n", 6,
     "is 81 characters; keep each within 80"),
    (GB + "    address: |\n      1 Street\n    source: s\n    checked: 2026-01-01\n"
     "    status: no-address\n", 2, "has no 'address_source'"),
    ("recipients:\n" + MISSION.format(key="gb-embassy", country="GB")
     + "countries:\n  GB:\n    mission: gb-embassy\n    caution: sometimes\n", 12,
     "caution of country GB must be true or false"),
    ("recipients: {}\ncountries: {}\nminister:\n  name: Wang Yi\n  source: s\n", 3,
     "'minister' has no 'address'"),
    ("recipients: {}\ncountries: {}\nminister:\n  name: Wang Yi\n  address: |\n    Beijing\n", 3,
     "'minister' has no 'source'"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN)
def test_broken_file_stops_start_up_naming_file_line_and_key(
        tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "contacts.yaml"
    path.write_text(text)
    with pytest.raises(DataError) as raised:
        load_contacts(path)
    first = raised.value.problems[0]
    assert (first.path, first.line) == (str(path), line)
    assert message in first.message
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_only_answers_that_change_the_recipients_are_asked(contacts: Contacts) -> None:
    us = contacts.countries["US"]
    # Northern and southern California both send to the embassy: California is one answer.
    assert "CA" in us.choices and "CA-N" not in us.choices and "CA-S" not in us.choices
    # Thailand: Chiang Mai and Phuket publish no address, so their letters go to the embassy,
    # as Bangkok's do: one answer for the three cities; Khon Kaen and Songkhla stay apart.
    thailand = contacts.countries["TH"]
    assert thailand.choices == ("th-embassy", "th-khon-kaen", "th-songkhla")
    assert thailand.also == {"th-embassy": ("th-chiang-mai", "th-phuket")}
    sends = {tuple(r.key for r in contacts.route("TH", choice).addressed)
             for choice in thailand.choices}
    assert len(sends) == len(thailand.choices)  # every answer asked changes the recipients
    # A link naming a city that is not asked any more lands on the answer standing for it.
    assert contacts.place_of("TH", "th-chiang-mai") == ("TH", "th-embassy")
    assert contacts.countries["IN"].choices == ("in-embassy", "in-mumbai")


def test_a_merged_answer_names_every_city_it_stands_for(client: Any) -> None:
    soup = page(client.get("/?country=TH"))
    options = [o.get_text() for o in soup.find(id="region").find_all("option")]
    assert options == ["Bangkok (the embassy), Chiang Mai, or Phuket", "Khon Kaen", "Songkhla"]


def test_a_mission_keeps_its_postal_address_line_by_line(contacts: Contacts) -> None:
    embassy = contacts.recipients["us-embassy"]
    assert embassy.address == ("3505 Example Place NW", "Washington, DC 20008", "USA")
    assert embassy.address_source == ("https://www.example.org/sources/us-address",)
    assert contacts.recipients["gb-embassy"].address == ()


def test_a_consular_inbox_and_an_x_accounts_status_are_kept(contacts: Contacts) -> None:
    assert contacts.recipients["ca-embassy"].purpose == "consular"
    assert contacts.recipients["gb-embassy"].purpose == "general"
    assert (contacts.recipients["us-embassy"].x, contacts.recipients["us-embassy"].x_status) \
        == ("EmbassyTestUS", "confirmed")
    assert contacts.recipients["de-embassy"].x_status == "unconfirmed"


def test_a_country_can_call_for_caution(contacts: Contacts) -> None:
    assert contacts.countries["HK"].caution
    assert not contacts.countries["GB"].caution


def test_the_minister_is_the_letters_addressee_with_the_ministrys_address(
        contacts: Contacts) -> None:
    assert contacts.minister is not None
    assert contacts.minister.name == "Wang Yi" and contacts.minister.x == "MFA_China"
    assert contacts.minister.address[-1] == "CHINA"
    assert contacts.minister.source


def test_a_file_without_the_minister_is_warned_not_refused(tmp_path: Path) -> None:
    contacts, problems = parse_contacts("recipients: {}\neveryone: []\ncountries: {}\n",
                                        str(tmp_path / "contacts.yaml"))
    assert contacts is not None and contacts.minister is None
    assert any(p.warning and "no 'minister'" in p.message for p in problems)
