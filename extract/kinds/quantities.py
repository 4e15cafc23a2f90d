"""Quantities in policy prose: find every figure with its unit, normalised.

Pure regular expressions over small tables, no spaCy. The pipeline for one text:

1. ``_blocked_spans`` marks what looks like a number but is not a quantity:
   dates, tariff and export-control codes, document numbers, list enumerators.
2. ``_TOKEN_RE`` finds number tokens: digits, spelled-out numbers, fractions,
   "half a".
3. ``_read`` grows each token into a mention: a qualifier, sign, currency or
   diameter sign before it; a multiplier (or power of ten), unit or counted
   noun and a trailing qualifier after it. A range ("0~1700 ℃") or a size
   ("Φ1.8x20 m") gives its first number the last one's unit. Tokens that end
   up with no unit are dropped.
4. ``_without_overlaps`` keeps the result sorted and non-overlapping.

``tie_year`` then finds the year the sentence ties a quantity to.
"""

# Full-width punctuation (＞％（）〔〕) is what these patterns read in Chinese text.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from extract.literals import required_literals
from extract.spans import matchable


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure in a text: where it is, what it says, and its normalised value.

    ``text == source[start:end]`` is the mention as written, qualifier included
    ("nearly three-quarters", "≥ 300 Wh/kg", "50% or more").
    """

    start: int
    end: int
    text: str
    value: float
    unit: str
    qualifier: str | None


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

# Units written after a number: (pattern, unit, factor to the normalised unit).
# Order matters where one alias starts another ("metric tons" before "tons").
# Symbols are case-sensitive ("Mt" is a megatonne, "mt" a metric ton).
_UNITS: tuple[tuple[str, str, float], ...] = (
    (r"%|(?i:per\s?cent|pct\b)", "percent", 1.0),
    (r"(?i:US\s+dollars?|dollars?)|USD", "usd", 1.0),
    (r"(?i:yuan|renminbi)|RMB|CNY", "cny", 1.0),
    (r"(?i:euros?)|EUR", "eur", 1.0),
    (r"(?i:yen)|JPY", "jpy", 1.0),
    (
        r"Wh\s*/\s*kg|Wh\s*kg[-\u2212\u207b]1|(?i:watt[-\s]hours?\s+per\s+kilogram)",
        "wh_per_kg",
        1,
    ),
    (r"(?i:TWh|terawatt[-\s]hours?)", "twh", 1.0),
    (r"(?i:GWh|gigawatt[-\s]hours?)", "gwh", 1.0),
    (r"(?i:MWh|megawatt[-\s]hours?)", "mwh", 1.0),
    (r"(?i:kWh|kilowatt[-\s]hours?)", "kwh", 1.0),
    (r"GW|(?i:gigawatts?)", "gw", 1.0),
    (r"MW|(?i:megawatts?)", "mw", 1.0),
    (r"(?i:metric\s+tonnes?|metric\s+tons?|tonnes?|tons?)|MT|mt", "tonnes", 1.0),
    (r"(?i:short\s+tons?)", "tonnes", 0.90718474),
    (r"(?i:kilotonnes?|kilotons?)|kt", "tonnes", 1e3),
    (r"(?i:megatonnes?|megatons?)|Mt", "tonnes", 1e6),
    (r"(?i:kilogrammes?|kilograms?)|kgs?", "kg", 1.0),
    (r"[μµ]m|um|(?i:micromet(?:er|re)s?|microns?)", "um", 1.0),
    (r"nm|(?i:nanomet(?:er|re)s?)", "nm", 1.0),
    (r"mm|(?i:millimet(?:er|re)s?)", "mm", 1.0),
    # Technical thresholds (MOFCOM control lists): "≥ 40 m/s", "5~7 A/cm²".
    # Units named after people are lowercase: "5 Teslas" are cars.
    (r"mAh\s*/\s*g", "mah_per_g", 1.0),
    (r"g\s*/\s*cm(?:\^?3|³)", "g_per_cm3", 1.0),
    (r"A\s*/\s*cm(?:\^?2|²)", "a_per_cm2", 1.0),
    (r"m\s*/\s*s|(?i:met(?:er|re)s?\s+per\s+second)", "m_per_s", 1.0),
    (r"m(?:\^?3|³)|(?i:cubic\s+met(?:er|re)s?)", "m3", 1.0),
    (r"(?i:metres?)", "m", 1.0),  # not "meters": "20 smart meters" are devices
    (r"(?i:lit(?:er|re)s?)", "litres", 1.0),
    (r"\u2103|\u00b0[^\S\n]?C|degrees?\s+(?:[Cc]elsius|[Cc]entigrade)", "celsius", 1),
    (r"kW|(?i:kilowatts?)", "kw", 1.0),
    (r"[kK]Hz|kilohertz", "khz", 1.0),
    (r"amperes?", "ampere", 1.0),
    (r"GPa|(?i:gigapascals?)", "gpa", 1.0),
    (r"MPa|Mpa|(?i:megapascals?)", "mpa", 1.0),
    (r"kPa|kilopascals?", "pa", 1e3),
    (r"Pa|pascals?", "pa", 1.0),
    (r"ppm|parts\s+per\s+million", "ppm", 1.0),
    (r"teslas?", "tesla", 1.0),
    (r"newtons?", "newton", 1.0),
    (r"HRB", "hrb", 1.0),  # Rockwell B hardness
    (r"mins?|(?i:minutes?)", "minutes", 1.0),
    (r"(?i:years?|yrs?)", "years", 1.0),
    (r"(?i:months?)", "months", 1.0),
    (r"(?i:(?:working|business|calendar)\s+days?|days?)", "days", 1.0),
    # Chinese units (MOFCOM control lists), longest first: "千兆帕" before "兆帕".
    (r"克\s*/\s*立方厘米", "g_per_cm3", 1.0),
    (r"个\s*/\s*平方厘米", "per_cm2", 1.0),
    (r"千兆帕|吉帕", "gpa", 1.0),
    (r"兆帕", "mpa", 1.0),
    (r"千帕", "pa", 1e3),
    (r"微米", "um", 1.0),
    (r"纳米", "nm", 1.0),
    (r"毫米", "mm", 1.0),
    (r"厘米", "cm", 1.0),
    (r"立方米", "m3", 1.0),
    (r"千米|公里", "km", 1.0),
    (r"米", "m", 1.0),
    (r"千瓦时", "kwh", 1.0),
    (r"千瓦", "kw", 1.0),
    (r"千克|公斤", "kg", 1.0),
    (r"万吨", "tonnes", 1e4),
    (r"吨", "tonnes", 1.0),
    (r"摄氏度", "celsius", 1.0),
    (r"分钟", "minutes", 1.0),
    (r"英寸", "inch", 1.0),
)
_CURRENCY_UNITS = frozenset({"usd", "cny", "eur", "jpy"})

# One-letter unit symbols, read only in a technical context (after a
# comparison sign, inside a range "6000~30000 A" or a size "Φ19x21 m", see
# ``_short_units_for``):
# elsewhere "2 N Korean", "5 m people" or "Plan 2 A" are no measurements.
_SHORT_UNITS: tuple[tuple[str, str, float], ...] = (
    ("m", "m", 1.0),
    ("L", "litres", 1.0),
    ("N", "newton", 1.0),
    ("A", "ampere", 1.0),
    ("T", "tesla", 1.0),
)
# Written before a diameter ("Φ1.8x20 m"): part of the mention.
_DIAMETER_SIGNS = "\u03a6\u03c6\u2300\u00d8\u00f8"  # Φ φ ⌀ Ø ø
# Between the numbers of a size: "Φ1.8x20 m" is 1.8 m by 20 m.
_DIMENSION_SIGNS = "\u00d7"  # the multiplication sign; "x" below stands for it

# Currency written before a number. None marks a currency with no unit of ours:
# "A$5 billion" must not become US dollars, nor a bare count.
_CURRENCY_PREFIXES: dict[str, str | None] = {
    "US$": "usd", "US $": "usd", "USD": "usd", "$": "usd",
    "€": "eur", "EUR": "eur",
    "RMB": "cny", "CNY": "cny", "CN¥": "cny", "¥": "cny", "￥": "cny",
    "JPY": "jpy", "JP¥": "jpy",
    "A$": None, "AU$": None, "C$": None, "CA$": None, "HK$": None, "NZ$": None,
    "S$": None, "£": None, "GBP": None, "₹": None, "INR": None, "₩": None,
    "KRW": None, "AUD": None, "CAD": None,
}  # fmt: skip
_UNKNOWN_CURRENCY = "?"

# Multiplier words, after any number ("3.5 million tons", "2 million").
_MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9,
    "bn": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
# One-letter multipliers, only glued to a currency amount ("$677M", "$18.74B"):
# elsewhere "5m" is five metres and "1.5T" is 1.5 tesla.
_LETTER_MULTIPLIERS: dict[str, float] = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}

# Qualifier phrases before a number. A regex search finds the leftmost match,
# so "no less than" wins over "less than" and "not exceeding" over "exceeding".
_QUALIFIER_WORDS: dict[str, str] = {
    "about": "about", "approximately": "about", "approx.": "about",
    "around": "about", "roughly": "about", "some": "about", "circa": "about",
    "an estimated": "about", "estimated": "about",
    "more than": "more_than", "over": "more_than", "above": "more_than",
    "exceeding": "more_than", "greater than": "more_than",
    "in excess of": "more_than", "upwards of": "more_than",
    "less than": "less_than", "under": "less_than", "below": "less_than",
    "fewer than": "less_than",
    "at least": "at_least", "no less than": "at_least", "not less than": "at_least",
    "no fewer than": "at_least", "a minimum of": "at_least",
    "up to": "at_most", "at most": "at_most", "no more than": "at_most",
    "not more than": "at_most", "a maximum of": "at_most", "not exceeding": "at_most",
    "no later than": "at_most", "not later than": "at_most",
    "nearly": "nearly", "almost": "nearly", "close to": "nearly",
}  # fmt: skip
# Chinese comparatives, written straight before the number: "大于等于99.99%".
_ZH_QUALIFIERS: dict[str, str] = {
    "大于等于": "at_least", "大于或等于": "at_least", "不小于": "at_least",
    "不低于": "at_least", "不少于": "at_least", "至少": "at_least",
    "小于等于": "at_most", "小于或等于": "at_most", "不大于": "at_most",
    "不高于": "at_most", "不超过": "at_most", "不多于": "at_most", "最多": "at_most",
    "大于": "more_than", "高于": "more_than", "超过": "more_than", "多于": "more_than",
    "小于": "less_than", "低于": "less_than", "少于": "less_than",
    "约": "about", "大约": "about", "近": "nearly", "将近": "nearly",
}  # fmt: skip
_QUALIFIER_SYMBOLS: dict[str, str] = {
    "≥": "at_least", ">=": "at_least", "⩾": "at_least",
    "≤": "at_most", "<=": "at_most", "⩽": "at_most",
    ">": "more_than", "<": "less_than", "~": "about", "≈": "about", "\u223c": "about",
    "±": "at_most",  # a tolerance: "uniformity within ±3 ℃"
}  # fmt: skip

# Spelled-out numbers (hyphens and spaces are interchangeable: "twenty-five").
_NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip

# Fractions used as shares ("half of", "nearly three-quarters of"), in percent.
_FRACTIONS: dict[str, float] = {
    "half": 50.0, "one-half": 50.0, "a-half": 50.0,
    "one-third": 100 / 3, "a-third": 100 / 3, "two-thirds": 200 / 3,
    "one-quarter": 25.0, "a-quarter": 25.0, "three-quarters": 75.0,
    "one-fifth": 20.0, "a-fifth": 20.0, "one-tenth": 10.0, "a-tenth": 10.0,
}  # fmt: skip

# Words after a number that end the noun phrase a count could be counting.
_PHRASE_BREAKERS = frozenset(
    (
        "of", "the", "a", "an", "and", "or", "but", "nor", "to", "in", "on", "at",
        "by", "for", "from", "with", "as", "that", "which", "who", "whom", "whose",
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
        "will", "would", "can", "could", "may", "might", "must", "shall", "should",
        "than", "per", "not", "no", "it", "its", "this", "these", "those", "their",
        "his", "her", "our", "your", "they", "we", "he", "she", "you", "if", "so",
        "then", "when", "where", "while", "also", "each", "every", "all", "into",
        "over", "under", "about", "after", "before", "since", "until", "more",
        "less", "most", "least", "up", "down", "out", "percentage", "basis",
    )
)  # fmt: skip
# Plural-looking words that are not nouns being counted.
_NOT_PLURALS = frozenset(
    (
        "this", "its", "has", "was", "does", "as", "yes", "always", "perhaps",
        "whereas", "sometimes", "besides", "towards", "afterwards", "backwards",
        "downwards", "upwards", "unless", "thus", "plus", "news",
    )
)  # fmt: skip
# Measures with no unit of ours: "20 hours" or "50 basis points" is no count.
_MEASURE_WORDS = frozenset(
    (
        "hours", "minutes", "seconds", "weeks", "decades", "centuries", "metres",
        "meters", "kilometres", "kilometers", "miles", "feet", "inches", "degrees",
        "acres", "hectares", "ounces", "pounds", "litres", "liters", "gallons",
        "barrels", "watts", "kilowatts", "volts", "amperes", "points", "times",
        "dollars", "euros",
    )
)  # fmt: skip

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}"

# Spans whose digits date something: never quantities, but their years count
# for ``tie_year``.
_DATE_PATTERNS: tuple[str, ...] = (
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_YEAR}\b)?",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?![a-z])(?:,?\s+{_YEAR}\b)?",
    rf"\b{_MONTH},?\s+{_YEAR}\b",
    rf"\b{_YEAR}[-/.]\d{{1,2}}[-/.]\d{{1,2}}\b",
    r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b",
    rf"{_YEAR}年(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?",
    r"\b(?:FY|CY|MY)\s?'?\d{2}(?:\d{2})?\b",
    rf"\b[QH][1-4]\s+{_YEAR}\b|\b{_YEAR}\s?[QH][1-4]\b",
    r"\b\d{1,2}:\d{2}(?::\d{2})?\b",
    # "in year two", "day 90": a point in time, not a duration or count.
    r"(?i:\b(?:year|quarter|month|week|day)\s+(?:\d{1,3}|one|two|three|four|five)\b)",
)

# Labels before a document reference number ("Table 1", "section 232").
# Words that are also verbs ("reports 70%", "notes 50%") or measures
# ("tank volume 10~50 m³") count only when capitalised.
_DOC_LABELS = (
    r"(?i:Annex(?:es)?|Parts?|Articles?|Art\.|Tables?|Figures?|Figs?\.|Chapters?"
    r"|Ch\.|Titles?|Items?|Paragraphs?|Paras?\.|Clauses?|Schedules?|Appendix"
    r"|Appendices|Exhibits?|Box|Pages?|pp?\.|Footnotes?|Subparts?|Subtitles?"
    r"|Vol\.|Versions?|Phases?|Tiers?|Headings?|Subheadings?"
    r"|Amendments?|Decrees?|Announcements?|Circulars?|Dockets?|Proclamations?"
    r"|Sections?|Secs?\.|Nos?\.)"
    r"|Notes?|Rules?|Orders?|Reports?|Issues?|Lists?|Numbers?|Groups?|Models?"
    r"|Lines?|Steps?|Rounds?|Options?|Stages?|Class|Categor(?:y|ies)|Columns?"
    r"|Charts?|Entry|Entries|Resolutions?|Notices?|Documents?|Bulletins?"
    r"|Grants?|Directives?|Regulations?|Divisions?|Volumes?"
)

# Spans whose digits identify something: not quantities, and not years either.
_CODE_PATTERNS: tuple[str, ...] = (
    # Document references: "Table 1", "Part 2 of Annex 1", "No. 58/2025",
    # "Sections 232 and 301", "section 30D".
    rf"\b(?:{_DOC_LABELS})[^\S\n]*\d+[A-Za-z]*(?:[/.-]\d+[A-Za-z]*)*(?![\d.]*\s*%)"
    r"(?:\s*(?:,|and|or|&)\s*\d+[A-Za-z]*\b(?!\s*%))*",
    r"§+\s*\d+[\w.()-]*",
    r"\b(?:Executive\s+Orders?|E\.\s?O\.|EO)\s*\d+",
    r"(?<![\w.])(?:P\.\s?L\.|Pub\.\s?L\.(?:\s?No\.)?)\s*\d+[-\u2013]\d+",
    r"(?<![\w.])(?:S|H\.\s?R|S\.\s?R|[HS]\.\s?(?:J\.\s?|Con\.\s?)?Res)\.\s*\d+",
    r"\b\d+\s+(?:U\.S\.C\.|C\.F\.R\.|CFR|USC|Stat\.|FR|Fed\.\s?Reg\.)"
    r"(?:\s*§*\s*[\d.]+\w*)?",
    # Chinese document numbers: "2006年第50号", "〔2025〕10号", "国务院令第230号".
    rf"{_YEAR}[^\S\n]*年?[^\S\n]*第[^\S\n]*\d+[^\S\n]*号",
    rf"[〔\[［(（]{_YEAR}[〕\]］)）][^\S\n]*第?[^\S\n]*\d+[^\S\n]*号",
    r"第[^\S\n]*\d+[^\S\n]*号",
    # A statute's year names it: "Trade Act of 1974", "Tariff Act of 1930".
    rf"\b(?:Acts?|Law|Code|Treaty|Agreement|Convention|Amendments?|Ordinance)"
    rf"\s+of\s+{_YEAR}\b",
    # Percent-encoded URL text: "top%2050%20" holds no 2050%.
    r"(?<!\S)[^\s%]*(?:%[0-9A-Fa-f]{2}[^\s%]*){2,}",
    # Tariff codes: "HS 2504", "HTS code 3801.10.50", "HS Code: 71051020".
    r"\b(?:HTSUS|HTS|HS|HSN|CN|ECCN)\b(?i:\s*(?:codes?|headings?|subheadings?"
    r"|chapters?|numbers?|no\.))?\s*[:#\u2013-]?\s*\d[\d.]*",
    # Bare 6-10 digit tariff lines and grant numbers; not money or decimals.
    r"(?<![\d$\u20ac\u00a5])\d{6,}(?!\d|\.\d|\s*%)",
    r"\b\d+(?:\.\d+){2,}\b",  # 8507.60.00, version 1.2.3
    r"\b\d[A-E]\d{3}(?:\.[a-z](?:\.\d+)*)*",  # ECCNs: 3A001, 3C901.a.1
    r"(?<!\d)\d{2,7}-\d{2}-\d(?!\d)",  # CAS registry numbers
    r"\b\d{1,2}[- ]digits?\b",  # "the 8-digit level" describes a code
    r"(?<![\w-])[A-Z]{1,3}-\d+(?:\.\d+)?\b",  # G-7, COVID-19
    r"\+?\(?\b\d{3}\)?[-.\s]\d{3}[-.]\d{4}\b",  # phone numbers
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+",
    # Ranks are not counts: "top 10 firms", "top five".
    # ("the top 10% of firms" is a share, though).
    r"(?i:\b(?:top|bottom|rank(?:ed|s)?)\s+(?:\d+(?![\d.]*\s*%)|[a-z]+(?:-[a-z]+)?)\b)",
    r"(?i:#\d+\b)",
    r"\b\d+(?:st|nd|rd|th)\b",
    # Enumerators: "1." / "(1)" / "1)" opening a line or a sentence.
    r"(?m:^[^\S\n]*(?:[#>*•-]+[^\S\n]*)*(?:\(?\d{1,3}[.)](?=\s|$)"
    r"|\d{1,2}(?:\.\d{1,2})+\.?(?=\s+[A-Z*#(“\"])))",
    r"(?<=[.;:!?] )\(?\d{1,2}[.)](?=\s)",
    r"\(\d{1,3}\)",
    r"(?<![\w.(])\d{1,2}\)(?=\s)",
)


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces flexible."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


_DATE_RES = tuple(re.compile(p) for p in _DATE_PATTERNS)
_CODE_RES = tuple(re.compile(p) for p in _CODE_PATTERNS)
_NEEDLES = {p: required_literals(p) for p in _DATE_RES + _CODE_RES}

_RANGE_DASHES = "\\-\u2013\u2014~\uff5e"  # -, en and em dash, tildes
_DIGITS = r"\d{1,3}(?:[,\u2009\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBER = (
    rf"(?:(?:a|{_alternation(list(_NUMBER_WORDS)[:9])})\s+)?hundred"
    r"|(?:a\s+)?dozen"
    rf"|(?:{_alternation(list(_NUMBER_WORDS)[19:])})"
    rf"(?:[-\s](?:{_alternation(list(_NUMBER_WORDS)[:9])}))?"
    rf"|{_alternation(list(_NUMBER_WORDS)[:19])}"
)
_FRACTION = "|".join(
    r"[-\s]".join(key.split("-")) for key in sorted(_FRACTIONS, key=len, reverse=True)
)

# A number token. Digits may follow a currency code ("USD5") but no other
# letter, digit or decimal point: "45X", "R47324", "3A001" are names.
_TOKEN_RE = re.compile(
    r"(?:(?<=USD)|(?<=RMB)|(?<=CNY)|(?<=EUR)|(?<=JPY)|(?<![0-9A-Za-z_./])(?<!\d,))"
    rf"(?P<digits>{_DIGITS})(?![0-9]|[.,]\d)"
    rf"|(?<![\w-])(?P<fraction>(?i:{_FRACTION}))(?=\s+of\b)"
    rf"|(?<![\w-])(?P<word>(?i:{_WORD_NUMBER}))(?![\w-])"
    r"|(?<![\w-])(?P<half>(?i:half[^\S\n]+an?))(?=[^\S\n]+[A-Za-z])"  # half a year
)
_DIGITS_RE = re.compile(_DIGITS)

_CURRENCY_BEFORE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<cur>{_alternation(_CURRENCY_PREFIXES)})[^\S\n]?\Z"
)
_SIGN_BEFORE_RE = re.compile(r"(?<![0-9A-Za-z])[-\u2212]\Z")
_DIAMETER_BEFORE_RE = re.compile(rf"[{_DIAMETER_SIGNS}][^\S\n]?\Z")
_QUALIFIER_BEFORE_RE = re.compile(
    rf"(?<![\w])(?P<word>(?i:{_alternation(_QUALIFIER_WORDS)}))\s+\Z"
    rf"|(?<![0-9A-Za-z/\"'=<>])(?P<sym>{_alternation(_QUALIFIER_SYMBOLS)})\s*\Z"
    rf"|(?P<zh>{_alternation(_ZH_QUALIFIERS)})[^\S\n]*\Z"
)
_PLUS_RE = re.compile(r"\+")
_MULTIPLIER_RE = re.compile(rf"\s*(?i:{_alternation(_MULTIPLIERS)})(?![A-Za-z])")
# Scientific notation: "1x10⁻³", "2.5 x 10^6".
_SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074-\u2079"
_POWER_OF_TEN_RE = re.compile(
    r"[^\S\n]*[\u00d7x][^\S\n]*10(?:\^(?P<exp>[-\u2212+]?\d+)"
    rf"|(?P<sup>[\u207b\u207a]?[{_SUPERSCRIPT_DIGITS}]+))"
)
_SUPERSCRIPTS = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u207a\u2212",
    "0123456789-+-",
)
_LETTER_MULTIPLIER_RE = re.compile(r"[KkMmBbTt](?![A-Za-z])")
_UNIT_RE = re.compile(
    r"(?P<gap>[^\S\n]{0,3}(?:\n[^\S\n]{0,3})?|-)(?:"
    + "|".join(f"(?P<u{i}>{pattern})" for i, (pattern, _, _) in enumerate(_UNITS))
    + r")(?![A-Za-z])"
)
_SHORT_UNIT = (
    r"(?P<gap>[^\S\n]{0,2})(?:"
    + "|".join(f"(?P<u{i}>{p})" for i, (p, _, _) in enumerate(_SHORT_UNITS))
    + r")(?![A-Za-z0-9\u00b2\u00b3/])"
)
# A one-letter unit is read in a range or a size ("6000~30000 A", "Φ19x21 m
# for ..."); after a comparison, only where the clause ends ("≥ 16 N.", not
# "> 5 A grade").
_SHORT_UNIT_RE = re.compile(_SHORT_UNIT)
_SHORT_UNIT_AT_END_RE = re.compile(_SHORT_UNIT + r"(?=[^\S\n]*(?:[.,;:)\]]|\n|\Z))")
_ANY_UNIT = "|".join(pattern for pattern, _, _ in (*_UNITS, *_SHORT_UNITS))
_TECHNICAL_BEFORE_RE = re.compile(
    rf"(?:(?P<cmp>>=|<=|[\u2265\u2264\u2a7e\u2a7d<>])"
    rf"|(?P<join>\d[^\S\n]*[~\uff5e{_DIMENSION_SIGNS}]))"
    rf"[^\S\n]*[{_DIAMETER_SIGNS}]?[^\S\n]*\Z"
)
# A tilde after a number and its unit, or spaced out after a number, joins a
# range ("Φ1.8x20 m ~ Φ4.6x80 m", "10 ~ 50 m³"); "in 2024 ~50%" is about 50%.
_TILDES = "~\u223c"
_RANGE_TILDE_BEFORE_RE = re.compile(
    rf"\d(?:[^\S\n]*(?:{_ANY_UNIT})[^\S\n]*[{_TILDES}][^\S\n]*"
    rf"|[^\S\n]+[{_TILDES}][^\S\n]+)\Z"
)
# The first number of a size, before the one being read: "≥ Φ19x" of "21 m".
_DIMENSION_BEFORE_RE = re.compile(
    rf"[{_DIAMETER_SIGNS}]?[^\S\n]*(?:{_DIGITS})[^\S\n]*[{_DIMENSION_SIGNS}][^\S\n]*\Z"
)
# "Seven of the top 10 producers": a spelled-out number counting a part.
_PARTITIVE_RE = re.compile(r"\s+of\s+(?i:the|these|those|its|their|our|all)\b")
_POST_QUALIFIER_RE = re.compile(
    r"\s+(?i:(?:or|and)\s+(?P<up>more|above|higher|greater|over)"
    r"|(?:or|and)\s+(?P<down>less|fewer|below|lower|under))\b"
    r"|(?P<cjk>及以上|以上)|(?P<cjk_down>及以下|以下|以内)"
)
# "低于60%（含）": below, the bound included.
_INCLUSIVE_RE = re.compile(r"[^\S\n]*[（(]含[)）]")
_INCLUSIVE = {"less_than": "at_most", "more_than": "at_least"}
_RANGE_SEPARATOR_RE = re.compile(
    rf"[^\S\n]*[{_RANGE_DASHES}{_DIMENSION_SIGNS}][^\S\n]*|\s+to\s+"
)
_RANGE_CURRENCY_BEFORE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<cur>{_alternation(_CURRENCY_PREFIXES)})[^\S\n]?"
    rf"(?:{_DIGITS})(?:\s*(?i:{_alternation(_MULTIPLIERS)}))?"
    rf"(?:[^\S\n]*[{_RANGE_DASHES}][^\S\n]*|\s+to\s+)\Z"
)
_NEXT_WORD_RE = re.compile(
    r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)[\u201c\"\u2018']?"
    r"(?P<word>[A-Za-z][A-Za-z\u2019'-]*)[\u201d\"\u2019']?"
)
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_LINE_START_RE = re.compile(r"(?:\A|\n)[^\S\n]*\Z")
_FRACTION_NOT_SHARE_RE = re.compile(r"(?i:\b(?:first|second|last|latter|former)\s+\Z)")
_FRACTION_OF_TIME_RE = re.compile(
    rf"(?i:\s+of\s+(?:the\s+)?(?:year|decade|century|{_YEAR})\b)"
)

_WINDOW = 40  # characters looked at before a number for its qualifier/currency
_COUNT_WORDS = 4  # words after a number searched for the noun it counts


# --------------------------------------------------------------------------
# Finding quantities
# --------------------------------------------------------------------------


def find_quantities(text: str) -> tuple[Quantity, ...]:
    """All quantities in a sentence or paragraph, in order, non-overlapping.

    >>> [(q.text, q.value, q.unit, q.qualifier)
    ...  for q in find_quantities("In 2022, China held nearly three-quarters of "
    ...                           "imports worth $18.74B, up from 40-80%.")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('nearly three-quarters', 75.0, 'percent', 'nearly'),
     ('$18.74B', 18740000000.0, 'usd', None),
     ('40', 40.0, 'percent', None), ('80%', 80.0, 'percent', None)]
    """
    return _find(text)


@lru_cache(maxsize=1024)
def _find(text: str) -> tuple[Quantity, ...]:
    # Cached: ``tie_year`` re-reads the same sentence once per quantity.
    # Read with HTML entities unescaped and full-width symbols folded, at the
    # same offsets; each mention is then the raw text ("&gt;99.9%").
    src = matchable(text)
    tokens = list(_TOKEN_RE.finditer(src))
    if not tokens:
        return ()  # no number: the blocked spans need not be looked for
    blocked = _blocked_spans(src, _DATE_RES + _CODE_RES)
    found = (_read(src, token, blocked) for token in tokens)
    kept = tuple(_without_overlaps(q for q in found if q is not None))
    if src is text or src == text:
        return kept
    return tuple(replace(q, text=text[q.start : q.end]) for q in kept)


class _SpanSet:
    """Character spans, merged and sorted, asked "does this overlap?" in log time.

    A list of spans scanned for each number token made extraction quadratic
    in the length of a sentence (a 100k-character one took minutes).
    """

    __slots__ = ("_starts", "_stops")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        stops: list[int] = []
        for start, stop in sorted(s for s in spans if s[0] < s[1]):
            if stops and start < stops[-1]:
                stops[-1] = max(stops[-1], stop)
            else:
                starts.append(start)
                stops.append(stop)
        self._starts, self._stops = starts, stops

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``start:end`` shares a character with a span."""
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._stops[i] > start


