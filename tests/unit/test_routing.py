import unicodedata

import pytest

from bot.domain.errors import ConfigError
from bot.domain.org import Category
from bot.domain.routing import RoutingRule, normalize_text, route, suggest_category

RULES = [
    RoutingRule(unit="thanh-tra", kind="to_cao"),
    RoutingRule(unit="cong-an", category="an-ninh"),
    RoutingRule(unit="so-nn-mt", kind="khieu_nai", category="dat-dai"),
    RoutingRule(unit="ubnd-hai-chau", commune="hai-chau"),
    RoutingRule(unit="ban-tiep-cong-dan"),
]

CATEGORIES = [
    Category("ha-tang", {"vi": "Hạ tầng", "en": "Roads"}, ("ổ gà", "đường", "đèn đường", "cống")),
    Category("moi-truong", {"vi": "Môi trường"}, ("rác", "ngập nước", "ô nhiễm tiếng ồn")),
    Category("an-ninh", {"vi": "An ninh"}, ("karaoke", "tiếng ồn", "trộm")),
    Category("dat-dai", {"vi": "Đất đai"}, ("đất đai", "sổ đỏ")),
    Category("xay-dung", {"vi": "Xây dựng"}, ("sổ đỏ", "cống")),
]


def route_of(kind: str, category: str | None = None, commune: str | None = None) -> str:
    return route(RULES, kind=kind, category=category, commune=commune)


def test_first_matching_rule_wins() -> None:
    # A denunciation about public order in Hải Châu matches three rules; the first one counts.
    assert route_of("to_cao", "an-ninh", "hai-chau") == "thanh-tra"
    assert route_of("phan_anh", "an-ninh", "hai-chau") == "cong-an"


def test_fields_of_a_rule_are_anded() -> None:
    assert route_of("khieu_nai", "dat-dai", "hai-chau") == "so-nn-mt"
    assert route_of("phan_anh", "dat-dai", "hai-chau") == "ubnd-hai-chau"
    assert route_of("khieu_nai", "moi-truong", None) == "ban-tiep-cong-dan"


def test_fallback_takes_the_rest() -> None:
    assert route_of("kien_nghi") == "ban-tiep-cong-dan"
    assert route_of("phan_anh", "ha-tang", "thanh-khe") == "ban-tiep-cong-dan"


def test_no_matching_rule_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        route(RULES[:2], kind="phan_anh", category="ha-tang", commune=None)


def test_rule_knows_whether_it_is_the_fallback() -> None:
    assert RoutingRule(unit="x").is_fallback
    assert not RoutingRule(unit="x", commune="p1").is_fallback


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đường bị ổ gà rất nguy hiểm", "duong bi o ga rat nguy hiem"),
        ("  NGẬP   NƯỚC\n sau mưa ", "ngap nuoc sau mua"),
        ("đĐ", "dd"),
        ("Tiếng ồn karaoke", "tieng on karaoke"),
    ],
)
def test_normalize_text_folds_case_accents_and_spaces(text: str, folded: str) -> None:
    assert normalize_text(text) == folded


def test_normalize_text_accepts_decomposed_input() -> None:
    # Some keyboards send NFD: base letters followed by combining marks.
    assert normalize_text(unicodedata.normalize("NFD", "Ổ gà")) == "o ga"
    assert suggest_category(CATEGORIES, unicodedata.normalize("NFD", "Ổ gà")) == "ha-tang"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Đường bị ổ gà rất nguy hiểm", "ha-tang"),
        ("duong bi o ga", "ha-tang"),
        ("DUONG BI O GA!!!", "ha-tang"),
        ("Khu phố bị ngập nước sau mưa", "moi-truong"),
        ("ngap nuoc", "moi-truong"),
        ("tiếng ồn karaoke đến 1 giờ sáng", "an-ninh"),
        ("ô nhiễm tiếng ồn từ nhà máy", "moi-truong"),
        ("Nhà tôi bị trộm xe", "an-ninh"),
        ("Cấp sổ đỏ chậm", "dat-dai"),  # tie with xay-dung: the first listed wins
        ("Đèn đường trước nhà hỏng", "ha-tang"),
    ],
)
def test_suggest_category(text: str, category: str) -> None:
    assert suggest_category(CATEGORIES, text) == category


def test_keyword_must_match_a_whole_word() -> None:
    # A keyword is never found inside a longer word, nor half a phrase as the phrase.
    assert suggest_category(CATEGORIES, "tuyến đườngsắt") is None
    assert suggest_category(CATEGORIES, "karaokes") is None
    assert suggest_category(CATEGORIES, "đất") is None  # half of the phrase "đất đai"


def test_two_accented_words_must_agree() -> None:
    # Accents are only ignored when one side lacks them: "Hải Dương" is a place, not a road,
    # and "công" (public) is not "cống" (sewer).
    assert suggest_category(CATEGORIES, "Tôi quê ở Hải Dương") is None
    assert suggest_category(CATEGORIES, "Công an phường") is None
    assert suggest_category(CATEGORIES, "cong bi tac") == "ha-tang"


def test_unaccented_keywords_match_accented_text() -> None:
    categories = [Category("ha-tang", {"vi": "Hạ tầng"}, ("duong", "o ga"))]
    assert suggest_category(categories, "Đường bị ổ gà") == "ha-tang"


def test_more_matches_beat_fewer_and_phrases_weigh_more() -> None:
    assert suggest_category(CATEGORIES, "rác ở cống, rác khắp nơi, ngập nước") == "moi-truong"
    assert suggest_category(CATEGORIES, "cống bị tắc") == "ha-tang"  # tie: first listed


def test_no_match_gives_none() -> None:
    assert suggest_category(CATEGORIES, "Xin cảm ơn") is None
    assert suggest_category(CATEGORIES, "") is None
    assert suggest_category([], "ổ gà") is None
