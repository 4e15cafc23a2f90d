"""Trading partners: ISO 3166 alpha-3, Census Schedule C codes, UN M49 and names.

Every source names partners its own way: the Census API by Schedule C code
(China ``5700``) with an upper-case name, DataWeb by a display name
("Czechia (Czech Republic)"), Comtrade by M49 code (USA ``842``, not ISO's
840) with an ISO code beside it. This module turns each into a
:class:`Partner` whose ``iso3`` is the join key, and tells a country from an
aggregate (the world total, a country group or a continent) so that shares are
never computed over rows that double count.

The table is ``data/countries.csv``: ISO 3166-1 codes and names (from the
iso-codes project), Census Schedule C codes (transcribed; Kosovo has no ISO
code and uses the customary ``XKX``), Comtrade's M49 codes where they differ
from ISO numeric, and the aliases the three sources use.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

WORLD_ISO3 = "WLD"


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the country table."""

    iso3: str
    name: str
    census_code: str | None
    m49: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner as a source names it, resolved.

    ``kind`` is ``country``, ``world`` (the all-partners total, iso3 ``WLD``)
    or ``group`` (a country group or continent, which loaders drop).
    ``iso3`` is None for a country the table does not know.
    """

    name: str
    iso3: str | None
    kind: str


WORLD = Partner("World", WORLD_ISO3, "world")


@dataclass(frozen=True, slots=True)
class Countries:
    """The country table, indexed for each source's way of naming partners."""

    by_iso3: Mapping[str, Country]
    by_census: Mapping[str, Country]
    by_m49: Mapping[str, Country]
    by_name: Mapping[str, Country]

    def named(self, name: str) -> Country | None:
        """The country a name or alias denotes, ignoring case, accents and punctuation.

        A parenthesised part is tried on its own too, as DataWeb writes
        "Myanmar (Burma)".

        >>> table().named("KOREA, SOUTH").iso3
        'KOR'
        >>> table().named("Czechia (Czech Republic)").iso3
        'CZE'
        """
        for key in _name_keys(name):
            country = self.by_name.get(key)
            if country is not None:
                return country
        return None


def normalise_name(name: str) -> str:
    """A country name folded for matching: no accents, case or punctuation.

    >>> normalise_name("Côte d`Ivoire")
    'cote divoire'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    # Apostrophes vary by source (', `, U+2019); drop them rather than split words.
    text = re.sub("[`'\u2019]", "", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _name_keys(name: str) -> list[str]:
    """Normalised keys to try for a name: whole, without brackets, bracketed."""
    keys = [normalise_name(name)]
    match = re.fullmatch(r"\s*(.*?)\s*\((.*)\)\s*", name)
    if match:
        keys += [normalise_name(match[1]), normalise_name(match[2])]
    return [k for k in keys if k]


def parse_countries(text: str) -> Countries:
    """The country table from the text of ``countries.csv``.

    Raises ValueError if two countries claim one name or code: the table is
    data the code trusts, so a clash is a bug to fix in the file.
    """
    rows = [_country(r) for r in csv.DictReader(io.StringIO(text))]
    return Countries(
        by_iso3=_index(rows, lambda c: [c.iso3]),
        by_census=_index(rows, lambda c: [c.census_code] if c.census_code else []),
        by_m49=_index(rows, lambda c: [c.m49] if c.m49 else []),
        by_name=_index(
            rows, lambda c: {normalise_name(n) for n in (c.name, *c.aliases)}
        ),
    )


def _country(row: Mapping[str, str]) -> Country:
    aliases = tuple(a for a in row["aliases"].split("|") if a)
    return Country(
        iso3=row["iso3"],
        name=row["name"],
        census_code=row["census_code"] or None,
        m49=row["m49"] or None,
        aliases=aliases,
    )


def _index(
    rows: list[Country], keys: Callable[[Country], Iterable[str]]
) -> dict[str, Country]:
    index: dict[str, Country] = {}
    for country in rows:
        for key in keys(country):
            other = index.setdefault(key, country)
            if other is not country:
                raise ValueError(
                    f"countries.csv: '{key}' names {other.iso3} and {country.iso3}"
                )
    return index


@cache
def table() -> Countries:
    """The bundled country table, read once."""
    text = (
        resources.files("briefs.trade")
        .joinpath("data/countries.csv")
        .read_text("utf-8")
    )
    return parse_countries(text)


def _partner(country: Country) -> Partner:
    return Partner(country.name, country.iso3, "country")


def by_name(name: str) -> Partner:
    """A partner known only by name (DataWeb, derived tables).

    "World" and DataWeb's "Total" are the world total; an unknown name is kept
    as given with no iso3.
    """
    clean = name.strip()
    if normalise_name(clean) in {"world", "total", "total for all countries"}:
        return WORLD
    country = table().named(clean)
    return _partner(country) if country else Partner(clean, None, "country")


def census_partner(cty_code: str, cty_name: str) -> Partner:
    """A partner from a Census ``CTY_CODE`` and ``CTY_NAME``.

    ``-`` (TOTAL FOR ALL COUNTRIES) is the world; codes starting with ``0``
    (EUROPEAN UNION 0003, USMCA, OECD, ASEAN, ...) and ending ``XXX``
    (continents) are groups, per the Census guide's "Country Grouping Codes".

    >>> census_partner("5700", "CHINA")
    Partner(name='China', iso3='CHN', kind='country')
    >>> census_partner("0003", "EUROPEAN UNION").kind
    'group'
    """
    code = cty_code.strip()
    if code == "-" or normalise_name(cty_name) == "total for all countries":
        return WORLD
    if not re.fullmatch(r"[1-9]\d{3}", code):
        return Partner(cty_name.strip(), None, "group")
    country = table().by_census.get(code)
    return _partner(country) if country else by_name(cty_name)


def comtrade_partner(code: str, iso: str | None, desc: str | None) -> Partner:
    """A Comtrade reporter or partner from its M49 code, ISO code and name.

    Code 0 (ISO ``W00``) is the world. Comtrade's own ISO column is trusted
    first; its aggregates (``S19`` Other Asia, nes, ``EUR`` and the like) are
    kept by name with no iso3, since they are not countries.
    """
    text = (iso or "").strip().upper()
    if code.strip() == "0" or text in {"W00", WORLD_ISO3}:
        return WORLD
    country = table().by_iso3.get(text) or table().by_m49.get(code.strip())
    if country is not None:
        return _partner(country)
    return Partner((desc or code).strip(), None, "country")


def partner_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a normalised frame whose partner is a country, not the world total.

    Loaders already drop country groups, so what remains to exclude before
    computing shares is the ``WLD`` total.
    """
    return frame[frame["partner_iso3"].fillna("") != WORLD_ISO3]