def _blocked_spans(text: str, patterns: Iterable[re.Pattern[str]]) -> _SpanSet:
    """The spans of ``text`` that any of ``patterns`` match.

    A pattern is not run on a text that holds none of the literal strings
    its every match contains (a URL's "http", a citation's "U.S.C.").
    """
    return _SpanSet(
        m.span()
        for p in patterns
        if (needles := _NEEDLES.get(p)) is None or any(map(text.__contains__, needles))
        for m in p.finditer(text)
    )


def _without_overlaps(quantities: Iterable[Quantity]) -> Iterator[Quantity]:
    """Sorted by start; of two overlapping mentions the earlier one wins."""
    last_end = -1
    for q in sorted(quantities, key=lambda q: (q.start, -q.end)):
        if q.start >= last_end:
            last_end = q.end
            yield q


def _read(text: str, token: re.Match[str], blocked: _SpanSet) -> Quantity | None:
    """Grow one number token into a quantity, or None if it is not one."""
    if blocked.overlaps(token.start(), token.end()):
        return None
    if token["fraction"] is not None:
        return _read_fraction(text, token)
    return _read_number(text, token)


def _read_fraction(text: str, token: re.Match[str]) -> Quantity | None:
    """ "half of" -> 50 percent; not "the first half of", "half of 2024"."""
    start = token.start()
    if _FRACTION_NOT_SHARE_RE.search(text, max(0, start - _WINDOW), start):
        return None
    if _FRACTION_OF_TIME_RE.match(text, token.end()):
        return None
    start, qualifier = _qualifier_before(text, start)
    key = re.sub(r"[-\s]+", "-", token["fraction"].lower())
    return _quantity(text, start, token.end(), _FRACTIONS[key], "percent", qualifier)


