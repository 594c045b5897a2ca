"""The catalogue: department lists as the official text has them, name resolution,
lead/co roles (cities through their group), and the content-keyed cache."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.load import build_catalog, load_catalog
from jsgj.errors import InvalidDataError, NotFoundError

MEASURES = paths.PACKAGE_DATA / "measures.yaml"
DEPARTMENTS = paths.PACKAGE_DATA / "departments.yaml"


def official_department_lists() -> list[list[str]]:
    """Each measure's departments straight from the official text, independently of
    jsgj.validate: the parenthesis ending in 按职责分工负责, split on 、 and ，."""
    text = paths.source_path().read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    lists = re.findall(r"\(([^()]+?)按职责分工负责\)", flat)
    return [[x for x in re.split(r"[、,]", item) if x] for item in lists]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return build_catalog(MEASURES, DEPARTMENTS)


def test_department_lists_equal_the_official_text(catalog: Catalog) -> None:
    official = official_department_lists()
    assert len(official) == 19
    assert [list(m.departments) for m in catalog.measures] == official
    # ... and by id, the first one leads.
    for m, names in zip(catalog.measures, official, strict=True):
        ids = catalog.department_ids(m)
        assert [catalog.department(i).name for i in ids] == names
        assert catalog.lead_id(m) == ids[0]


def test_measure_6_and_9(catalog: Catalog) -> None:
    assert catalog.department_ids(catalog.measure(6)) == (
        "development_reform",
        "education",
        "industry_it",
        "hrss",
        "sasac",
        "federation_commerce",
        "cities",
    )
    assert catalog.measure(9).title == "建强急需紧缺领域高技能人才队伍"
    assert len(catalog.measure(9).departments) == 12


@pytest.mark.parametrize(
    "typed",
    [
        "人社厅",
        "省人社厅",
        "hrss",
        "HRSS",
        " 人社厅 ",
        "省人力资源社会保障厅",
        "江苏省人力资源和社会保障厅",
    ],
)
def test_resolve_any_name(catalog: Catalog, typed: str) -> None:
    assert catalog.resolve(typed).id == "hrss"


def test_resolve_full_width_forms(catalog: Catalog) -> None:
    # NFKC: full-width Latin letters are the same id.
    assert catalog.resolve("ｈｒｓｓ").id == "hrss"


def test_hrss_leads_12_and_co_owns_7(catalog: Catalog) -> None:
    led, co = catalog.measures_of(catalog.resolve("人社厅").id)
    assert len(led) == 12 and len(co) == 7
    assert [m.number for m in co] == [1, 2, 3, 4, 6, 10, 11]
    assert [m.number for m in led] == [5, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19]


def test_every_alias_resolves_to_exactly_its_department(catalog: Catalog) -> None:
    for d in catalog.departments:
        for key in (d.id, d.name, d.full_name, *d.aliases):
            assert catalog.resolve(key) is d, key


def test_unknown_department_gets_suggestions(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError) as info:
        catalog.resolve("人设厅")
    message = str(info.value)
    assert message.startswith("unknown department '人设厅'; did you mean ")
    assert "省人力资源社会保障厅 (hrss)" in message
    with pytest.raises(NotFoundError, match="`jsgj departments list` shows them all"):
        catalog.resolve("xyzzy")


def test_cities_through_their_group(catalog: Catalog) -> None:
    cities = catalog.resolve("各设区市")
    assert cities.is_group and len(cities.members) == 13
    nanjing = catalog.resolve("南京")
    assert catalog.group_of(nanjing.id) is cities
    m1 = catalog.measure(1)
    assert catalog.role(m1, "cities") == "co"
    assert catalog.role(m1, "nanjing") == "co"
    assert catalog.role(m1, "finance") is None
    assert catalog.role(m1, "education") == "lead"
    led, co = catalog.measures_of("suqian")
    assert led == [] and [m.number for m in co] == [1, 3, 5, 6, 19]
    assert "nanjing" in catalog.eligible_ids(m1)
    assert "nanjing" not in catalog.eligible_ids(catalog.measure(2))


def test_named_is_the_21_bodies_of_the_document(catalog: Catalog) -> None:
    named = catalog.named()
    assert len(named) == 21
    assert "各设区市人民政府" in [d.name for d in named]
    assert "南京市人民政府" not in [d.name for d in named]


def test_unknown_measure_and_section(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="no measure 20: the document has measures 1-19"):
        catalog.measure(20)
    with pytest.raises(NotFoundError, match="no section 6"):
        catalog.section(6)


def test_cache_is_keyed_by_content(data_copy: Path, isolated: Path) -> None:
    m, d = data_copy / "measures.yaml", data_copy / "departments.yaml"
    first = load_catalog(m, d)
    entries = list((isolated / "cache").glob("catalog-*.json"))
    assert len(entries) == 1
    again = load_catalog(m, d)
    assert [x.departments for x in again.measures] == [x.departments for x in first.measures]
    # An edit changes the key: the edited file is validated, not served from the cache.
    text = m.read_text(encoding="utf-8")
    m.write_text(text.replace("      - 省教育厅\n", "      - 省教育局\n", 1), encoding="utf-8")
    with pytest.raises(InvalidDataError) as info:
        load_catalog(m, d)
    assert [p.code for p in info.value.problems] == ["D001"]


def test_corrupt_cache_entry_is_rebuilt(data_copy: Path, isolated: Path) -> None:
    m, d = data_copy / "measures.yaml", data_copy / "departments.yaml"
    load_catalog(m, d)
    (entry,) = (isolated / "cache").glob("catalog-*.json")
    entry.write_bytes(b"not json")
    assert len(load_catalog(m, d).measures) == 19
