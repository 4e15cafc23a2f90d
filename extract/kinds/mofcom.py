"""MOFCOM announcements: numbers, dates, control codes, HS codes, entity lists.

One parser reads English translations and Chinese originals alike: every
pattern below has an English and a Chinese alternative, and the structure it
relies on (a title line, header lines, enumerated items, reference codes in
brackets, an effective-date sentence) is the same in both languages.

The pipeline for one document:

1. ``_parse_text`` unescapes HTML entities (``&gt;``) *at the same length*,
   padding with ``_PAD``, so an offset found in the parse text is an offset
   into the raw text and every quote still points at what was scraped.
2. ``_document_lines`` keeps the lines an announcement is read from. A
   scraper's template sections (Summary, Key Details...) are left out; of a
   Chinese paragraph followed by its English translation only the English
   line is kept, carrying the Chinese one as its ``original``.
3. ``_split`` cuts the lines at title lines (``MOFCOM Announcement No.
   61/2025: ...``, ``商务部 海关总署公告2025年第55号 ...``), or at a header
   block (``Issuing Authority:`` ...) that has no title line above it.
4. ``_read_announcement`` reads one announcement: its header, dates, control
   codes with their items, HS codes and entity lists.

``find_announcements`` returns the located records; ``mofcom_facts`` turns
them into facts.
"""

# Full-width punctuation (：，（）～) is what this module reads in Chinese text,
# so the patterns spell it out rather than escape it.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from extract.kinds.quantities import find_quantities
from extract.records import DocumentText, Fact, new_fact
from extract.spans import PAD, matchable

logger = logging.getLogger(__name__)

Span = tuple[int, int]

# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Threshold:
    """A technical limit in an item's text: "≥ 300 Wh/kg", "小于等于50 μm".

    A range ("320~650 ℃") is two thresholds over the same text, at_least its
    low end and at_most its high end.
    """

    text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None

    def to_json(self) -> dict[str, object]:
        """The threshold as the control-code fact carries it."""
        value: object = int(self.value) if self.value.is_integer() else self.value
        return {
            "text": self.text,
            "value": value,
            "unit": self.unit,
            "qualifier": self.qualifier,
        }


@dataclass(frozen=True, slots=True)
class ControlCode:
    """One mention of an export control code ("3C901.a.1").

    ``listed`` is True where the code opens the item it controls (or tags it,
    "(Control Code: 1E902.a)"), False where the text only refers to it ("not
    controlled by 2B104"). A reference takes the item text of the same code
    listed in the announcement, when there is one.
    """

    code: str
    start: int
    end: int
    line: Span
    listed: bool
    item: str | None
    thresholds: tuple[Threshold, ...]
    hs_codes: tuple[str, ...]
    original: Span | None


@dataclass(frozen=True, slots=True)
class HsCode:
    """One reference customs code ("Reference HS Code: 71051020")."""

    code: str
    start: int
    end: int
    line: Span
    item: str | None
    control_code: str | None
    original: Span | None