def _read_number(text: str, token: re.Match[str]) -> Quantity | None:
    """A digit or word token with what surrounds it: "$18.74B", "≥ 300 Wh/kg"."""
    start, currency, sign = _currency_and_sign_before(text, token)
    if currency == _UNKNOWN_CURRENCY:
        return None
    start, qualifier = _qualifier_before(text, start)
    end, plus = _plus_after(text, token.end())
    end, multiplier = _multiplier_after(text, end, currency is not None)
    end, inner = _qualifier_before_unit(text, end)
    resolved = _resolve_unit(text, token, end, currency, multiplier)
    if resolved is None:
        return None
    end, unit, factor, multiplier = resolved
    end, post = _post_qualifier_after(text, end)
    qualifier = qualifier or inner or post or plus
    inclusive = _INCLUSIVE_RE.match(text, end)
    if inclusive is not None and qualifier in _INCLUSIVE:
        end, qualifier = inclusive.end(), _INCLUSIVE[qualifier]
    value = sign * _scaled(_token_value(token), multiplier) * factor
    return _quantity(text, start, end, value, unit, qualifier)


def _scaled(number: float, multiplier: float) -> float:
    """``number`` times ``multiplier``; "50x10⁻⁶" is 5e-05, not 4.99...e-05."""
    if 0 < multiplier < 1:
        return number / round(1 / multiplier)
    return number * multiplier


