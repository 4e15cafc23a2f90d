"""MOFCOM announcements: numbers, dates, control codes, HS codes and entity lists.

Run on the English seed (six announcements of October 2025 and the Unreliable
Entity List's No. 10, with commentary around them), on the real Chinese pages
in ../shared (skipped where absent), and on two small fixtures written for
these tests: a Chinese/English pair document and a scraped page with HTML
entities.
"""

# Chinese test text holds full-width punctuation (：，（）) on purpose.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import doctest
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.corpus import load_corpus, read_checked
from extract.kinds import mofcom
from extract.kinds.mofcom import (
    Announcement,
    ControlCode,
    find_announcements,
    find_thresholds,
    mofcom_facts,
)
from extract.readers import read_bytes, read_document
from extract.records import DocumentText, Fact
from tests.conftest import CORPUS, shared

SEED = CORPUS / "documents" / "mofcom-oct-2025-export-controls.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "mofcom"
SHA = "0" * 64


def from_text(text: str) -> DocumentText:
    return read_bytes(Path("doc.txt"), text.encode())


def facts_of(path: Path) -> tuple[DocumentText, list[Fact]]:
    text = read_document(path)
    return text, mofcom_facts(path.stem, SHA, text)


def by_kind(facts: list[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind]


def field(fact: Fact, name: str) -> object:
    return dict(fact.extra)[name]


def codes_of(a: Announcement, listed: bool = True) -> list[ControlCode]:
    return [c for c in a.control_codes if c.listed is listed]


@pytest.fixture(scope="module")
def seed() -> tuple[DocumentText, list[Fact]]:
    return facts_of(SEED)


@pytest.fixture(scope="module")
def seed_announcements() -> dict[str, Announcement]:
    found = find_announcements(read_document(SEED))
    return {a.number.rsplit(" ", 1)[-1]: a for a in found}


def test_doctests() -> None:
    assert doctest.testmod(mofcom).failed == 0


# --------------------------------------------------------------------------
# The English seed
# --------------------------------------------------------------------------


def test_seed_announcements_in_order(seed: tuple[DocumentText, list[Fact]]) -> None:
    _, facts = seed
    assert [field(f, "number") for f in by_kind(facts, "announcement")] == [
        "MOFCOM Announcement No. 61/2025",
        "MOFCOM Announcement No. 62/2025",
        "MOFCOM & GACC Announcement No. 55/2025",
        "MOFCOM & GACC Announcement No. 56/2025",
        "MOFCOM & GACC Announcement No. 57/2025",
        "MOFCOM & GACC Announcement No. 58/2025",
        "Unreliable Entity List Working Mechanism Announcement No. 10/2025",
    ]


def test_seed_counts(seed: tuple[DocumentText, list[Fact]]) -> None:
    _, facts = seed
    assert Counter(f.kind for f in facts) == {
        "announcement": 7,
        "control_code": 92,
        "hs_code": 30,
        "date": 16,
        "listed_entity": 23,
        "threshold": 2,  # "0.1% or more", "50% or more": items no code lists
    }
    listed = [f for f in by_kind(facts, "control_code") if field(f, "listed")]
    assert len(listed) == 72


def test_announcement_fact(seed: tuple[DocumentText, list[Fact]]) -> None:
    _, facts = seed
    fact = by_kind(facts, "announcement")[5]
    assert fact.text == (
        "MOFCOM & GACC Announcement No. 58/2025: Decision on Implementing Export "
        "Controls on Lithium Battery and Artificial Graphite Anode Material-Related Items"
    )
    assert dict(fact.extra) == {
        "number": "MOFCOM & GACC Announcement No. 58/2025",
        "number_en": "MOFCOM & GACC Announcement No. 58/2025",
        "authority": "Security and Control Bureau",
        "authorities": ["MOFCOM", "GACC"],
        "url": None,
        "title": "Decision on Implementing Export Controls on Lithium Battery and "
        "Artificial Graphite Anode Material-Related Items",
        "language": "en",
        "issue_date": "2025-10-09",
        "effective": [
            {"date": "2025-11-08", "applies_to": "all", "text": "from November 8, 2025"}
        ],
        "original": None,
    }


def test_effective_dates_per_section(
    seed_announcements: dict[str, Announcement],
) -> None:
    """No. 61 takes effect in two steps; "from the date of publication" is its
    issue date."""
    assert [e.to_json() for e in seed_announcements["61/2025"].effective] == [
        {
            "date": "2025-12-01",
            "applies_to": "Sections I(1) and I(2)",
            "text": "from December 1, 2025",
        },
        {
            "date": "2025-10-09",
            "applies_to": "Section I(3)",
            "text": "from the date of publication",
        },
    ]


def test_date_facts(seed: tuple[DocumentText, list[Fact]]) -> None:
    _, facts = seed
    dates = [
        (f.text, field(f, "date"), field(f, "role")) for f in by_kind(facts, "date")
    ]
    assert dates[:3] == [
        ("October 9, 2025", "2025-10-09", "issue"),
        ("December 1, 2025", "2025-12-01", "effective"),
        ("the date of publication", "2025-10-09", "effective"),
    ]
    # The Unreliable Entity List announcement is dated twice: header and seal.
    uel = [d for d in by_kind(facts, "date") if "Unreliable" in str(field(d, "announcement"))]  # fmt: skip
    assert [field(d, "role") for d in uel] == ["issue", "effective", "issue"]


def test_commentary_dates_are_no_facts(seed: tuple[DocumentText, list[Fact]]) -> None:
    """ "September 29" (the US Affiliates Rule) is in the commentary."""
    _, facts = seed
    assert not [f for f in facts if "September" in f.text]


# (code, item, thresholds as (text, value, unit, qualifier), HS codes)
LISTED = [
    (
        "3A001",
        "Rechargeable lithium-ion batteries (including cells and battery packs) "
        "with gravimetric energy density ≥ 300 Wh/kg",
        [("≥ 300 Wh/kg", 300, "wh_per_kg", "at_least")],
        ["85076000"],
    ),
    (
        "2C902.a",
        "Synthetic diamond micropowder with average particle size ≤ 50 μm",
        [("≤ 50 μm", 50, "um", "at_most")],
        ["71051020"],
    ),
    (
        "2C902.c",
        "Synthetic diamond wire saws with all of the following characteristics",
        [
            ("≤ 45 μm", 45, "um", "at_most"),
            ("≤ 8 μm", 8, "um", "at_most"),
            ("≤ 16 N", 16, "newton", "at_most"),
        ],
        [],
    ),
    (
        "3C901.a.1",
        "Lithium iron phosphate cathode materials with compacted density ≥ 2.5 g/cm³ "
        "and specific capacity ≥ 156 mAh/g",
        [
            ("≥ 2.5 g/cm³", 2.5, "g_per_cm3", "at_least"),
            ("≥ 156 mAh/g", 156, "mah_per_g", "at_least"),
        ],
        ["28429040"],
    ),
    (
        "2B902.a",
        "Centrifugal extraction equipment for rare earth production and processing",
        [],
        [],
    ),
    ("2B902", "Rare Earth Production and Processing Equipment", [], []),
    (
        "2B902.g",
        "Components for items controlled by 2B902.f",
        [("5.5~37 kW", 5.5, "kw", "at_least"), ("5.5~37 kW", 37, "kw", "at_most")],
        ["84798999", "84799090"],
    ),
    (
        "2B902.w",
        "Any of the following rare earth permanent magnet vacuum sintering furnaces "
        "with cooling time ≤ 20 min, heating temperature 500~1200 ℃, and temperature "
        "uniformity within ±3 ℃ at 1000 ℃",
        [
            ("≤ 20 min", 20, "minutes", "at_most"),
            ("500~1200 ℃", 500, "celsius", "at_least"),
            ("500~1200 ℃", 1200, "celsius", "at_most"),
            ("±3 ℃", 3, "celsius", "at_most"),
        ],
        [],
    ),
    (
        "3B901.a",
        "Equipment for manufacturing rechargeable lithium-ion batteries",
        [],
        ["84798999"],
    ),
    (
        "1E902.b",
        "Technologies for production line assembly, commissioning, maintenance, "
        "repair, and upgrading related to rare earth mining, smelting and separation, "
        "metal smelting, magnetic material manufacturing, and rare earth secondary "
        "resource recycling",
        [],
        [],
    ),
    (
        "3C902.b.2",  # as written; probably a typo for 3C901.b.2
        "Mixed artificial graphite and natural graphite anode materials",
        [],
        [],
    ),
]


@pytest.mark.parametrize(("code", "item", "thresholds", "hs_codes"), LISTED)
def test_listed_control_codes(
    seed: tuple[DocumentText, list[Fact]],
    code: str,
    item: str,
    thresholds: list[tuple[str, float, str, str]],
    hs_codes: list[str],
) -> None:
    _, facts = seed
    (fact,) = [
        f
        for f in by_kind(facts, "control_code")
        if f.text == code and field(f, "listed")
    ]
    assert field(fact, "code") == code
    assert field(fact, "item") == item
    assert [
        (t["text"], t["value"], t["unit"], t["qualifier"])
        for t in field(fact, "thresholds")  # type: ignore[attr-defined]
    ] == thresholds
    assert field(fact, "hs_codes") == hs_codes


def test_item_of_code_tag_starts_after_enumerator(
    seed_announcements: dict[str, Announcement],
) -> None:
    """ "(1) Technologies ...; (Control Code: 1E902.a)": the tag follows the item."""
    (first, _) = codes_of(seed_announcements["62/2025"])
    assert first.code == "1E902.a"
    assert first.item is not None and first.item.startswith("Technologies and their")


def test_cross_references_are_not_listed(
    seed_announcements: dict[str, Announcement],
) -> None:
    references = [
        c.code for a in seed_announcements.values() for c in codes_of(a, listed=False)
    ]
    assert references == [
        "2C902.b",  # Note: Item 2C902.b does not control lab-grown diamonds
        "2B902.f", "2B902.o", "2B902.q",  # components for items controlled by ...
        "2B104",  # not controlled by 2B104
        # No. 57's Notes
        "1C909.a.2", "1C910.a.2", "1C912.a.2", "1C909.a.3", "1C910.a.3",
        "1C911.a.2", "1C912.a.3", "1C913.a.2", "1C909.a.4",
        "1C909", "1C910", "1C911", "1C912", "1C913",
        "3A001",  # technology for producing items controlled by 3A001
    ]  # fmt: skip


def test_reference_takes_the_listed_item(
    seed_announcements: dict[str, Announcement],
) -> None:
    (ref,) = codes_of(seed_announcements["58/2025"], listed=False)
    assert ref.code == "3A001"
    assert ref.item is not None and ref.item.startswith("Rechargeable lithium-ion")
    assert ref.thresholds == () and ref.hs_codes == ()


def test_code_mention_leaves_out_its_period(
    seed: tuple[DocumentText, list[Fact]],
) -> None:
    """ "(1) 3C901.a.1. Lithium ...": the code is "3C901.a.1", not "3C901.a.1."."""
    text, facts = seed
    for f in by_kind(facts, "control_code"):
        assert not f.text.endswith(".")
        assert text.text[f.end : f.end + 1] in (".", " ", ",", ")", ":", "")


def test_hs_codes_tied_to_their_items(seed: tuple[DocumentText, list[Fact]]) -> None:
    _, facts = seed
    hs = by_kind(facts, "hs_code")
    assert all(len(f.text) == 8 and f.text.isdigit() for f in hs)
    first_58 = [f for f in hs if field(f, "announcement").endswith("58/2025")][:4]  # type: ignore[attr-defined]
    assert [(field(f, "control_code"), field(f, "item")) for f in first_58] == [
        (
            "3A001",
            "Rechargeable lithium-ion batteries (including cells and battery packs) "
            "with gravimetric energy density ≥ 300 Wh/kg",
        ),
        ("3B901.a", "Winding machine"),
        ("3B901.a", "Stacking machine"),
        ("3B901.a", "Electrolyte filling machine"),
    ]
    assert {field(f, "control_code") for f in hs} >= {"2C902.a", "1C914.c", "1C913.a"}


def test_entity_list(seed: tuple[DocumentText, list[Fact]]) -> None:
    _, facts = seed
    entities = by_kind(facts, "listed_entity")
    names = [field(f, "name") for f in entities]
    assert names[:3] == ["Dedrone by Axon", "DZYNE Technologies", "Elbit Systems of America, LLC"]  # fmt: skip
    assert names[-1] == "SARI Strategy Analytics Private Limited"
    assert "TechInsights Inc. and its affiliates" not in names  # a group heading
    assert {field(f, "list") for f in entities} == {"Unreliable Entity List"}
    groups = Counter(field(f, "group") for f in entities)
    assert groups == {None: 13, "TechInsights Inc. and its affiliates": 10}
    assert all(f.text == f.quote for f in entities)


# --------------------------------------------------------------------------
# Every document: offsets, and nothing where there is no announcement
# --------------------------------------------------------------------------


def check_offsets(text: DocumentText, facts: list[Fact]) -> None:
    for f in facts:
        assert text.text[f.start : f.end] == f.text, f
        assert text.text[f.quote_start : f.quote_end] == f.quote, f
        assert f.quote_start <= f.start and f.end <= f.quote_end, f
    assert len({f.id for f in facts}) == len(facts)


def test_every_corpus_document() -> None:
    corpus = load_corpus(CORPUS)
    for doc in corpus.documents:
        text = read_bytes(corpus.path_of(doc), read_checked(corpus, doc))
        facts = mofcom_facts(doc.id, doc.sha256, text)
        check_offsets(text, facts)
        if doc.kind != "mofcom":
            assert facts == [], doc.id


def test_ids_are_stable(seed: tuple[DocumentText, list[Fact]]) -> None:
    text, facts = seed
    assert [f.id for f in mofcom_facts(SEED.stem, SHA, text)] == [f.id for f in facts]


# --------------------------------------------------------------------------
# The real Chinese pages in ../shared
# --------------------------------------------------------------------------

# (file name start, number, number_en, issue date, effective [(date, text)],
#  listed codes, references, HS codes, date facts)
CHINESE = [
    ("2024-08-26", "商务部 海关总署公告2024年第33号", "MOFCOM & GACC Announcement No. 33/2024",
     "2024-08-26", [("2024-09-15", "自2024年9月15日起")], 0, 0, 17, 2),
    ("2024-12-17", "商务部公告2024年第46号", "MOFCOM Announcement No. 46/2024",
     "2024-12-17", [], 0, 0, 0, 1),
    ("2025-02-04", "商务部 海关总署公告2025年第10号", "MOFCOM & GACC Announcement No. 10/2025",
     "2025-02-04", [("2025-02-04", "自发布之日起")], 18, 11, 41, 2),
    ("2025-10-09-商务部-海关总署公告2025年第55号", "商务部 海关总署公告2025年第55号",
     "MOFCOM & GACC Announcement No. 55/2025", "2025-10-09",
     [("2025-11-08", "自2025年11月8日起")], 6, 1, 4, 2),
    ("2025-10-09-商务部-海关总署公告2025年第56号", "商务部 海关总署公告2025年第56号",
     "MOFCOM & GACC Announcement No. 56/2025", "2025-10-09",
     [("2025-11-08", "自2025年11月8日起")], 27, 4, 14, 2),
    # The scraper's title drops the 年: "商务部公告2025第62号".
    ("2025-10-09-商务部公告2025第62号", "商务部公告2025年第62号", "MOFCOM Announcement No. 62/2025",
     "2025-10-09", [("2025-10-09", "自发布之日起")], 2, 0, 0, 2),
]  # fmt: skip


def chinese_page(start: str) -> Path:
    folder = shared("mofcom", "verbatim-zh")
    (path,) = [p for p in folder.glob("*.md") if p.name.startswith(start)]
    return path


@pytest.mark.parametrize(
    ("start", "number", "number_en", "issued", "effective", "listed", "references",
     "hs", "dates"),
    CHINESE,
)  # fmt: skip
def test_chinese_pages(
    start: str,
    number: str,
    number_en: str,
    issued: str,
    effective: list[tuple[str, str]],
    listed: int,
    references: int,
    hs: int,
    dates: int,
) -> None:
    text, facts = facts_of(chinese_page(start))
    check_offsets(text, facts)
    (a,) = find_announcements(text)
    assert (a.number, a.number_en, a.issue_date, a.language) == (
        number, number_en, issued, "zh",
    )  # fmt: skip
    assert [(e.date, e.text) for e in a.effective] == effective
    assert all(e.applies_to == "all" for e in a.effective)
    assert (len(codes_of(a)), len(codes_of(a, listed=False))) == (listed, references)
    assert (len(a.hs_codes), len(a.dates)) == (hs, dates)


def test_chinese_summary_and_wrapper_are_not_read() -> None:
    """The Summary repeats the start of the announcement, cut off: no facts
    there; nor from the scraper's Key Details or Notes."""
    text, facts = facts_of(chinese_page("2024-08-26"))
    summary = text.text.index("## Summary")
    body = text.text.index("## Key Provisions")
    after = text.text.index("\n## ", body)
    assert not [f for f in facts if summary < f.start < body or f.start > after]
    assert len(by_kind(facts, "hs_code")) == 17  # the Summary repeats four


def test_chinese_items_hs_and_thresholds() -> None:
    text = read_document(chinese_page("2025-02-04"))
    (a,) = find_announcements(text)
    by_code: dict[str, ControlCode] = {}
    for c in codes_of(a):
        by_code.setdefault(c.code, c)  # 1E101.b is listed twice: keep the first
    assert by_code["1C004"].item == "具有下述所有特性的钨镍铁合金或钨镍铜合金"
    assert by_code["1E004"].item == by_code["1E101.b"].item  # one item, two codes
    assert (
        by_code["3E004"].item
        == "生产3C004项的技术及资料（含工艺规范、工艺参数、加工程序等）"
    )
    molybdenum = by_code["1C117.b"]
    assert [(t.text, t.value, t.unit, t.qualifier) for t in molybdenum.thresholds] == [
        ("大于等于97%", 97, "percent", "at_least"),
        ("小于等于50×10⁻⁶m", 5e-05, "m", "at_most"),
    ]
    # The items before the first code lost their heading to the scraper.
    assert [(h.code, h.control_code, h.item) for h in a.hs_codes[:2]] == [
        ("2841801000", None, "仲钨酸铵"),
        ("2825901200", None, "氧化钨"),
    ]


def test_chinese_code_tag() -> None:
    """ "（管制编码：1E902.a）" after the item lists the code."""
    (a,) = find_announcements(read_document(chinese_page("2025-10-09-商务部公告")))
    assert [(c.code, c.listed) for c in a.control_codes] == [
        ("1E902.a", True),
        ("1E902.b", True),
    ]
    assert a.control_codes[0].item == (
        "稀土开采、冶炼分离、金属冶炼、磁材制造、稀土二次资源回收利用相关技术及其载体"
    )


# --------------------------------------------------------------------------
# Fixtures: a Chinese/English pair document, a page with HTML entities
# --------------------------------------------------------------------------


def test_chinese_and_english_paired() -> None:
    """Facts come from the English line and keep the Chinese one as original."""
    text, facts = facts_of(FIXTURES / "bilingual.txt")
    check_offsets(text, facts)
    assert Counter(f.kind for f in facts) == {
        "announcement": 1, "control_code": 2, "hs_code": 2, "date": 2,
    }  # fmt: skip
    (announcement,) = by_kind(facts, "announcement")
    assert field(announcement, "number") == "MOFCOM & GACC Announcement No. 55/2025"
    assert field(announcement, "original") == (
        "商务部 海关总署公告2025年第55号 公布对超硬材料相关物项实施出口管制的决定"
    )
    code = by_kind(facts, "control_code")[0]
    assert (code.text, field(code, "original")) == (
        "2C902.a",
        "一、2C902.a．平均粒径小于等于50 μm的人造金刚石微粉（参考税则号列：71051020）",
    )
    effective, issued = by_kind(facts, "date")
    assert field(effective, "original") == "本公告自2025年11月8日起正式实施。"
    # The seal's date has no English line after it: read as it stands.
    assert (issued.text, field(issued, "role"), field(issued, "original")) == (
        "2025年10月9日", "issue", None,
    )  # fmt: skip


def test_unrelated_lines_are_not_paired() -> None:
    """A Chinese line followed by English that shares none of its figures is
    no translation: both are read."""
    text = from_text(
        "MOFCOM Announcement No. 1/2025: Test\n"
        "一、1A901．功率大于等于10 kW的设备（参考海关商品编号：8479899999）\n"
        "(2) 1A902 Equipment with power ≥ 20 kW (Reference HS Code: 8479899998)\n"
    )
    (a,) = find_announcements(text)
    assert [(c.code, c.original) for c in a.control_codes] == [
        ("1A901", None),
        ("1A902", None),
    ]


def test_html_entities_parsed_but_offsets_raw() -> None:
    text, facts = facts_of(FIXTURES / "escaped-page.md")
    check_offsets(text, facts)
    (a,) = find_announcements(text)
    listed = codes_of(a)
    assert [c.code for c in listed] == ["9A999.a", "9B999"]
    assert listed[0].item == "粒径>50 μm且≤500 μm的测试粉末"
    assert [(t.text, t.value, t.qualifier) for t in listed[0].thresholds] == [
        ("&gt;50 μm", 50, "more_than"),
        ("&le;500 μm", 500, "at_most"),
    ]
    assert [(t.text, t.unit) for t in listed[1].thresholds] == [("&ge;10 kW", "kw")]
    (code,) = [f for f in facts if f.text == "9A999.a" and field(f, "listed")]
    assert "&gt;50 μm" in code.quote  # the quote is the raw line


def test_scraped_page_sections() -> None:
    """Summary, Key Details and Notes are the scraper's, not the announcement's;
    the page's Date: line is the issue date."""
    text, facts = facts_of(FIXTURES / "escaped-page.md")
    assert not [f for f in facts if f.text in ("1111111111", "9C999")]
    assert [(f.text, field(f, "role")) for f in by_kind(facts, "date")] == [
        ("2025-12-01", "issue"),
        ("2026年1月1日", "effective"),
    ]
    (a,) = find_announcements(text)
    assert (a.number, a.authority) == ("商务部公告2025年第99号", "商务部")


# --------------------------------------------------------------------------
# Small texts: edge cases
# --------------------------------------------------------------------------


def test_announcement_without_title_line() -> None:
    """No. 10 of the Unreliable Entity List opens with its header block."""
    text = from_text(
        "Issuing Authority: Security and Control Bureau\n"
        "Document Number: Unreliable Entity List Working Mechanism [2025] No. 10\n"
        "Issue Date: October 9, 2025\n"
    )
    (a,) = find_announcements(text)
    assert (
        a.number == "Unreliable Entity List Working Mechanism Announcement No. 10/2025"
    )
    assert text.text[slice(*a.title_span)].startswith("Document Number:")
    assert a.issue_date == "2025-10-09"


def test_chinese_bracketed_number_and_enumerated_entity_groups() -> None:
    text = from_text(
        "不可靠实体清单工作机制公告〔2025〕11号\n"
        "本公告自公布之日起实施。\n"
        "附件\n"
        "列入不可靠实体清单的外国实体名单\n"
        "1. Alpha Corp.\n"
        "2. Beta Holdings及其关联公司：\n"
        "（1）Beta Holdings Inc.\n"
        "（2）Beta Europe Ltd.\n"
        "3. Gamma LLC\n"
    )
    (a,) = find_announcements(text)
    assert (a.number, a.number_en) == (
        "不可靠实体清单工作机制公告2025年第11号",
        "Unreliable Entity List Working Mechanism Announcement No. 11/2025",
    )
    assert a.issue_date is None and a.effective[0].date is None  # no date printed
    assert [(e.name, e.group) for e in a.entities] == [
        ("Alpha Corp.", None),
        ("Beta Holdings Inc.", "Beta Holdings及其关联公司"),
        ("Beta Europe Ltd.", "Beta Holdings及其关联公司"),
        ("Gamma LLC", None),
    ]
    assert {e.list_name for e in a.entities} == {"Unreliable Entity List"}


def test_impossible_date_is_no_date() -> None:
    text = from_text("MOFCOM Announcement No. 1/2025: Test\nIssue Date: February 30, 2025\n")  # fmt: skip
    (a,) = find_announcements(text)
    assert a.issue_date is None and a.dates == ()


def test_announcement_number_in_prose_opens_none() -> None:
    text = from_text(
        "MOFCOM Announcement No. 23/2023 controls gallium. HS Code: 81129290.\n"
        "China issued 商务部公告2023年第23号 in July.\n"
    )
    assert find_announcements(text) == ()


# --------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------

THRESHOLDS = [
    ("≥ 300 Wh/kg", 300, "wh_per_kg", "at_least"),
    ("≤ 50 μm", 50, "um", "at_most"),
    ("> 300 L", 300, "litres", "more_than"),
    ("≥ 1×10⁻³ Pa", 0.001, "pa", "at_least"),
    ("≤ 80ppm", 80, "ppm", "at_most"),
    ("≥ 1.5T", 1.5, "tesla", "at_least"),
    ("≥ 40 m/s", 40, "m_per_s", "at_least"),
    ("≤ 30 HRB", 30, "hrb", "at_most"),
    ("小于等于50 μm", 50, "um", "at_most"),
    ("大于等于5000 m3", 5000, "m3", "at_least"),
    ("大于99.999%", 99.999, "percent", "more_than"),
    ("大于等于500毫米", 500, "mm", "at_least"),
    ("大于5千兆帕", 5, "gpa", "more_than"),
    ("10千瓦以上", 10, "kw", "at_least"),
    ("65%及以上", 65, "percent", "at_least"),
    ("小于50个/平方厘米", 50, "per_cm2", "less_than"),
    ("±3 ℃以内", 3, "celsius", "at_most"),
]


@pytest.mark.parametrize(("mention", "value", "unit", "qualifier"), THRESHOLDS)
def test_thresholds(mention: str, value: float, unit: str, qualifier: str) -> None:
    (t,) = find_thresholds(f"特性：{mention}；")
    assert (t.text, t.value, t.unit, t.qualifier) == (mention, value, unit, qualifier)


def test_range_is_two_thresholds() -> None:
    low, high = find_thresholds("Current range 6000~30000 A;")
    assert (low.text, low.value, low.qualifier) == ("6000~30000 A", 6000, "at_least")
    assert (high.value, high.unit, high.qualifier) == (30000, "ampere", "at_most")


def test_bare_figures_and_codes_are_no_thresholds() -> None:
    assert find_thresholds("heating at 1000 ℃; CAS 14802-03-0; P507; 2B902.a") == ()


@given(
    value=st.decimals(min_value=0, max_value=100000, places=2).map(str),
    comparator=st.sampled_from(
        ["≥", "≤", ">", "<", "大于等于", "小于等于", "大于", "小于"]
    ),
    unit=st.sampled_from(["μm", "kW", "℃", "kg", "m³", "Pa", "A/cm²"]),
    space=st.sampled_from(["", " "]),
)
def test_threshold_values_round_trip(
    value: str, comparator: str, unit: str, space: str
) -> None:
    mention = f"{comparator}{space}{value}{space}{unit}"
    (t,) = find_thresholds(f"with {mention};")
    assert t.text == mention
    assert t.value == float(value)
    assert t.qualifier == mofcom._COMPARATORS[comparator]
