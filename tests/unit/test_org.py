import pytest

from bot.domain.org import Category, Commune, Directory, Role, Unit, haversine_km

ADMIN = 100001
HEAD = 200001
OFFICER = 200002
OTHER_OFFICER = 200011
CITIZEN = 300001


@pytest.fixture
def directory() -> Directory:
    return Directory(
        units=[
            Unit(
                "ubnd-hai-chau",
                "UBND Phường Hải Châu",
                telegram_chat_id=-1001000000006,
                officers=frozenset({HEAD, OFFICER}),
                heads=frozenset({HEAD}),
            ),
            Unit(
                "thanh-tra",
                "Thanh tra thành phố",
                telegram_chat_id=-1001000000002,
                officers=frozenset({OTHER_OFFICER}),
                # A head missing from officers is still an officer.
                heads=frozenset({OTHER_OFFICER, 200012}),
                forum=True,
            ),
        ],
        communes=[
            Commune("hai-chau", "Phường Hải Châu", 16.0678, 108.2208),
            Commune("thanh-khe", "Phường Thanh Khê", 16.0644, 108.1877),
            Commune("hoa-vang", "Xã Hòa Vang", 15.9876, 108.1311),
            Commune("moi", "Phường Mới", None, None),
        ],
        categories=[Category("ha-tang", {"vi": "Hạ tầng, giao thông", "en": "Roads"}, ("ổ gà",))],
        admins=frozenset({ADMIN}),
        escalation_chat_id=-1001000000009,
    )


def test_unit_by_id(directory: Directory) -> None:
    assert directory.unit("thanh-tra").forum is True
    with pytest.raises(KeyError):
        directory.unit("khong-co")


def test_unit_by_chat(directory: Directory) -> None:
    unit = directory.unit_by_chat(-1001000000006)
    assert unit is not None
    assert unit.id == "ubnd-hai-chau"
    assert directory.unit_by_chat(-1001000000009) is None
    assert directory.unit_by_chat(HEAD) is None


@pytest.mark.parametrize(
    ("user", "unit", "role"),
    [
        (ADMIN, "ubnd-hai-chau", Role.ADMIN),
        (ADMIN, "thanh-tra", Role.ADMIN),
        (HEAD, "ubnd-hai-chau", Role.HEAD),
        (OFFICER, "ubnd-hai-chau", Role.OFFICER),
        (OFFICER, "thanh-tra", None),
        (CITIZEN, "ubnd-hai-chau", None),
        (200012, "thanh-tra", Role.HEAD),
        (HEAD, "khong-co", None),
    ],
)
def test_role_in(directory: Directory, user: int, unit: str, role: Role | None) -> None:
    assert directory.role_in(user, unit) == role


def test_heads_and_admins_are_officers(directory: Directory) -> None:
    assert directory.is_officer(HEAD, "ubnd-hai-chau")
    assert directory.is_officer(ADMIN, "thanh-tra")
    assert directory.is_officer(200012, "thanh-tra")
    assert not directory.is_officer(CITIZEN, "thanh-tra")


def test_only_heads_and_admins_are_heads(directory: Directory) -> None:
    assert directory.is_head(HEAD, "ubnd-hai-chau")
    assert directory.is_head(ADMIN, "ubnd-hai-chau")
    assert not directory.is_head(OFFICER, "ubnd-hai-chau")
    assert not directory.is_head(HEAD, "thanh-tra")


def test_units_of(directory: Directory) -> None:
    assert [u.id for u in directory.units_of(OFFICER)] == ["ubnd-hai-chau"]
    assert [u.id for u in directory.units_of(200012)] == ["thanh-tra"]
    assert [u.id for u in directory.units_of(ADMIN)] == ["ubnd-hai-chau", "thanh-tra"]
    assert directory.units_of(CITIZEN) == []


def test_role_values() -> None:
    assert [r.value for r in Role] == ["citizen", "officer", "head", "admin"]


def test_nearest_commune(directory: Directory) -> None:
    # Cầu Rồng, on the Hải Châu bank of the Hàn river.
    nearest = directory.nearest_commune(16.0612, 108.2270)
    assert nearest is not None
    assert nearest.id == "hai-chau"
    # Bà Nà hills, far west.
    nearest = directory.nearest_commune(15.9977, 107.9880)
    assert nearest is not None
    assert nearest.id == "hoa-vang"


def test_nearest_commune_without_coordinates() -> None:
    directory = Directory(units=[], communes=[Commune("p1", "Phường 1")])
    assert directory.nearest_commune(16.0, 108.0) is None


def test_haversine() -> None:
    # Hà Nội to Hồ Chí Minh City is about 1,140 km as the crow flies.
    assert haversine_km(21.0285, 105.8542, 10.7769, 106.7009) == pytest.approx(1140, rel=0.02)
    assert haversine_km(16.0, 108.0, 16.0, 108.0) == 0


def test_lookups_and_category_names(directory: Directory) -> None:
    assert directory.commune("hoa-vang").name == "Xã Hòa Vang"
    category = directory.category("ha-tang")
    assert category.name("en") == "Roads"
    assert category.name("fr") == "Hạ tầng, giao thông"
    with pytest.raises(KeyError):
        directory.category("khac")
    assert directory.escalation_chat_id == -1001000000009