def _quantity(
    text: str, start: int, end: int, value: float, unit: str, qualifier: str | None
) -> Quantity:
    return Quantity(start, end, text[start:end], value, unit, qualifier)


def _token_value(token: re.Match[str]) -> float:
    """The number a digit or word token spells: "7,500" -> 7500, "twenty-one" -> 21."""
    if token["digits"] is not None:
        return float(re.sub(r"[,\u2009\u202f]", "", token["digits"]))
    if token["half"] is not None:
        return 0.5  # "half a year"
    total = 0.0
    for word in re.split(r"[-\s]+", token["word"].lower()):
        if word in ("hundred", "dozen"):
            total = max(total, 1.0) * (100 if word == "hundred" else 12)
        else:
            total += _NUMBER_WORDS.get(word, 0)  # "a" adds nothing
    return total


def _is_year_like(token: re.Match[str]) -> bool:
    """A bare 1900-2099 integer: a year unless a unit or currency says otherwise."""
    digits = token["digits"]
    return digits is not None and re.fullmatch(_YEAR, digits) is not None


# --------------------------------------------------------------------------
# What comes before a number
# --------------------------------------------------------------------------


def _currency_and_sign_before(
    text: str, token: re.Match[str]
) -> tuple[int, str | None, float]:
    """(new start, currency unit or None, +1/-1): "US$3", "-12%", "Φ1.8"."""
    start = token.start()
    if token["digits"] is None:
        return start, None, 1.0
    lo = max(0, start - _WINDOW)
    m = _CURRENCY_BEFORE_RE.search(text, lo, start)
    if m is not None:
        currency = _CURRENCY_PREFIXES[re.sub(r"\s+", " ", m["cur"])]
        return m.start(), currency or _UNKNOWN_CURRENCY, 1.0
    m = _RANGE_CURRENCY_BEFORE_RE.search(text, lo, start)
    if m is not None:  # the "20" of "$10-20 billion" is dollars too
        currency = _CURRENCY_PREFIXES[re.sub(r"\s+", " ", m["cur"])]
        return start, currency or _UNKNOWN_CURRENCY, 1.0
    m = _SIGN_BEFORE_RE.search(text, lo, start)
    if m is not None:
        return m.start(), None, -1.0
    m = _DIAMETER_BEFORE_RE.search(text, lo, start)
    return (start if m is None else m.start()), None, 1.0


