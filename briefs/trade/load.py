"""Trade data from a file an author has: detect its format, load it, keep one flow.

``brief trade load FILE --out corpus/trade/NAME.csv`` and ``brief trade fetch
--out`` both end here: a loader gives the normalised frame, this module keeps
the rows of the codes and the flow asked for, and returns a
:class:`LoadedTrade` record saying what was read (format, dataset, sha256,
query, codes, years). :func:`write_snapshot` writes it as a snapshot a
template can name under ``brief.trade``. The CLI only prints the record.

Formats, told apart by name and first bytes:

- ``dataweb``: a USITC DataWeb export, ``.xlsx`` or ``.csv`` (title lines,
  "Data Type" header);
- ``census``: a Census international trade API response, JSON (an array of
  arrays) or the same table saved as CSV (``CTY_CODE``, ``I_COMMODITY`` ...);
- ``comtrade``: a UN Comtrade API response (``{"data": [...]}``) or CSV.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from briefs.snapshot import write_frame_snapshot
from briefs.trade.aggregate import one_flow
from briefs.trade.census import load_census
from briefs.trade.comtrade import load_comtrade
from briefs.trade.dataweb import load_dataweb
from briefs.trade.fetch import Fetched
from briefs.trade.frame import TradeDataError

FORMATS = ("dataweb", "census", "comtrade")
CENSUS_FIELDS = ("CTY_CODE", "I_COMMODITY")
COMTRADE_FIELDS = ("reporterCode", "cmdCode", "primaryValue")


@dataclass(frozen=True, slots=True)
class LoadedTrade:
    """Rows of one flow read from a trade file, and what they came from."""

    frame: pd.DataFrame
    source: Path
    format: str
    flow: str
    rows_read: int  # frame rows the file gave, before codes and flow were chosen

    @property
    def dataset(self) -> str:
        """The dataset(s) the rows name."""
        return "; ".join(sorted(self.frame["dataset"].dropna().unique()))

    @property
    def years(self) -> tuple[int, ...]:
        """The years the rows cover."""
        return tuple(sorted({int(y) for y in self.frame["year"].dropna()}))

    @property
    def codes(self) -> tuple[str, ...]:
        """The commodity codes of the rows."""
        return tuple(sorted(self.frame["code"].dropna().unique()))

    @property
    def span(self) -> str:
        """``2019-2024``, ``2024`` or ``no years``."""
        years = self.years
        if not years:
            return "no years"
        return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"

    def provenance(self) -> dict[str, str]:
        """The provenance fields a snapshot of these rows records."""
        queries = sorted(self.frame["query"].dropna().unique())
        return {
            "dataset": self.dataset,
            "format": self.format,
            "flow": self.flow,
            "source_file": self.source.name,
            "source_sha256": ", ".join(
                sorted(self.frame["source_sha256"].dropna().unique())
            ),
            "query": queries[0] if len(queries) == 1 else "; ".join(queries),
            "codes": ", ".join(self.codes),
            "years": self.span,
        }


def detect_format(path: Path, head: bytes) -> str:
    """The format of a trade file from its suffix and first bytes.

    >>> detect_format(Path("x.json"), b'[["CTY_CODE","I_COMMODITY"]]')
    'census'
    >>> detect_format(Path("x.csv"), b"Data Type,Country,Year")
    'dataweb'
    """
    if path.suffix.lower() == ".xlsx":
        return "dataweb"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \r\n\t")
    if text.startswith("["):
        return "census"
    if text.startswith("{"):
        return "comtrade"
    header = text.split("\n", 1)[0]
    if all(f in header for f in CENSUS_FIELDS):
        return "census"
    if any(f.lower() in header.lower() for f in COMTRADE_FIELDS):
        return "comtrade"
    if path.suffix.lower() == ".csv":
        return "dataweb"
    raise TradeDataError(
        f"{path}: not a trade file this tool reads (DataWeb .csv/.xlsx, Census "
        "JSON/CSV, Comtrade JSON/CSV); name the format with --format"
    )


def read_frame(path: Path, fmt: str, hts: Sequence[str]) -> pd.DataFrame:
    """The whole file as a normalised frame, by format."""
    loaders: dict[str, Callable[[Path], pd.DataFrame]] = {
        "dataweb": load_dataweb,
        "census": load_census,
        "comtrade": load_comtrade,
    }
    frame = loaders[fmt](path)
    if fmt == "dataweb" and not frame.empty and frame["code"].isna().all():
        if len(hts) != 1:
            raise TradeDataError(
                f"{path}: the export does not say its commodity; name it with one --hts CODE"
            )
        frame = load_dataweb(path, commodity=hts[0])
    return frame


def digits(code: str) -> str:
    """A code without dots and spaces, checked to be 2 to 10 digits."""
    text = re.sub(r"[.\s]", "", code)
    if not re.fullmatch(r"\d{2,10}", text):
        raise TradeDataError(f"HTS code {code!r} must be 2 to 10 digits (e.g. 8507.60)")
    return text


def select_codes(frame: pd.DataFrame, hts: Sequence[str], path: Path) -> pd.DataFrame:
    """The rows whose code starts with one of ``hts`` (all rows when none given)."""
    if not hts:
        return frame
    prefixes = tuple(digits(h) for h in hts)
    codes = frame["code"].fillna("").str.replace(r"[.\s]", "", regex=True)
    rows = frame[codes.str.startswith(prefixes)]
    if rows.empty:
        found = ", ".join(sorted(frame["code"].dropna().unique())[:8]) or "none"
        raise TradeDataError(
            f"{path}: no rows for HTS {', '.join(prefixes)}; the file has codes {found}"
        )
    return rows


def choose_flow(
    frame: pd.DataFrame, flow: str | None, path: Path
) -> tuple[pd.DataFrame, str]:
    """The rows of one flow: the one asked for, or the file's only one."""
    flows = sorted(frame["flow"].dropna().unique())
    if flow is None:
        if len(flows) != 1:
            raise TradeDataError(
                f"{path}: the file has flows {', '.join(flows) or 'none'}; choose one with --flow"
            )
        flow = str(flows[0])
    try:
        return one_flow(frame, flow), flow
    except TradeDataError as e:
        raise TradeDataError(f"{path}: {e}") from None