@dataclass(frozen=True, slots=True)
class Effective:
    """When (part of) an announcement takes effect: "from December 1, 2025".

    ``start:end`` is the date as written ("December 1, 2025", "the date of
    publication", "发布之日"); ``text`` the phrase holding it. "From the date
    of publication" is resolved to the issue date, so ``date`` is None only
    where that is unknown. ``applies_to`` is "all" or the sections named.
    """

    date: str | None
    applies_to: str
    text: str
    start: int
    end: int
    line: Span
    original: Span | None

    def to_json(self) -> dict[str, object]:
        """The entry as the announcement fact's ``effective`` list holds it."""
        return {"date": self.date, "applies_to": self.applies_to, "text": self.text}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar date with its role: the issue date or an effective date."""

    date: str
    role: str
    applies_to: str | None
    start: int
    end: int
    line: Span
    original: Span | None


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """One line of an entity-list attachment.

    ``group`` names the heading a member is listed under ("TechInsights Inc.
    and its affiliates"); the heading itself is no entity.
    """

    name: str
    list_name: str
    group: str | None
    start: int
    end: int
    original: Span | None


@dataclass(frozen=True, slots=True)
class Announcement:
    """One announcement of a document, located.

    ``start:end`` covers it from its title (or header) line to the line
    before the next announcement; ``title_span`` is its title line (or its
    document-number line). ``number`` is normalised ("MOFCOM & GACC
    Announcement No. 58/2025", "商务部 海关总署公告2025年第55号");
    ``number_en`` is the English form of either.
    """

    number: str
    number_en: str | None
    authority: str | None
    title: str | None
    language: str
    start: int
    end: int
    title_span: Span
    original: Span | None
    issue_date: str | None
    effective: tuple[Effective, ...]
    dates: tuple[DateMention, ...]
    control_codes: tuple[ControlCode, ...]
    hs_codes: tuple[HsCode, ...]
    entities: tuple[ListedEntity, ...]
    authorities: tuple[str, ...] = ()
    thresholds: tuple[ItemThreshold, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ItemThreshold:
    """A threshold of an item no control code lists ("锑的氧化物，纯度大于等于99.99%")."""

    threshold: Threshold
    line: Span
    item: str | None
    original: Span | None


@dataclass(frozen=True, slots=True)
class _Line:
    """A non-blank line, trimmed; ``original`` is the Chinese line it translates."""

    start: int
    end: int
    original: Span | None = None

    @property
    def span(self) -> Span:
        return self.start, self.end


@dataclass(frozen=True, slots=True)
class _Title:
    """What a title or header line says about its announcement."""

    number: str
    number_en: str | None
    authority: str
    title: str | None
    language: str
    span: Span


# --------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------

_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")
# Pads an unescaped entity to its length. It is whitespace to the patterns
# ("&ge;10 kW" reads as "≥   10 kW") and is dropped from the values.
_PAD = PAD  # an unescaped entity's padding (see extract.spans.matchable)

_MONTH = (
    r"(?<![A-Za-z])(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?"
    r"|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH_ABBREVIATIONS = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {m: i for i, m in enumerate(_MONTH_ABBREVIATIONS.split(" "), 1)}
_DATE = (
    rf"(?P<em>{_MONTH})\.?\s+(?P<ed>\d{{1,2}}),?\s+(?P<ey>(?:19|20)\d{{2}})(?!\d)"
    rf"|(?<!\d)(?P<bd>\d{{1,2}})\s+(?P<bm>{_MONTH})\.?,?\s+(?P<by>(?:19|20)\d{{2}})(?!\d)"
    r"|(?<!\d)(?P<zy>(?:19|20)\d{2})\s*年\s*(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*日"
    r"|(?<!\d)(?P<iy>(?:19|20)\d{2})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)"
)
_DATE_RE = re.compile(_DATE)
_DATE_PARTS = (
    ("ey", "em", "ed"),
    ("by", "bm", "bd"),
    ("zy", "zm", "zd"),
    ("iy", "im", "id"),
)
_ANY_DATE = re.sub(r"\?P<\w+>", "?:", _DATE)  # the same, embeddable

# Announcement numbers. English: "MOFCOM & GACC Announcement No. 58/2025",
# "... Announcement No. 33 of 2024"; Chinese: "商务部 海关总署公告2025年第55号",
# "商务部公告2025第62号" (the scraper's title drops a 年), "...公告〔2025〕10号".
_EN_NUMBER = (
    r"(?P<auth>[A-Z][A-Za-z&.,'’ ]*?)\s+Announcement\s+No\.\s*(?P<no>\d+)"
    r"\s*(?:/\s*|\s+of\s+)(?P<year>(?:19|20)\d{2})"
)
_EN_TITLE_RE = re.compile(
    rf"(?:#+\s*)?(?P<number>{_EN_NUMBER})\s*(?:[:：\u2013\u2014-]\s*(?P<title>\S.*))?"
)
_BRACKET_NUMBER_RE = re.compile(
    r"(?P<auth>[A-Z][A-Za-z&.,'’ ]*?)\s*[\[〔(（](?P<year>(?:19|20)\d{2})[\]〕)）]"
    r"\s*No\.\s*(?P<no>\d+)"
)
_ZH_YEAR = r"(?:19|20)\d{2}|[一二][〇零九][〇零一二三四五六七八九]{2}"
_ZH_TITLE_RE = re.compile(
    r"(?:#+\s*)?(?P<number>(?P<auth>[\u4e00-\u9fff][\u4e00-\u9fff、，, ]*?)\s*"
    r"(?P<type>公告|令)\s*"
    rf"(?:(?P<year>{_ZH_YEAR})\s*年?\s*第\s*(?P<no>\d+)\s*号"
    r"|[〔\[](?P<year2>(?:19|20)\d{2})[〕\]]\s*第?\s*(?P<no2>\d+)\s*号))"
    r"\s*(?P<title>[^。，；]{0,80})"  # a title, not a sentence
)
_ZH_AUTHORITIES = {
    "商务部": "MOFCOM", "中华人民共和国商务部": "MOFCOM", "海关总署": "GACC",
    "中华人民共和国海关总署": "GACC", "国家国防科技工业局": "SASTIND",
    "不可靠实体清单工作机制": "Unreliable Entity List Working Mechanism",
    "中央军委装备发展部": "CMC Equipment Development Department",
    "中华人民共和国国务院": "State Council", "国务院": "State Council",
    "公安部": "MPS", "应急管理部": "MEM", "国家卫生健康委": "NHC",
    "国家药监局": "NMPA", "国家药品监管局": "NMPA", "工业和信息化部": "MIIT",
    "国家原子能机构": "CAEA", "生态环境部": "MEE", "外交部": "MFA",
}  # fmt: skip
_ZH_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# The bodies a page names as issuing it, where its title has no number: in a
# signature line of names alone, or in the sentence that decides or announces.
_BODY_RE = re.compile("|".join(sorted(_ZH_AUTHORITIES, key=len, reverse=True)))
_SIGNATURE_RE = re.compile(rf"(?:(?:{_BODY_RE.pattern})[\s、，,]*)+")
_DECIDES_RE = re.compile(r"决定|现将|公告如下|通知如下|予以公布|现公布")
# A page's body reads as an announcement (when no number says so).
# (A date it takes effect is not enough: news pages report foreign rules.)
_ANNOUNCES_RE = re.compile(
    r"公告如下|通知如下|决定如下|本公告|本决定|本通知|本规定|予以公布|现公布"
)
_APPROVED_BY_RE = re.compile(
    r"经[^，。；]*?批准"
)  # "经国务院批准": approves, not issues
# A scraped page: its metadata names MOFCOM's site.
_MOFCOM_PAGE_RE = re.compile(
    r"^[^\S\n]*[-*][^\S\n]*\*\*(?:Source|URL)\*\*[^\S\n]*[:：].*mofcom\.gov\.cn", re.M
)
_URL_RE = re.compile(
    r"^[^\S\n]*[-*][^\S\n]*\*\*URL\*\*[^\S\n]*[:：][^\S\n]*(\S+)", re.M
)
_TRUNCATED_RE = re.compile(r"\[Content truncated")

# Header lines: "Issuing Authority: ...", "- **Date**: 2025-10-09", "发布日期：".
# The scraped pages' "【发布单位】安全与管制局" lines are labels too.
_LABEL_RE = re.compile(
    r"(?:[-*]\s*)?(?:\*\*)?(?:(?P<br>【)\s*)?(?P<label>Issuing\s+Authority|Document\s+Number"
    r"|Issue\s+Date|Date\s+of\s+Issue|Publication\s+Date|Date|发文机关|发布机构|发布单位"
    r"|发布日期|发布时间|成文日期|发文日期|发布文号|文号)(?(br)\s*】)(?:\*\*)?\s*"
    r"(?(br)[:：]?|[:：])\s*(?:\*\*)?\s*(?P<value>\S.*)"
)
_ISSUE_LABELS = frozenset(
    {"issue date", "date of issue", "publication date", "date", "发布日期", "发布时间",
     "成文日期", "发文日期"}
)  # fmt: skip
_AUTHORITY_LABELS = frozenset({"issuing authority", "发文机关", "发布机构", "发布单位"})
_NUMBER_LABELS = frozenset({"document number", "文号", "发布文号"})

# Effective dates: "Sections I(1) and I(2) of this Announcement shall be
# implemented from December 1, 2025"; "本公告自2025年11月8日起正式实施".
# ``on`` is the date as written, ``when`` the phrase holding it.
_EN_EFFECTIVE_RE = re.compile(
    r"(?P<subject>[A-Z][^.;:]*?)\s+shall\s+(?:be\s+)?(?:officially\s+)?"
    r"(?:implemented|enforced|effective|take\s+effect|come\s+into\s+(?:force|effect)"
    r"|enter\s+into\s+force)\s+(?P<when>(?:from|on|as\s+of|starting)\s+"
    r"(?P<on>the\s+date\s+of\s+(?:its\s+)?(?:publication|issuance|promulgation|release)"
    rf"|{_ANY_DATE}))"
)
_ZH_EFFECTIVE_RE = re.compile(
    r"(?P<subject>[^。；;，,、\s]{0,40}?)\s*(?P<when>自\s*(?P<on>"
    rf"{_ANY_DATE}|(?:发布|公布|印发|公告)之日)\s*起)\s*(?:正式)?(?:实施|施行|生效|执行)"
)
# What an effective date applies to: the whole announcement is "all".
_WHOLE_RE = re.compile(r"(?i:this|the)\s+(?:Announcement|Decision)|本公告|本决定")
_OF_WHOLE_RE = re.compile(r"\s+of\s+(?i:this|the)\s+(?:Announcement|Decision)$")

# Control codes: 3A001, 3C901.a.1, 1C117.c (the sub-letters never run on
# into a word, "1C909.a." ends at the letter).
_CODE = r"(?<![0-9A-Za-z])\d[A-E]\d{3}(?:\.[a-z](?![A-Za-z])(?:\.\d+)*)*(?![0-9A-Za-z])"
_CODE_RE = re.compile(_CODE)
_CODE_RUN = rf"{_CODE}(?:\s*(?:[、,，/]|and)\s*{_CODE})*"
_CODE_TAG_RE = re.compile(
    rf"[（(]\s*(?:Control\s+Codes?|管制编码|管制编号)\s*[:：]\s*(?P<run>{_CODE_RUN})\s*[)）]"
)

# HS codes: "Reference HS Code: 71051020", "参考海关商品编号：2617101000、2617109001",
# "参考税则号列：71051020".
_HS = r"(?<!\d)\d{4}(?:\.?\d{2}){1,3}(?![\d])"
_HS_RE = re.compile(_HS)
_HS_LABEL = (
    r"(?:Reference\s+)?(?:HS|Customs\s+Commodity|Tariff)\s+(?:Codes?|Numbers?|Lines?)"
    r"|参考海关商品编[号码]|参考税则号列|海关商品编[号码]|税则号列"
)
_HS_CLAUSE_RE = re.compile(
    rf"(?:[（(]\s*)?(?:{_HS_LABEL})\s*[:：]\s*"
    rf"(?P<codes>{_HS}(?:\s*(?:[、,，;；/]|and|及|和)\s*{_HS})*)(?:\s*[)）])?"
)

# Enumerators, by level: 1 "I." / "一、", 2 "（一）", 3 "(1)", 4 "1." / "1．",
# 5 "a." / "(a)" / bullets; 6 is an unnumbered line.
_ENUMERATORS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (
        1,
        re.compile(r"(?:[IVXL]+\s*[.．](?=\s)|[一二三四五六七八九十百]+\s*[、.．])\s*"),
    ),
    (2, re.compile(r"[（(]\s*[一二三四五六七八九十百]+\s*[)）]\s*")),
    (3, re.compile(r"[（(]\s*\d{1,3}\s*[)）]\s*")),
    (4, re.compile(r"\d{1,3}\s*[.．、](?!\d)\s*")),
    (
        5,
        re.compile(
            r"(?:[（(]\s*[a-z]\s*[)）]|[a-z]\s*[.．)](?=\s|[^\x00-\x7f])|[-*•▪])\s*"
        ),
    ),
)
_UNNUMBERED = 6
_LISTED_RUN_RE = re.compile(rf"(?P<run>{_CODE_RUN})(?P<sep>\s*[.．:：]?\s*)")
# Lines that end an item's block: notes and the announcement's own prose.
_NOTE_RE = re.compile(r"(?:Notes?|说明|注)\s*[:：]|Notes?\b")
_PROSE_RE = re.compile(
    r"\bshall\b|\bthis\s+Announcement\b|\bthe\s+above\s+items\b|应当|本公告|上述物项"
)

# Entity lists: an "ATTACHMENT" / "附件" line, then the list's title, then
# one entity per line.
_ATTACHMENT_RE = re.compile(
    r"(?:ATTACHMENT|Attachment|ANNEX|Annex|附件)\s*\d*\s*[:：]?"
)
_LIST_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Unreliable Entity List",
        re.compile(r"Unreliable\s+Entity\s+List|不可靠实体清单"),
    ),
    (
        "Export Control Control List",
        re.compile(r"Export\s+Control\s+Control\s+List|管控名单"),
    ),
    ("Export Control Watch List", re.compile(r"Watch\s+List|关注名单")),
    ("Entity List", re.compile(r"\bEntity\s+List\b|实体清单")),
)
_ENTITY_MAX_CHARS = 120  # a longer line is prose, not a name

# Scraped pages wrapped in a template (see the shared MANIFEST): only the
# title, its metadata lines and the "Key Provisions" section are the
# announcement; the other sections are a third party's summary and notes.
_TEMPLATE_BODY = "## Key Provisions"
_DISCLAIMER_RE = re.compile(r"本站转载|另见：网站声明")


# --------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------

_COMPARATORS: dict[str, str] = {
    "≥": "at_least", ">=": "at_least", "⩾": "at_least", "≤": "at_most",
    "<=": "at_most", "⩽": "at_most", ">": "more_than", "<": "less_than",
    "±": "at_most", "大于等于": "at_least", "大于或等于": "at_least",
    "不小于": "at_least", "不低于": "at_least", "小于等于": "at_most",
    "小于或等于": "at_most", "不大于": "at_most", "不高于": "at_most",
    "不超过": "at_most", "大于": "more_than", "高于": "more_than",
    "超过": "more_than", "小于": "less_than", "低于": "less_than",
}  # fmt: skip
_AFTER_QUALIFIERS: dict[str, str] = {
    "及以上": "at_least", "以上": "at_least", "及以下": "at_most", "以下": "at_most",
    "以内": "at_most", "or more": "at_least", "or above": "at_least",
    "or less": "at_most", "or below": "at_most",
}  # fmt: skip
# Units after a number: (pattern, unit). Longer units first ("mm" before
# "m"); the names agree with extract.kinds.quantities where both know the unit.
_UNITS: tuple[tuple[str, str], ...] = (
    (r"Wh\s*/\s*kg", "wh_per_kg"), (r"mAh\s*/\s*g", "mah_per_g"),
    (r"g\s*/\s*cm[³3]", "g_per_cm3"), (r"A\s*/\s*cm[²2]", "a_per_cm2"),
    (r"m\s*/\s*s", "m_per_s"), (r"个\s*/\s*平方厘米", "per_cm2"),
    (r"cN\s*/\s*dtex", "cn_per_dtex"), (r"kg\s*/\s*m[²2]", "kg_per_m2"),
    (r"克\s*/\s*立方厘米", "g_per_cm3"), (r"mrad|毫弧度", "mrad"), (r"mJ|毫焦", "mj"),
    (r"km|千米|公里", "km"), (r"摄氏度", "celsius"),
    (r"[μµ]m|um|微米", "um"), (r"nm|纳米", "nm"), (r"mm|毫米", "mm"),
    (r"cm|厘米", "cm"), (r"m[³3]|立方米", "m3"), (r"kW|千瓦", "kw"),
    (r"kHz|千赫", "khz"), (r"MHz|兆赫", "mhz"), (r"GPa|千兆帕|吉帕", "gpa"),
    (r"MPa|Mpa|兆帕", "mpa"), (r"Pa|帕", "pa"), (r"kg|千克|公斤", "kg"), (r"吨", "tonnes"),
    (r"ppm", "ppm"), (r"%", "percent"), (r"℃|°\s?C", "celsius"), (r"HRB", "hrb"),
    (r"min|分钟", "minutes"), (r"L|升", "litres"), (r"N", "newton"), (r"A", "ampere"),
    (r"T", "tesla"),
    (r"m|米", "m"), (r"英寸", "inch"), (r"°|度", "degree"),
)  # fmt: skip
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_NUMBER = r"\d+(?:\.\d+)?(?:\s*[×xX]\s*10(?:⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\^[-−]?\d+))?"
_SCIENTIFIC_RE = re.compile(
    r"(?P<mantissa>\d+(?:\.\d+)?)\s*[×xX]\s*10"
    r"(?:\^(?P<caret>[-−]?\d+)|(?P<sup>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
)


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_THRESHOLD_RE = re.compile(
    rf"(?:(?P<cmp>{_alternation(list(_COMPARATORS))})\s*|(?<![0-9A-Za-z.]))"
    rf"(?P<lo>{_NUMBER})(?:\s*[~～]\s*(?P<hi>{_NUMBER}))?\s*"
    rf"(?P<unit>{'|'.join(f'(?P<u{i}>{p})' for i, (p, _) in enumerate(_UNITS))})"
    rf"(?![A-Za-z])(?P<incl>[^\S\n]*[（(]含[)）])?"  # "低于60%（含）": bound included
    rf"(?:(?:[^\S\n]*[（(][^（）()\n]{{1,8}}[)）])?"  # "600摄氏度（℃）及以上"
    rf"\s*(?P<after>{_alternation(list(_AFTER_QUALIFIERS))}))?"
)


def find_thresholds(
    text: str, start: int = 0, end: int | None = None
) -> tuple[Threshold, ...]:
    """The thresholds in ``text[start:end]``: figures with a comparator or a range.

    A bare figure ("at 1000 ℃") is a condition, not a threshold, and is left out.

    >>> [(t.text, t.value, t.unit, t.qualifier)
    ...  for t in find_thresholds("particle size > 50 μm and ≤ 500 μm")]
    [('> 50 μm', 50.0, 'um', 'more_than'), ('≤ 500 μm', 500.0, 'um', 'at_most')]
    """
    found: list[Threshold] = []
    for m in _THRESHOLD_RE.finditer(text, start, len(text) if end is None else end):
        if m["cmp"] or m["hi"] or m["after"]:
            found.extend(_thresholds_of(m))
    return tuple(found)


def _thresholds_of(m: re.Match[str]) -> Iterator[Threshold]:
    """One threshold, or two for a range."""
    unit = next(u for i, (_, u) in enumerate(_UNITS) if m[f"u{i}"] is not None)
    text = m.group()
    if m["hi"] is not None:
        yield Threshold(text, m.start(), m.end(), _number(m["lo"]), unit, "at_least")
        yield Threshold(text, m.start(), m.end(), _number(m["hi"]), unit, "at_most")
        return
    qualifier = _COMPARATORS.get(m["cmp"] or "") or _AFTER_QUALIFIERS.get(
        m["after"] or ""
    )
    if m["incl"]:
        qualifier = {"less_than": "at_most", "more_than": "at_least"}.get(
            qualifier or "", qualifier
        )
    quantity = _as_quantity(text)
    if quantity is not None:  # the quantity finder's reading, where it has one
        yield Threshold(text, m.start(), m.end(), *quantity)
        return
    yield Threshold(text, m.start(), m.end(), _number(m["lo"]), unit, qualifier)


def _as_quantity(text: str) -> tuple[float, str, str | None] | None:
    """(value, unit, qualifier) when ``find_quantities`` reads all of ``text``."""
    found = find_quantities(text)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0].value, found[0].unit, found[0].qualifier
    return None


def _number(text: str) -> float:
    """ "2.5" -> 2.5; "1×10⁻³" -> 0.001; "50×10^-6" -> 5e-05."""
    m = _SCIENTIFIC_RE.fullmatch(text)
    if m is None:
        return float(text)
    exponent = (m["caret"] or m["sup"]).translate(_SUPERSCRIPTS).replace("−", "-")
    return float(f"{m['mantissa']}e{int(exponent)}")  # exact: 5e-05, not 4.99...e-05


# --------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------


def _parse_text(raw: str) -> str:
    """``raw`` with HTML entities unescaped, each padded to its own length, and
    full-width symbols folded (see :func:`extract.spans.matchable`).

    >>> _parse_text("粒径&gt;50 μm").replace(_PAD, "_")
    '粒径>___50 μm'
    """
    return matchable(raw)


def _line_spans(src: str) -> Iterator[Span]:
    """Each non-blank line's span, without the whitespace around it."""
    pos = 0
    for raw in src.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + len(body) - len(body.lstrip())
            yield start, start + len(stripped)
        pos += len(raw)


def _template_lines(src: str, spans: list[Span]) -> list[Span]:
    """The lines of a scraped page that are the announcement itself.

    A page wrapped in the scraper's template keeps its title and metadata
    lines (before the first ``##`` section) and its "Key Provisions" section.
    """
    if not any(src[s:e] == _TEMPLATE_BODY for s, e in spans):
        return spans
    kept: list[Span] = []
    section: str | None = None
    for s, e in spans:
        if src.startswith("## ", s):
            section = src[s:e]
            continue
        if section is None or section == _TEMPLATE_BODY:
            kept.append((s, e))
    return kept


def _is_chinese(src: str, span: Span) -> bool:
    """A line mostly in Chinese."""
    text = src[span[0] : span[1]]
    cjk = len(_CJK_RE.findall(text))
    return cjk >= 5 and cjk >= 0.3 * len(text.replace(" ", ""))


def _is_english(src: str, span: Span) -> bool:
    """A line of English prose: no Chinese, a few words, not metadata markup."""
    text = src[span[0] : span[1]]
    return (
        not _CJK_RE.search(text)
        and len(_LATIN_WORD_RE.findall(text)) >= 3
        and not re.match(r"[-*]\s*\*\*", text)
    )


def _translates(src: str, zh: Span, en: Span) -> bool:
    """True when ``en`` reads as the translation of the Chinese line ``zh``.

    Figures and control codes survive translation: the English line must
    share a figure with the Chinese one when either has figures, and carry
    all of its control codes.
    """
    if not (_is_chinese(src, zh) and _is_english(src, en)):
        return False
    zh_text, en_text = src[zh[0] : zh[1]], src[en[0] : en[1]]
    zh_numbers = set(_DIGITS_RE.findall(_CODE_RE.sub(" ", zh_text)))
    en_numbers = set(_DIGITS_RE.findall(_CODE_RE.sub(" ", en_text)))
    if (zh_numbers or en_numbers) and not zh_numbers & en_numbers:
        return False
    return set(_CODE_RE.findall(zh_text)) <= set(_CODE_RE.findall(en_text))


def _document_lines(src: str) -> list[_Line]:
    """The lines announcements are read from, Chinese/English pairs joined."""
    spans = _template_lines(src, list(_line_spans(src)))
    lines: list[_Line] = []
    i = 0
    while i < len(spans):
        if i + 1 < len(spans) and _translates(src, spans[i], spans[i + 1]):
            lines.append(_Line(*spans[i + 1], original=spans[i]))
            i += 2
            continue
        lines.append(_Line(*spans[i]))
        i += 1
    return lines


def _text(src: str, span: Span) -> str:
    return src[span[0] : span[1]]


def _squash(text: str) -> str:
    """Whitespace runs as one space, ends trimmed, entity padding dropped."""
    return " ".join(text.replace(_PAD, "").split())


def _level(src: str, line: _Line) -> tuple[int, int]:
    """(level, end of the enumerator) of a line: "(1) 3A001 ..." -> (3, start+4)."""
    for level, pattern in _ENUMERATORS:
        m = pattern.match(src, line.start, line.end)
        if m is not None:
            return level, m.end()
    return _UNNUMBERED, line.start


# --------------------------------------------------------------------------
# Splitting a document into announcements
# --------------------------------------------------------------------------


def _title_of(src: str, line: _Line) -> _Title | None:
    """The announcement a title line opens, or None."""
    text = _text(src, line.span)
    m = _EN_TITLE_RE.fullmatch(text)
    if m is not None:
        auth = _en_authority(m["auth"])
        number = f"{auth} Announcement No. {int(m['no'])}/{m['year']}"
        span = (line.start + m.start("number"), line.end)
        return _Title(number, number, auth, m["title"], "en", span)
    m = _ZH_TITLE_RE.fullmatch(text)
    if m is not None:
        return _zh_title(m, line.start + m.start("number"), line.end)
    return None


def _en_authority(text: str) -> str:
    """ "MOFCOM and GACC" -> "MOFCOM & GACC"."""
    return _squash(re.sub(r"\s+and\s+", " & ", text.strip(" ,")))


def _zh_title(m: re.Match[str], start: int, end: int) -> _Title:
    """A Chinese number line: "商务部 海关总署公告2025年第55号" and its English form."""
    parts = [p for p in re.split(r"[\s、，,]+", m["auth"]) if p]
    year = (m["year"] or m["year2"]).translate(_ZH_DIGITS)  # 二〇二五 -> 2025
    no, kind = int(m["no"] or m["no2"]), m["type"]
    number = f"{' '.join(parts)}{kind}{year}年第{no}号"
    english = [_ZH_AUTHORITIES.get(p) for p in parts]
    noun = "Announcement" if kind == "公告" else "Order"
    number_en = (
        f"{' & '.join(e for e in english if e)} {noun} No. {no}/{year}"
        if all(english)
        else None
    )
    title = _squash(m["title"]) or None
    return _Title(number, number_en, " ".join(parts), title, "zh", (start, end))


def _header_title(src: str, lines: Sequence[_Line], i: int) -> _Title | None:
    """The number of an announcement that opens with a header block, no title.

    "Issuing Authority: ..." then, within three lines, "Document Number: X
    [2025] No. 10" or "Document Number: X Announcement No. 10/2025"; or a
    scraped page's "【发布文号】商务部令2025年第5号" on its own.
    """
    first = _LABEL_RE.fullmatch(_text(src, lines[i].span))
    if first is not None and first["br"] and _label(first) in _NUMBER_LABELS:
        return _numbered(first["value"], lines[i].span)
    if first is None or _label(first) not in _AUTHORITY_LABELS:
        return None
    for line in lines[i + 1 : i + 4]:
        m = _LABEL_RE.fullmatch(_text(src, line.span))
        if m is not None and _label(m) in _NUMBER_LABELS:
            return _numbered(m["value"], (line.start, line.end))
    return None


def _numbered(value: str, span: Span) -> _Title | None:
    """A title from a document number as written in a header line."""
    zh = _ZH_TITLE_RE.fullmatch(value.strip())
    if zh is not None:  # 【发布文号】商务部公告2024年第46号
        return _zh_title(zh, *span)
    m = re.fullmatch(_EN_NUMBER, value.strip()) or _BRACKET_NUMBER_RE.fullmatch(
        value.strip()
    )
    if m is None:
        return None
    auth = _en_authority(m["auth"])
    number = f"{auth} Announcement No. {int(m['no'])}/{m['year']}"
    return _Title(number, number, auth, None, "en", span)


def _label(m: re.Match[str]) -> str:
    return _squash(m["label"]).lower()


def _split(src: str, lines: Sequence[_Line]) -> Iterator[tuple[_Title, list[_Line]]]:
    """Each announcement's title and lines, in order; text before the first is no
    announcement."""
    starts: list[tuple[int, _Title]] = []
    for i, line in enumerate(lines):
        title = _title_of(src, line)
        if title is None and not (starts and starts[-1][0] == i - 1):
            title = _header_title(src, lines, i)
        if title is not None:
            starts.append((i, title))
    if (
        not starts
        and lines
        and _ANNOUNCES_RE.search(src, lines[0].start, lines[-1].end)
    ):
        yield _untitled(src, lines[0]), list(lines)
    for k, (i, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        yield title, list(lines[i:end])


def _untitled(src: str, first: _Line) -> _Title:
    """An announcement whose number is nowhere in its page: a scraped page under
    a generic title ("中国出口管制信息网") whose body announces or decides."""
    title = _squash(_text(src, first.span).lstrip("# "))
    language = "zh" if _CJK_RE.search(title) else "en"
    generic = title in ("中国出口管制信息网", "")
    return _Title("", None, "", None if generic else title, language, first.span)


# --------------------------------------------------------------------------
# Reading one announcement
# --------------------------------------------------------------------------


def find_announcements(text: DocumentText) -> tuple[Announcement, ...]:
    """Every announcement in a document, with its dates, codes and entities.

    A document with no announcement title or header (a news story, a CRS
    report) has none.
    """
    src = _parse_text(text.text)
    found = tuple(
        _read_announcement(src, title, lines)
        for title, lines in _split(src, _document_lines(src))
    )
    if src == text.text:
        return found
    return tuple(_as_written(text.text, a) for a in found)


def _as_written(raw: str, a: Announcement) -> Announcement:
    """An announcement whose thresholds' text is the raw text ("&gt;50 μm")."""
    codes = tuple(
        replace(
            c,
            thresholds=tuple(
                replace(t, text=raw[t.start : t.end]) for t in c.thresholds
            ),
        )
        for c in a.control_codes
    )
    items = tuple(
        replace(
            x,
            threshold=replace(
                x.threshold, text=raw[x.threshold.start : x.threshold.end]
            ),
        )
        for x in a.thresholds
    )
    return replace(a, control_codes=codes, thresholds=items)


def _read_announcement(src: str, title: _Title, lines: list[_Line]) -> Announcement:
    """One announcement from its title and lines."""
    issued = tuple(_issue_dates(src, lines))
    issue = _issue_date(src, issued)
    effective = tuple(_effective(src, lines, issue))
    dates = _dates(issued, effective)
    codes, hs_codes = _codes(src, lines)
    first = lines[0]
    url = _URL_RE.search(src)
    return Announcement(
        authorities=_authorities(src, title, lines),
        thresholds=tuple(_item_thresholds(src, lines)),
        url=url[1] if url else None,
        number=title.number,
        number_en=title.number_en,
        authority=_authority(src, lines) or title.authority,
        title=title.title,
        language=title.language,
        start=min(first.start, first.original[0]) if first.original else first.start,
        end=lines[-1].end,
        title_span=title.span,
        original=first.original,
        issue_date=issue,
        effective=effective,
        dates=dates,
        control_codes=codes,
        hs_codes=hs_codes,
        entities=tuple(_entities(src, lines)),
    )


def _issue_date(src: str, issued: Sequence[DateMention]) -> str | None:
    """The issue date: one the text gives ("【发文日期】", a signature's date)
    over the scraper's "- **Date**:" line, which is when it saw the page."""
    for d in issued:
        if not re.match(r"[-*]\s*\*\*", src[d.line[0] : d.line[1]]):
            return d.date
    return issued[0].date if issued else None


def _authorities(src: str, title: _Title, lines: Sequence[_Line]) -> tuple[str, ...]:
    """The issuing bodies, as written and in English: from the number
    ("商务部 海关总署公告..." / "MOFCOM & GACC Announcement ..."), else from a
    signature line or the sentence that decides ("公安部、商务部...决定...")."""
    if title.authority:
        named = re.split(
            r"\s+&\s+" if title.language == "en" else r"\s+", title.authority
        )
    else:
        named = []
        for line in lines:
            text = _text(src, line.span)
            if _SIGNATURE_RE.fullmatch(text):
                named += _BODY_RE.findall(text)
            for sentence in re.split(r"[。；]", text):
                if _DECIDES_RE.search(sentence):
                    named += _BODY_RE.findall(_APPROVED_BY_RE.sub("", sentence))
    english = [_ZH_AUTHORITIES[n] for n in named if n in _ZH_AUTHORITIES]
    return tuple(dict.fromkeys(named + english))


def _item_thresholds(src: str, lines: Sequence[_Line]) -> Iterator[ItemThreshold]:
    """Thresholds on lines no listed control code's item covers."""
    covered = {
        k for i in range(len(lines)) for x in _listed_in(src, lines, i) for k in x.block
    }
    for i, line in enumerate(lines):
        if i in covered or re.match(r"[-*]\s*\*\*", _text(src, line.span)):
            continue
        item = _item_text(src, _item_start(src, line), line.end) or None
        for t in find_thresholds(src, line.start, line.end):
            yield ItemThreshold(t, line.span, item, line.original)


def _labels(src: str, lines: Sequence[_Line]) -> Iterator[tuple[_Line, re.Match[str]]]:
    for line in lines:
        m = _LABEL_RE.fullmatch(_text(src, line.span))
        if m is not None:
            yield line, m


def _authority(src: str, lines: Sequence[_Line]) -> str | None:
    """The "Issuing Authority:" of the header, when there is one."""
    for _, m in _labels(src, lines):
        if _label(m) in _AUTHORITY_LABELS:
            return _squash(m["value"].strip("* "))
    return None


# Dates ---------------------------------------------------------------------


def _iso(m: re.Match[str]) -> str | None:
    """The ISO date a date match names, or None for an impossible date."""
    for y, mo, d in _DATE_PARTS:
        if m[y] is not None:
            month = int(m[mo]) if m[mo].isdigit() else _MONTHS[m[mo][:3].lower()]
            try:
                return datetime.date(int(m[y]), month, int(m[d])).isoformat()
            except ValueError:
                return None
    return None


def _dates(
    issued: Sequence[DateMention], effective: Sequence[Effective]
) -> tuple[DateMention, ...]:
    """Issue and effective dates in text order; an effective date whose day
    is unknown (published, but no issue date found) is left out."""
    found = list(issued)
    for e in effective:
        if e.date is not None:
            found.append(
                DateMention(
                    e.date,
                    "effective",
                    e.applies_to,
                    e.start,
                    e.end,
                    e.line,
                    e.original,
                )
            )
    return tuple(sorted(found, key=lambda d: d.start))


def _issue_dates(src: str, lines: Sequence[_Line]) -> Iterator[DateMention]:
    """ "Issue Date: October 9, 2025", "- **Date**: 2025-10-09", and a date
    standing alone on its line (the signature's)."""
    for line in lines:
        label = _LABEL_RE.fullmatch(_text(src, line.span))
        if label is not None and _label(label) not in _ISSUE_LABELS:
            continue
        lo = line.start + label.start("value") if label else line.start
        m = _DATE_RE.match(src, lo, line.end)
        rest = src[m.end() : line.end].strip(" 。.*") if m else "x"
        iso = _iso(m) if m is not None and not rest else None
        if m is not None and iso is not None:
            yield DateMention(iso, "issue", None, *m.span(), line.span, line.original)


def _effective(
    src: str, lines: Sequence[_Line], issue: str | None
) -> Iterator[Effective]:
    """Each "shall be implemented from ..." / "自...起实施" statement.

    "From the date of publication" (自发布之日起) is the issue date.
    """
    for line in lines:
        for pattern in (_EN_EFFECTIVE_RE, _ZH_EFFECTIVE_RE):
            for m in pattern.finditer(src, line.start, line.end):
                date = _DATE_RE.fullmatch(src, *m.span("on"))
                yield Effective(
                    date=_iso(date) if date else issue,
                    applies_to=_applies_to(m["subject"]),
                    text=_squash(m["when"]),
                    start=m.start("on"),
                    end=m.end("on"),
                    line=line.span,
                    original=line.original,
                )


def _applies_to(subject: str) -> str:
    """ "This Announcement" -> "all"; "Sections I(1) and I(2) of this
    Announcement" -> "Sections I(1) and I(2)"."""
    subject = _squash(subject)
    if _WHOLE_RE.fullmatch(subject):
        return "all"
    return _OF_WHOLE_RE.sub("", subject)


# Control codes and HS codes --------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Listed:
    """A listed code: its mention, item text and the lines of its item."""

    code: str
    span: Span
    line: int
    item: str
    block: range


def _codes(
    src: str, lines: Sequence[_Line]
) -> tuple[tuple[ControlCode, ...], tuple[HsCode, ...]]:
    """All control-code and HS-code mentions of an announcement."""
    listed = [x for i in range(len(lines)) for x in _listed_in(src, lines, i)]
    hs_codes = tuple(_hs_codes(src, lines, listed))
    listed_at = {x.span: x for x in listed}
    items = {x.code: x.item for x in listed}
    codes: list[ControlCode] = []
    for i, line in enumerate(lines):
        for m in _CODE_RE.finditer(src, line.start, line.end):
            x = listed_at.get(m.span())
            if x is None:
                codes.append(_reference(m, line, items.get(m.group())))
            else:
                codes.append(_listed_code(src, lines, x, hs_codes, i))
    return tuple(codes), hs_codes


def _reference(m: re.Match[str], line: _Line, item: str | None) -> ControlCode:
    """A code the text refers to: "components for items controlled by 2B902.f"."""
    return ControlCode(
        code=m.group(),
        start=m.start(),
        end=m.end(),
        line=line.span,
        listed=False,
        item=item,
        thresholds=(),
        hs_codes=(),
        original=line.original,
    )


def _listed_code(
    src: str, lines: Sequence[_Line], x: _Listed, hs_codes: Sequence[HsCode], i: int
) -> ControlCode:
    """A listed code with its item's thresholds and HS codes."""
    block = [lines[k] for k in x.block]
    thresholds = tuple(
        t for line in block for t in find_thresholds(src, line.start, line.end)
    )
    in_block = [
        h.code
        for h in hs_codes
        if any(h.start >= b.start and h.end <= b.end for b in block)
    ]
    return ControlCode(
        code=x.code,
        start=x.span[0],
        end=x.span[1],
        line=lines[i].span,
        listed=True,
        item=x.item or None,
        thresholds=thresholds,
        hs_codes=tuple(dict.fromkeys(in_block)),
        original=lines[i].original,
    )


def _listed_in(src: str, lines: Sequence[_Line], i: int) -> Iterator[_Listed]:
    """The codes line ``i`` lists: those opening it after its enumerator
    ("(1) 3A001 Rechargeable ..."), or tagged "(Control Code: 1E902.a)"."""
    line = lines[i]
    level, pos = _level(src, line)
    m = _LISTED_RUN_RE.match(src, pos, line.end)
    tag = None if m else _CODE_TAG_RE.search(src, line.start, line.end)
    if m is not None:
        run, item = m.span("run"), _item_text(src, m.end(), line.end)
    elif tag is not None:
        run, item = tag.span("run"), _item_text(src, pos, tag.start())
    else:
        return
    block = range(i, _block_end(src, lines, i, level))
    for code in _CODE_RE.finditer(src, *run):
        yield _Listed(code.group(), code.span(), i, item, block)


def _block_end(src: str, lines: Sequence[_Line], i: int, level: int) -> int:
    """The index after the last line of the item opened at line ``i``.

    The item runs on over its sub-items: it ends at a line that lists a code,
    is numbered at the item's level or above, is a note, or is the
    announcement's own prose ("Export operators ... shall ...").
    """
    for k in range(i + 1, len(lines)):
        line = lines[k]
        next_level, pos = _level(src, line)
        if next_level <= level or _LISTED_RUN_RE.match(src, pos, line.end):
            return k
        if _CODE_TAG_RE.search(src, line.start, line.end):
            return k
        if _NOTE_RE.match(src, line.start, line.end) or _PROSE_RE.search(
            src, line.start, line.end
        ):
            return k
    return len(lines)


def _item_text(src: str, start: int, end: int) -> str:
    """An item's text without its reference codes, tags and end punctuation."""
    # Cut, not blanked: "钨镍铁合金(参考...)或" must not gain a space.
    text = _CODE_TAG_RE.sub("", _HS_CLAUSE_RE.sub("", src[start:end]))
    return _squash(text).strip(" .．:：;；,，。").strip()


def _hs_codes(
    src: str, lines: Sequence[_Line], listed: Sequence[_Listed]
) -> Iterator[HsCode]:
    """Every reference HS code, tied to the listed code whose item holds it."""
    for i, line in enumerate(lines):
        owner = next((x for x in reversed(listed) if i in x.block), None)
        item_start = _item_start(src, line)
        for clause in _HS_CLAUSE_RE.finditer(src, line.start, line.end):
            item = _item_text(src, item_start, clause.start())
            item_start = clause.end()
            for m in _HS_RE.finditer(src, *clause.span("codes")):
                yield HsCode(
                    code=re.sub(r"\D", "", m.group()),
                    start=m.start(),
                    end=m.end(),
                    line=line.span,
                    item=_strip_joiner(item) or (owner.item if owner else None),
                    control_code=owner.code if owner else None,
                    original=line.original,
                )


def _item_start(src: str, line: _Line) -> int:
    """Where a line's item text starts: after its enumerator and listed codes."""
    _, pos = _level(src, line)
    m = _LISTED_RUN_RE.match(src, pos, line.end)
    return m.end() if m else pos


def _strip_joiner(item: str) -> str:
    """ "或钨镍铜合金" -> "钨镍铜合金": the second of two items joined by "or"."""
    return re.sub(r"^(?:或|及|和|or\s+|and\s+)", "", item).strip()


# Entity lists ----------------------------------------------------------------


def _entities(src: str, lines: Sequence[_Line]) -> Iterator[ListedEntity]:
    """The entities of each list attachment: "ATTACHMENT", a list title, names."""
    for i, line in enumerate(lines[:-1]):
        if not _ATTACHMENT_RE.fullmatch(_text(src, line.span)):
            continue
        heading = _text(src, lines[i + 1].span)
        name = next((n for n, p in _LIST_NAMES if p.search(heading)), None)
        if name is not None:
            yield from _list_members(src, lines[i + 2 :], name)


def _list_members(
    src: str, lines: Sequence[_Line], list_name: str
) -> Iterator[ListedEntity]:
    """One entity per line until the list ends (a long line of prose).

    A line ending in a colon heads a group ("TechInsights Inc. and its
    affiliates:"); the lines after it are its members, up to the next line
    numbered the way the heading is ("3." after "2. Beta及其关联公司：").
    """
    group: tuple[str, int] | None = None
    for line in lines:
        text = _text(src, line.span)
        if len(text) > _ENTITY_MAX_CHARS or text.endswith(("?", "。")):
            return
        level, pos = _level(src, line)
        if group is not None and level == group[1] < _UNNUMBERED:
            group = None
        name = _squash(src[pos : line.end])
        if name.endswith((":", "：")):
            group = (name.rstrip(":："), level)
            continue
        yield ListedEntity(
            name, list_name, group[0] if group else None, *line.span, line.original
        )


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------


def mofcom_facts(doc_id: str, sha256: str, text: DocumentText) -> list[Fact]:
    """The announcement, control-code, HS-code, date and entity facts of a document.

    Every fact's mention is ``text.text[fact.start:fact.end]``; its quote is
    the line holding it. A fact read from an English line that translates the
    Chinese line above it carries that line as ``original``.
    """
    facts: list[Fact] = []
    found = find_announcements(text)
    for a in found:
        facts.append(_announcement_fact(doc_id, sha256, text, a))
        facts.extend(_code_facts(doc_id, sha256, text, a))
        facts.extend(_hs_facts(doc_id, sha256, text, a))
        facts.extend(_threshold_facts(doc_id, sha256, text, a))
        facts.extend(_date_facts(doc_id, sha256, text, a))
        facts.extend(_entity_facts(doc_id, sha256, text, a))
    message = notice(text.text, found)
    if message is not None:
        logger.warning("%s: %s", doc_id, message)
        facts.append(_notice_fact(doc_id, sha256, text, message))
    return facts


def is_mofcom_page(raw: str) -> bool:
    """A page scraped from MOFCOM's site, or a document mostly in Chinese."""
    if _MOFCOM_PAGE_RE.search(raw):
        return True
    head = raw[:20_000]
    letters = len(head) - sum(map(str.isspace, head))
    return letters > 0 and len(_CJK_RE.findall(head)) >= 0.3 * letters


def notice(raw: str, found: Sequence[Announcement]) -> str | None:
    """What could not be found in a MOFCOM page, in one sentence, or None.

    A document with no announcement gets one only if it is a MOFCOM page
    (see :func:`is_mofcom_page`): a CRS report that cites an announcement in a
    footnote is no announcement. Any announcement found, in any document, is
    checked for its number, issuing bodies, issue and effective dates.

    >>> notice("问：商务部对此有何评论？答：中方希望荷方停止干涉。", ())[:22]
    'no announcement found:'
    """
    if not found and not is_mofcom_page(raw):
        return None
    cut = " (the scraped text is cut off)" if _TRUNCATED_RE.search(raw) else ""
    if not found:
        return (
            "no announcement found: no announcement number in the title, body or "
            f"page URL, no header and no effective-date sentence{cut}"
        )
    missing: list[str] = []
    for a in found:
        gaps = [
            what
            for what, absent in (
                ("announcement number (title, body and page URL)", not a.number),
                ("issuing bodies", not a.authorities),
                ("issue date", a.issue_date is None),
                ("effective date", not a.effective),
            )
            if absent
        ]
        if gaps:
            name = a.number or a.title or "the announcement on this page"
            missing.append(f"{name}: no {', no '.join(gaps)}")
    return f"not found: {'; '.join(missing)}{cut}" if missing else None


def scraper_spans(raw: str) -> tuple[Span, ...]:
    """The scraper's own sections of a wrapped MOFCOM page, as spans.

    A page wrapped in the scraper's template (see the shared MANIFEST) holds
    the announcement once, in "Key Provisions"; its Summary repeats it (or a
    third party's digest), Key Details, the impact assessment and Notes are
    the scraper's, and "本站转载..." is the site's reprint disclaimer. Facts in
    these spans would repeat or invent what the announcement says.
    """
    spans = list(_line_spans(raw))
    if not any(raw[s:e] == _TEMPLATE_BODY for s, e in spans):
        return ()
    found: list[Span] = []
    section: Span | None = None
    for s, e in spans:
        if raw.startswith("## ", s) or raw[s:e] == "---":
            if section is not None:
                found.append(section)
            own = raw[s:e] not in (_TEMPLATE_BODY,)
            section = (s, e) if own else None
            continue
        if section is not None:
            section = (section[0], e)
        elif _DISCLAIMER_RE.match(raw, s, e):
            found.append((s, e))
    if section is not None:
        found.append(section)
    return tuple(found)


def _notice_fact(doc_id: str, sha256: str, text: DocumentText, message: str) -> Fact:
    """The notice, anchored on the document's first line (its title)."""
    first = next(_line_spans(text.text), (0, 0))
    return new_fact(doc_id, sha256, text, "notice", first, key=message, message=message)


def _threshold_facts(
    doc_id: str, sha256: str, text: DocumentText, a: Announcement
) -> Iterator[Fact]:
    for x in a.thresholds:
        t = x.threshold
        yield new_fact(
            doc_id, sha256, text, "threshold", (t.start, t.end), x.line,
            key=f"{t.value!r}:{t.unit}:{t.qualifier}", value=t.value, unit=t.unit,
            qualifier=t.qualifier, item=x.item, announcement=a.number or None,
            original=_original(text, x.original),
        )  # fmt: skip


def _original(text: DocumentText, span: Span | None) -> str | None:
    return None if span is None else text.text[span[0] : span[1]]


def _announcement_fact(
    doc_id: str, sha256: str, text: DocumentText, a: Announcement
) -> Fact:
    return new_fact(
        doc_id, sha256, text, "announcement", a.title_span, key=a.number or a.url or "",
        number=a.number or None, number_en=a.number_en, authority=a.authority,
        authorities=list(a.authorities), url=a.url,
        title=a.title, language=a.language, issue_date=a.issue_date,
        effective=[e.to_json() for e in a.effective],
        original=_original(text, a.original),
    )  # fmt: skip


def _code_facts(
    doc_id: str, sha256: str, text: DocumentText, a: Announcement
) -> Iterator[Fact]:
    for c in a.control_codes:
        yield new_fact(
            doc_id, sha256, text, "control_code", (c.start, c.end), c.line,
            key=c.code, code=c.code, item=c.item, listed=c.listed,
            thresholds=[t.to_json() for t in c.thresholds], hs_codes=list(c.hs_codes),
            announcement=a.number or None, original=_original(text, c.original),
        )  # fmt: skip


def _hs_facts(
    doc_id: str, sha256: str, text: DocumentText, a: Announcement
) -> Iterator[Fact]:
    for h in a.hs_codes:
        yield new_fact(
            doc_id, sha256, text, "hs_code", (h.start, h.end), h.line, key=h.code,
            code=h.code, announcement=a.number or None, control_code=h.control_code,
            item=h.item, original=_original(text, h.original),
        )  # fmt: skip


def _date_facts(
    doc_id: str, sha256: str, text: DocumentText, a: Announcement
) -> Iterator[Fact]:
    for d in a.dates:
        yield new_fact(
            doc_id, sha256, text, "date", (d.start, d.end), d.line, key=d.date,
            date=d.date, role=d.role, applies_to=d.applies_to,
            announcement=a.number or None, original=_original(text, d.original),
        )  # fmt: skip


def _entity_facts(
    doc_id: str, sha256: str, text: DocumentText, a: Announcement
) -> Iterator[Fact]:
    for e in a.entities:
        yield new_fact(
            doc_id, sha256, text, "listed_entity", (e.start, e.end), key=e.name,
            name=e.name, list=e.list_name, group=e.group, announcement=a.number or None,
            original=_original(text, e.original),
        )  # fmt: skip