def _qualifier_before(text: str, start: int) -> tuple[int, str | None]:
    """(new start, qualifier) for "more than 20%", "≥ 300 Wh/kg".

    The second number of a size shares the first one's qualifier: in
    "≥ Φ19x21 m", 21 m is at least too (its mention starts at "21").
    """
    lo = max(0, start - _WINDOW)
    m = _QUALIFIER_BEFORE_RE.search(text, lo, start)
    if m is None:
        return start, _dimension_qualifier(text, start)
    if m["word"] is not None:
        key = re.sub(r"\s+", " ", m["word"].lower())
        return m.start(), _QUALIFIER_WORDS[key]
    if m["zh"] is not None:
        return m.start(), _ZH_QUALIFIERS[m["zh"]]
    if m["sym"] in _TILDES and _RANGE_TILDE_BEFORE_RE.search(text, lo, start):
        return start, None  # the tilde of "20 m ~ Φ4.6" joins a range
    return m.start(), _QUALIFIER_SYMBOLS[m["sym"]]


def _dimension_qualifier(text: str, start: int) -> str | None:
    """The qualifier of the size a number ends: at_least for the 21 of "≥ Φ19x21"."""
    m = _DIMENSION_BEFORE_RE.search(text, max(0, start - _WINDOW), start)
    return None if m is None else _qualifier_before(text, m.start())[1]