def load_trade_file(
    path: Path, hts: Sequence[str] = (), fmt: str | None = None, flow: str | None = None
) -> LoadedTrade:
    """Read a DataWeb, Census or Comtrade file; keep the codes and the flow asked for."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as e:
        raise TradeDataError(f"{path}: cannot read: {e.strerror}") from None
    fmt = fmt or detect_format(path, head)
    if fmt not in FORMATS:
        raise TradeDataError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    frame = read_frame(path, fmt, hts)
    if frame.empty:
        raise TradeDataError(f"{path}: no trade rows in the file")
    rows, flow = choose_flow(select_codes(frame, hts, path), flow, path)
    return LoadedTrade(rows.reset_index(drop=True), path, fmt, flow, len(frame))


def load_fetched(fetched: Fetched, flow: str) -> LoadedTrade:
    """A fetched Census response, read with the query it answered, one flow kept."""
    frame = load_census(fetched.path, query=fetched.query)
    if frame.empty:
        return LoadedTrade(frame, fetched.path, "census", flow, 0)
    rows, flow = choose_flow(frame, flow, fetched.path)
    return LoadedTrade(
        rows.reset_index(drop=True), fetched.path, "census", flow, len(frame)
    )


def write_snapshot(
    loaded: LoadedTrade, out: Path, title: str | None = None
) -> tuple[Path, Path]:
    """Write the rows as a snapshot ``out`` with its provenance ``.toml``."""
    if loaded.frame.empty:
        raise TradeDataError(f"{loaded.source}: no rows to write to {out}")
    if out.suffix.lower() != ".csv":
        raise TradeDataError(f"{out}: a trade snapshot is a .csv file")
    codes = ", ".join(loaded.codes[:4]) + (", ..." if len(loaded.codes) > 4 else "")
    title = title or f"US {loaded.flow.replace('_', ' ')} of {codes}, {loaded.span}"
    return write_frame_snapshot(loaded.frame, out, title, loaded.provenance())
