"""MOFCOM announcements on real scraped pages (issue 9, part 3).

Every shared MOFCOM page gives its announcement or one notice naming what
could not be found. The small pages below are written by the tests, each
showing one thing the scraped pages do: HTML entities, full-width symbols,
Chinese comparatives and units, numbers only in a header line or an order's
title, repeated Summary text and the scraper's boilerplate.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extract.facts import extract_facts
from extract.kinds.mofcom import find_announcements, mofcom_facts, notice
from extract.readers import read_bytes, read_document
from extract.records import Fact
from tests.conftest import ROOT, SHARED

MOFCOM = SHARED / "mofcom"
PAGES = sorted(MOFCOM.glob("verbatim-zh*/*.md")) if MOFCOM.is_dir() else []
SEED = ROOT / "corpus" / "documents" / "mofcom-oct-2025-export-controls.txt"
BRIEF = Path(sys.executable).parent / "brief"


def page(body: str, title: str = "中国出口管制信息网", summary: str = "") -> str:
    """A page in the scraper's template, around ``body`` (its Key Provisions)."""
    return (
        f"# {title}\n\n- **Source**: exportcontrol.mofcom.gov.cn\n"
        "- **URL**: http://exportcontrol.mofcom.gov.cn/article/zcfg/202501/1.html\n"
        f"- **Date**: 2025-01-06\n\n## Summary\n\n{summary}\n\n## Key Details\n\n"
        "- **Issuing Authority**: Ministry of Commerce of PRC\n\n"
        f"## Key Provisions\n\n{body}\n\n## Supply Chain Impact Assessment\n\n"
        "This policy may impact supply chains. Companies should review compliance "
        "requirements.\n\n## Notes\n\nWebFetch Status: success\n"
    )


def facts_of(text: str) -> tuple[Fact, ...]:
    doc = read_bytes(Path("page.md"), text.encode())
    found = extract_facts("page", "0" * 64, doc)
    for f in found:
        assert doc.text[f.start : f.end] == f.text
        assert doc.text[f.quote_start : f.quote_end] == f.quote
    return found


def field(fact: Fact, name: str) -> object:
    """A kind-specific field of a fact."""
    return dict(fact.extra).get(name)


def kinds(found: tuple[Fact, ...], kind: str) -> list[Fact]:
    return [f for f in found if f.kind == kind]


@pytest.mark.skipif(not PAGES, reason="../shared/corpus-candidates/mofcom not present")
@pytest.mark.parametrize("path", [*PAGES, SEED], ids=lambda p: p.name[:40])
def test_every_page_gives_an_announcement_or_one_notice(path: Path) -> None:
    text = read_document(path)
    found = mofcom_facts(path.stem, "0" * 64, text)
    announcements = kinds(tuple(found), "announcement")
    notices = kinds(tuple(found), "notice")
    assert announcements or notices, f"{path.name}: silent"
    assert len(notices) <= 1
    for f in found:
        assert text.text[f.start : f.end] == f.text
    for a in announcements:
        if field(a, "number") is None:
            assert notices, f"{path.name}: an unnumbered announcement without a notice"


def test_entities_and_full_width_signs_are_read_at_the_raw_offsets() -> None:
    body = (
        "商务部 海关总署公告2025年第1号 关于对石墨实施出口管制的公告\n\n"
        "一、球形石墨，纯度&gt;99.9%（参考海关商品编号：2504101000）。\n\n"
        "二、人造石墨，纯度＞99.95％，密度&gt;1.73克/立方厘米。\n\n"
        "本公告自2025年2月1日起正式实施。"
    )
    found = facts_of(page(body))
    thresholds = {
        (f.text, f.value, f.unit, f.qualifier) for f in kinds(found, "threshold")
    }
    assert ("&gt;99.9%", 99.9, "percent", "more_than") in thresholds
    assert ("＞99.95％", 99.95, "percent", "more_than") in thresholds
    assert ("&gt;1.73克/立方厘米", 1.73, "g_per_cm3", "more_than") in thresholds
    assert [f.text for f in kinds(found, "hs_code")] == ["2504101000"]


@pytest.mark.parametrize(
    ("item", "value", "unit", "qualifier"),
    [
        ("抗压强度大于30Mpa", 30, "mpa", "more_than"),
        ("抗拉强度不低于800兆帕", 800, "mpa", "at_least"),
        ("粒径10微米以下", 10, "um", "at_most"),
        ("线宽小于等于7纳米", 7, "nm", "at_most"),
        ("年产能5000吨以上", 5000, "tonnes", "at_least"),
        ("单件重量不超过2千克", 2, "kg", "at_most"),
    ],
)
def test_chinese_comparatives_and_units(
    item: str, value: float, unit: str, qualifier: str
) -> None:
    body = f"商务部公告2025年第2号 关于实施出口管制的公告\n\n一、{item}的设备。"
    [t] = kinds(facts_of(page(body)), "threshold")
    assert (t.value, t.unit, t.qualifier) == (value, unit, qualifier)