# --------------------------------------------------------------------------
# What comes after a number
# --------------------------------------------------------------------------


def _plus_after(text: str, pos: int) -> tuple[int, str | None]:
    """ "17+ years": the plus means at least."""
    m = _PLUS_RE.match(text, pos)
    return (m.end(), "at_least") if m else (pos, None)


def _multiplier_after(text: str, pos: int, currency: bool) -> tuple[int, float]:
    """(new end, multiplier): "3.5 million", "$11.3bn", "$677M", "1x10⁻³"."""
    m = _POWER_OF_TEN_RE.match(text, pos)
    if m is not None:
        exponent = (m["exp"] or m["sup"]).translate(_SUPERSCRIPTS)
        return m.end(), 10.0 ** int(exponent)
    m = _MULTIPLIER_RE.match(text, pos)
    if m is not None:
        return m.end(), _MULTIPLIERS[m.group().strip().lower()]
    m = _LETTER_MULTIPLIER_RE.match(text, pos) if currency else None
    if m is not None:
        return m.end(), _LETTER_MULTIPLIERS[m.group().lower()]
    return pos, 1.0


def _unit_after(
    text: str,
    pos: int,
    year_like: bool = False,
    short: re.Pattern[str] | None = None,
) -> tuple[int, str, float] | None:
    """(new end, unit, factor) for a unit right after ``pos``, or None.

    The unit may follow on the next line (PDF text wraps), except after a year.
    One-letter symbols ("16 N") are read only with a ``short`` pattern, which
    ``_short_units_for`` gives in a technical context.
    """
    units, m = _UNITS, _UNIT_RE.match(text, pos)
    if m is None and short is not None:
        units, m = _SHORT_UNITS, short.match(text, pos)
    if m is None:
        return None
    i = next(i for i in range(len(units)) if m[f"u{i}"] is not None)
    if year_like and "\n" in m["gap"]:
        return None  # a column of years above a "Tonnes" label
    return m.end(), units[i][1], units[i][2]


def _short_units_for(text: str, start: int) -> re.Pattern[str] | None:
    """How the number at ``start`` may take a one-letter unit, if at all.

    After a range tilde or a size's "x" freely; after "≥" at a clause end.
    """
    m = _TECHNICAL_BEFORE_RE.search(text, max(0, start - _WINDOW), start)
    if m is None:
        return None
    return _SHORT_UNIT_RE if m["join"] else _SHORT_UNIT_AT_END_RE


def _qualifier_before_unit(text: str, pos: int) -> tuple[int, str | None]:
    """ "one or more years": (end of "or more", at_least) when a unit follows."""
    end, qualifier = _post_qualifier_after(text, pos)
    if qualifier is None or _UNIT_RE.match(text, end) is None:
        return pos, None
    return end, qualifier


def _post_qualifier_after(text: str, pos: int) -> tuple[int, str | None]:
    """ "50% or more" -> at_least; "0.1%及以上" -> at_least; "5 or less" -> at_most."""
    m = _POST_QUALIFIER_RE.match(text, pos)
    if m is None:
        return pos, None
    return m.end(), "at_most" if m["down"] or m["cjk_down"] else "at_least"


# Resolved: (end, unit, factor to the unit, multiplier).
_Resolved = tuple[int, str, float, float]


def _resolve_unit(
    text: str, token: re.Match[str], pos: int, currency: str | None, multiplier: float
) -> _Resolved | None:
    """The unit of the number whose digits (and multiplier) end at ``pos``.

    A currency before it wins; then a unit after it; then, for a number that
    is not a year, a counted plural noun, the unit of a range partner
    ("40-80%"), or a bare multiplier ("2 million" is a count).
    """
    unit = _unit_after(
        text, pos, _is_year_like(token), _short_units_for(text, token.start())
    )
    if currency is not None:
        if unit is not None and unit[1] in _CURRENCY_UNITS:  # "US$5 billion USD"
            pos = unit[0]
        partner = _range_partner(text, pos) if multiplier == 1.0 else None
        # The "$10" of "$10-20 billion" takes its partner's billions.
        return pos, currency, 1.0, partner[2] if partner else multiplier
    if unit is not None:
        return unit[0], unit[1], unit[2], multiplier
    if _is_year_like(token) or _ASCII_LETTER_RE.match(text, pos):
        return None  # "in 2022", "45X", "1st", "2B902"
    return _count_or_range(text, token, pos, multiplier)


def _count_or_range(
    text: str, token: re.Match[str], pos: int, multiplier: float
) -> _Resolved | None:
    """A count ("134 similar companies"), a range's first number, or "2 million"."""
    value = _token_value(token)
    if _is_footnote_mark(text, token, pos):
        return None
    count_end = _count_end(text, pos) or _partitive_end(text, token, pos)
    if count_end is not None and value != 1 and (value.is_integer() or multiplier > 1):
        return count_end, "count", 1.0, multiplier
    partner = _range_partner(text, pos)
    if partner is not None:
        unit, factor, partner_multiplier = partner
        return pos, unit, factor, multiplier if multiplier > 1 else partner_multiplier
    if multiplier > 1:
        return pos, "count", 1.0, multiplier
    return None


def _is_footnote_mark(text: str, token: re.Match[str], pos: int) -> bool:
    """ "10 Harbor mines are ...": a footnote's number opening its line, before
    a capitalised word, counts nothing."""
    digits = token["digits"]
    if digits is None or not digits.isdigit() or len(digits) > 3:
        return False
    if _LINE_START_RE.search(text, max(0, token.start() - 8), token.start()) is None:
        return False
    word = _NEXT_WORD_RE.match(text, pos)
    return word is not None and word["word"][0].isupper()


def _range_partner(text: str, pos: int) -> tuple[str, float, float] | None:
    """(unit, factor, multiplier) of the number after a range dash or "to"."""
    sep = _RANGE_SEPARATOR_RE.match(text, pos)
    digits = _DIGITS_RE.match(text, sep.end()) if sep else None
    if digits is None:
        return None
    after, multiplier = _multiplier_after(text, digits.end(), False)
    unit = _unit_after(text, after, short=_short_units_for(text, digits.start()))
    if unit is None:
        return ("count", 1.0, multiplier) if multiplier > 1 else None
    return unit[1], unit[2], multiplier