def test_a_document_number_gives_no_year_to_a_quantity() -> None:
    body = (
        "商务部公告2025年第3号 关于石墨的公告\n\n"
        "依照商务部、海关总署令2006年第50号的规定，纯度大于99.9%的石墨不得出口。"
    )
    [q] = kinds(facts_of(page(body)), "quantity")
    assert (q.text, q.qualifier, q.year) == ("大于99.9%", "more_than", None)


def test_text_the_scraper_repeated_gives_one_fact() -> None:
    sentence = "纯度大于99.99%的锑的氧化物，未经许可，不得出口。"
    found = facts_of(
        page(f"商务部公告2025年第4号 关于锑的公告\n\n{sentence}", summary=sentence)
    )
    assert [q.text for q in kinds(found, "quantity")] == ["大于99.99%"]


def test_the_scrapers_boilerplate_is_no_claim() -> None:
    found = facts_of(
        page("商务部公告2025年第5号 关于锑的公告\n\n一、禁止两用物项出口。")
    )
    assert not any("Companies should" in c.quote for c in kinds(found, "claim"))


def test_the_number_of_a_header_line_or_an_orders_title() -> None:
    header = page(
        "【发布文号】商务部公告2024年第46号\n\n【发文日期】2024年12月03日\n\n本公告自公布之日起正式实施。"
    )
    [a] = find_announcements(read_bytes(Path("p.md"), header.encode()))
    assert (a.number, a.issue_date, a.effective[0].date) == (
        "商务部公告2024年第46号",
        "2024-12-03",
        "2024-12-03",
    )
    order = page(
        "现公布《关于反制措施的决定》，自2025年8月13日起施行。",
        title="中华人民共和国商务部令二〇二五年第5号 关于反制措施的决定",
    )
    [a] = find_announcements(read_bytes(Path("p.md"), order.encode()))
    assert (a.number, a.number_en) == (
        "中华人民共和国商务部令2025年第5号",
        "MOFCOM Order No. 5/2025",
    )
    assert [e.date for e in a.effective] == ["2025-08-13"]


def test_an_unnumbered_announcement_gets_a_notice_naming_the_number() -> None:
    body = (
        "公安部、商务部、海关总署决定优化监管措施。现将有关事项公告如下：\n\n"
        "一、含量低于60%（含）的光刻胶，免于办理进口许可。\n\n本公告自2024年1月1日起施行。"
    )
    found = facts_of(page(body))
    [a] = kinds(found, "announcement")
    assert field(a, "number") is None
    assert {"公安部", "商务部", "海关总署"} <= set(field(a, "authorities"))
    [t] = kinds(found, "threshold")
    assert (t.value, t.qualifier) == (60, "at_most")
    [n] = kinds(found, "notice")
    assert "no announcement number" in field(n, "message")


def test_a_news_page_gets_one_notice_and_a_report_none() -> None:
    news = page(
        "问：请问商务部对此有何评论？\n\n答：中方希望荷方以负责任的态度相向而行。"
    )
    [n] = kinds(facts_of(news), "notice")
    assert field(n, "message").startswith("no announcement found")
    assert (
        notice("CRS cites MOFCOM Announcement No. 61/2025 in a footnote.", ()) is None
    )


def test_brief_facts_prints_the_notice(tmp_path: Path) -> None:
    path = tmp_path / "news.md"
    path.write_text(
        page("问：近期有何评论？\n\n答：中方希望荷方停止干涉。"), encoding="utf-8"
    )
    done = subprocess.run(
        [str(BRIEF), "facts", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "notice: no announcement found" in done.stdout
    assert "no announcement found" in done.stderr  # logged as a warning too


def test_an_english_translation_missing_a_date_gets_a_notice() -> None:
    text = (
        "MOFCOM Announcement No. 70/2025: Decision on Export Controls on Graphite\n\n"
        "Issue Date: October 9, 2025\n\n"
        "1. Spherical graphite with a purity of 99.9% or more shall not be exported.\n"
    )
    found = facts_of(text)
    [a] = kinds(found, "announcement")
    assert field(a, "authorities") == ["MOFCOM"]
    [n] = kinds(found, "notice")
    assert field(n, "message") == (
        "not found: MOFCOM Announcement No. 70/2025: no effective date"
    )