def _count_end(text: str, pos: int) -> int | None:
    """End of the plural noun a number counts, within four words, or None.

    "134 similar companies", "13 reciprocal free trade agreements",
    "14 such “comprehensive” FTAs"; a function word
    or punctuation ends the search ("one of", "20, which").
    """
    for _ in range(_COUNT_WORDS):
        m = _NEXT_WORD_RE.match(text, pos)
        if m is None:
            return None
        word = m["word"]
        if _is_plural(word):
            return m.end("word")
        if word.lower() in _PHRASE_BREAKERS or _is_month(word):
            return None
        pos = m.end()
        if text[pos : pos + 1] in (",", ".", ";", ":", "(", ")"):
            return None
    return None


def _partitive_end(text: str, token: re.Match[str], pos: int) -> int | None:
    """ "Seven of the top 10 producers": the spelled-out number alone is a count."""
    if token["word"] is None or _PARTITIVE_RE.match(text, pos) is None:
        return None
    return pos


def _is_plural(word: str) -> bool:
    """A plural noun by its spelling: "companies", "FTAs"; not "this", "US"."""
    lower = word.lower()
    return (
        len(word) > 2
        and word[-1] == "s"
        and not lower.endswith(("ss", "us", "is", "'s", "\u2019s"))
        and lower not in _NOT_PLURALS
        and lower not in _MEASURE_WORDS
    )


def _is_month(word: str) -> bool:
    return re.fullmatch(_MONTH, word) is not None


# --------------------------------------------------------------------------
# Years
# --------------------------------------------------------------------------

_YEAR_RE = re.compile(
    r"(?:(?<=FY)|(?<=CY)|(?<=FY )|(?<![0-9A-Za-z_.,/$€£¥]))"
    rf"(?P<year>{_YEAR})(?![0-9A-Za-z]|[.,]\d)"
)
# Sentence ends: a blank line, a line ending in punctuation, a line opening a
# list item or heading, or ". " before a capital. PDF text wraps lines
# mid-sentence, so a bare newline is no end.
_SENTENCE_END_RE = re.compile(
    r"\n[^\S\n]*\n|[.:;!?][\"\u201d\u2019)\]]*[^\S\n]*\n"
    r"|[.!?][\"\u201d\u2019)\]]*(?=\s+[“\"(\[]?[A-Z0-9$])"
    r"|\n(?=[^\S\n]*(?:[-*•#]|\(?\d{1,3}[.)]\s))"
)
# Abbreviations whose period ends no sentence: "U.S. Treasury", "No. 75".
_ABBREVIATION_RE = re.compile(
    r"(?:\b[A-Z]|U\.S|No|Nos|Sec|Art|Fig|Vol|e\.g|i\.e|vs|Inc|Co|Corp|Ltd|Mr|Ms"
    rf"|Dr|St|approx|P\.L|H\.R|S\.R|{_MONTH[:-3]})\.\Z"
)


def tie_year(text: str, quantity: Quantity) -> int | None:
    """The year the sentence around ``quantity`` ties it to, else None.

    Years are 1900-2099 numbers used as dates ("in 2022", "2024 data",
    "FY2024", "in January 2025"), never part of a quantity or a code such as
    "No. 58/2025". Of several, the one nearest the quantity wins.

    >>> text = "In 2022, China controlled 100% of spherical graphite."
    >>> tie_year(text, find_quantities(text)[0])
    2022
    """
    lo, hi = _sentence_bounds(text, quantity.start, quantity.end)
    years, starts = _year_spans(text)
    own = _OWN_YEAR_RE.match(text, quantity.end)
    if own is not None and range(*own.span("year")) in years:
        return int(own["year"])  # "$534.8 billion in 2025 to $61.7 billion in 2024"
    # The nearest year before the quantity and the nearest after it: the
    # spans are sorted, so two bisections find them in any length of text.
    i = bisect.bisect_right(starts, quantity.start)
    before = [years[k] for k in (i - 1,) if k >= 0 and years[k].start >= lo]
    after = [years[k] for k in (i,) if k < len(years) and years[k].stop <= hi]
    near = [
        s for s in before + after if s.stop <= quantity.start or s.start >= quantity.end
    ]
    if not near:
        return None
    nearest = min(near, key=lambda span: _distance(span, quantity))
    return int(text[nearest.start : nearest.stop])


# A year written right after a quantity is its own: "$61.7 billion in 2024".
_OWN_YEAR_RE = re.compile(
    r"[^\S\n]*,?[^\S\n]*\(?(?:in|during|for|as\s+of|through)[^\S\n]+"
    rf"(?:(?:fiscal|calendar)[^\S\n]+(?:year[^\S\n]+)?|FY[^\S\n]?|CY[^\S\n]?)?"
    rf"(?P<year>{_YEAR})(?![0-9A-Za-z]|[.,]\d)"
)


@lru_cache(maxsize=64)
def _year_spans(text: str) -> tuple[tuple[range, ...], tuple[int, ...]]:
    """Spans of years used as dates, sorted, and their starts: not in a
    quantity, not in a code."""
    codes = _blocked_spans(matchable(text), _CODE_RES)
    taken = _SpanSet((q.start, q.end) for q in _find(text))
    spans = tuple(
        s
        for s in (range(*m.span("year")) for m in _YEAR_RE.finditer(text))
        if not codes.overlaps(s.start, s.stop) and not taken.overlaps(s.start, s.stop)
    )
    return spans, tuple(s.start for s in spans)


def _distance(span: range, quantity: Quantity) -> tuple[int, int]:
    """Characters between a year and a quantity; a year before it wins ties."""
    if span.stop <= quantity.start:
        return quantity.start - span.stop, 0
    return span.start - quantity.end, 1


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the sentence holding ``text[start:end]``."""
    starts, stops = _sentence_ends(text)
    i = bisect.bisect_right(stops, start)
    lo = stops[i - 1] if i > 0 else 0
    j = bisect.bisect_left(starts, end)
    hi = starts[j] if j < len(starts) else len(text)
    return lo, max(hi, lo)


@lru_cache(maxsize=64)
def _sentence_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where each sentence end in ``text`` starts and stops, abbreviations skipped."""
    ends = [
        m.span()
        for m in _SENTENCE_END_RE.finditer(text)
        if not _ABBREVIATION_RE.search(text, max(0, m.start() - 12), m.start() + 1)
    ]
    return tuple(s for s, _ in ends), tuple(e for _, e in ends)
