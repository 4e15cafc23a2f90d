"""Census, DataWeb and Comtrade loaders, on own fixtures and the shared real exports."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from briefs.trade.census import load_census
from briefs.trade.comtrade import load_comtrade, load_comtrade_summary
from briefs.trade.countries import census_partner, comtrade_partner, partner_rows, table
from briefs.trade.dataweb import load_dataweb
from briefs.trade.frame import COLUMNS, TradeDataError
from tests.conftest import ROOT, shared

FIXTURES = ROOT / "tests" / "fixtures" / "trade"
CENSUS = FIXTURES / "census-imports-8507600020-2024-07.json"
DATAWEB_CSV = FIXTURES / "dataweb-general-imports-monthly.csv"
COMTRADE_JSON = FIXTURES / "comtrade-preview-2023.json"
REAL_CSV = (
    "trade-dataweb",
    "cosmetics-3304.99-monthly-2015-2024",
    "DataWeb-Query-Export.csv",
)
REAL_XLSX = (
    "trade-dataweb",
    "windturbine-parts-hts10-by-country-2024",
    "DataWeb-Query-Export.xlsx",
)
QENNIS = "trade-comtrade-china-exports-graphite-gallium"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def error_of(call: object, *args: object, **kwargs: object) -> str:
    """The message of the TradeDataError a call raises."""
    with pytest.raises(TradeDataError) as e:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(e.value)


def census_rows(path: Path = CENSUS) -> list[list[str]]:
    rows: list[list[str]] = json.loads(path.read_text())
    return rows


def write_census(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(rows))
    return path


# --- countries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "iso3"),
    # The Census Schedule C codes anchors.md gives.
    [("5700", "CHN"), ("1220", "CAN"), ("2010", "MEX"), ("3510", "BRA"), ("4120", "GBR"),
     ("4280", "DEU"), ("4279", "FRA"), ("5330", "IND"), ("5520", "VNM")],
)  # fmt: skip
def test_census_country_codes(code: str, iso3: str) -> None:
    partner = census_partner(code, "")
    assert (partner.iso3, partner.kind) == (iso3, "country")


@pytest.mark.parametrize(
    ("code", "name", "kind", "iso3"),
    [
        ("-", "TOTAL FOR ALL COUNTRIES", "world", "WLD"),
        ("0003", "EUROPEAN UNION", "group", None),
        ("0022", "ASEAN", "group", None),
        ("5XXX", "ASIA", "group", None),
        ("9999", "SOMEWHERE NEW", "country", None),
        ("9999", "KOREA, SOUTH", "country", "KOR"),  # unknown code, known name
    ],
)
def test_census_aggregates(code: str, name: str, kind: str, iso3: str | None) -> None:
    partner = census_partner(code, name)
    assert (partner.kind, partner.iso3) == (kind, iso3)


def test_comtrade_partners_use_m49_not_iso_numeric() -> None:
    assert comtrade_partner("842", None, "USA").iso3 == "USA"
    assert comtrade_partner("0", "W00", "World").iso3 == "WLD"
    assert comtrade_partner("490", "S19", "Other Asia, nes").iso3 is None


def test_country_table_names_are_unambiguous() -> None:
    countries = table()
    assert len(countries.by_iso3) == 250
    assert countries.named("Côte d`Ivoire").iso3 == "CIV"  # type: ignore[union-attr]
    assert countries.named("Eswatini (Swaziland)").iso3 == "SWZ"  # type: ignore[union-attr]


# --- Census ---------------------------------------------------------------------


def test_census_fixture() -> None:
    frame = load_census(CENSUS, query="get=...&time=2024-07")
    assert list(frame.columns) == list(COLUMNS)
    # Six partners (world + five countries) x two value bases; EU and ASIA dropped.
    assert len(frame) == 12
    assert set(frame["flow"]) == {"general_imports", "imports_for_consumption"}
    assert set(frame["partner"]) == {
        "World",
        "China",
        "South Korea",
        "Japan",
        "Poland",
        "Hungary",
    }
    assert frame["source_row"].tolist() == [2, 2, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]
    assert set(frame["source_sha256"]) == {sha256(CENSUS)}
    assert set(frame["query"]) == {"get=...&time=2024-07"}
    assert set(frame["dataset"]) == {"Census international trade API, imports by HS"}
    assert set(zip(frame["year"], frame["month"], strict=True)) == {(2024, 7)}
    assert set(frame["code_system"]) == {"HTS10"} and set(frame["hs6"]) == {"850760"}
    assert set(frame["quantity_unit"]) == {"number"}
    china = frame[
        (frame["partner_iso3"] == "CHN") & (frame["flow"] == "general_imports")
    ]
    assert china[["value_usd", "quantity"]].values.tolist() == [
        [1_013_456_789, 2_345_678]
    ]


def test_census_world_row_is_the_sum_of_partner_rows() -> None:
    frame = load_census(CENSUS)
    partners = partner_rows(frame).groupby("flow")["value_usd"].sum()
    world = frame[frame["partner_iso3"] == "WLD"].set_index("flow")["value_usd"]
    assert partners.to_dict() == world.to_dict()


def test_census_bytes_load_like_the_file() -> None:
    from_bytes = load_census(CENSUS.read_bytes(), query="https://api.census.gov/...")
    from_file = load_census(CENSUS, query="https://api.census.gov/...")
    pd.testing.assert_frame_equal(from_bytes, from_file)


def test_census_empty_response_is_no_rows() -> None:
    frame = load_census(b"", query="HTTP 204")
    assert frame.empty and list(frame.columns) == list(COLUMNS)


def test_census_truncated_response() -> None:
    data = CENSUS.read_bytes()
    cut = data[: data.index(b'["5880"') + 20]
    assert error_of(load_census, cut, query="imports?time=2024-07") == (
        "imports?time=2024-07 line 7: not complete JSON (Unterminated string starting at); "
        "the response may be truncated: fetch it again"
    )


def test_census_missing_header_field(tmp_path: Path) -> None:
    rows = [[c for c in r if c != "CTY_CODE"] for r in census_rows()[:1]]
    path = write_census(tmp_path, rows)
    assert error_of(load_census, path) == (
        f"{path} row 1: missing header field CTY_CODE; add it to the request's get= list"
    )


def test_census_non_numeric_value(tmp_path: Path) -> None:
    rows = census_rows()
    rows[5][4] = "1,013,456,789"  # the API never writes separators: refuse, don't guess
    path = write_census(tmp_path, rows)
    assert (
        error_of(load_census, path)
        == f"{path} row 6: GEN_VAL_MO '1,013,456,789' is not a number"
    )


def test_census_bad_code_and_short_row(tmp_path: Path) -> None:
    rows = census_rows()
    rows[4][2] = "850760002"
    path = write_census(tmp_path, rows)
    assert error_of(load_census, path).startswith(
        f"{path} row 5: I_COMMODITY '850760002' has 9 digits"
    )
    rows = census_rows()
    rows[7] = rows[7][:3]
    path = write_census(tmp_path, rows)
    assert (
        error_of(load_census, path) == f"{path} row 8: 3 fields where the header has 12"
    )


def test_census_wildcard_query_reads_each_rows_own_code(tmp_path: Path) -> None:
    """get=CTY_NAME,I_COMMODITY,...&CTY_CODE=-&I_COMMODITY=85076000*&time=...: the
    filters come back as extra columns, the wildcard one holding the pattern."""
    header = ["CTY_NAME", "I_COMMODITY", "I_COMMODITY_SDESC", "GEN_VAL_MO", "CON_VAL_MO",
              "COMM_LVL", "CTY_CODE", "I_COMMODITY", "time"]  # fmt: skip
    rows = [
        header,
        ["TOTAL FOR ALL COUNTRIES", "8507600010", "LI-ION EV", "10", "9", "HS10", "-", "85076000*", "2024-01"],
        ["TOTAL FOR ALL COUNTRIES", "8507600020", "LI-ION NESOI", "20", "19", "HS10", "-", "85076000*", "2024-02"],
    ]  # fmt: skip
    frame = load_census(write_census(tmp_path, rows))
    assert frame["code"].tolist() == ["8507600010"] * 2 + ["8507600020"] * 2
    assert frame["month"].tolist() == [1, 1, 2, 2]
    assert set(frame["partner_iso3"]) == {"WLD"} and frame["quantity"].isna().all()
    assert frame["description"].tolist()[0] == "LI-ION EV"


def test_census_year_to_date_values(tmp_path: Path) -> None:
    header = ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "GEN_VAL_YR", "YEAR", "MONTH"]
    december = write_census(
        tmp_path, [header, ["5700", "CHINA", "850760", "12000", "2023", "12"]]
    )
    frame = load_census(december)
    assert frame["month"].isna().all() and frame["value_usd"].tolist() == [12000]
    assert frame["code_system"].tolist() == ["HS6"]
    july = write_census(
        tmp_path, [header, ["5700", "CHINA", "850760", "7000", "2024", "07"]]
    )
    assert error_of(load_census, july) == (
        f"{july} row 2: GEN_VAL_YR for month 07 is a year-to-date sum; "
        "request GEN_VAL_MO, or December for a year"
    )


# --- DataWeb --------------------------------------------------------------------


def total_row(path: Path) -> list[float]:
    """The Total: row's figures, read independently of the loader."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        row = next(r for r in csv.reader(f) if r and r[0].startswith("Total"))
    return [float(c.replace(",", "")) for c in row if c.strip() and c[0].isdigit()]


def test_dataweb_csv_fixture() -> None:
    frame = load_dataweb(DATAWEB_CSV)
    assert len(frame) == 4 * 12 - 2  # December 2024 not yet published
    assert set(frame["flow"]) == {"general_imports"}
    assert set(frame["partner_iso3"]) == {"CHN", "KOR"}
    assert frame["code"].isna().all()
    assert set(frame["query"]) == {"General Imports|Monthly data for 2023,2024"}
    assert set(frame["dataset"]) == {
        "USITC DataWeb export, general imports, General Customs Value"
    }
    assert set(frame["source_row"]) == {4, 5, 6, 7}
    by_month = frame.groupby("month")["value_usd"].sum().tolist()
    assert by_month == total_row(DATAWEB_CSV)  # thousands separators parsed
    assert frame.loc[0, ["year", "month", "value_usd"]].tolist() == [2023, 1, 1_234_567]


def test_dataweb_commodity_option() -> None:
    frame = load_dataweb(DATAWEB_CSV, commodity="3304.99")
    assert set(frame["code"]) == {"3304.99"} and set(frame["hs6"]) == {"330499"}


def edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "DataWeb-Query-Export.csv"
    text = DATAWEB_CSV.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_dataweb_truncated_csv(tmp_path: Path) -> None:
    path = edited(tmp_path, "Data Row Count,4", "Data Row Count,5")
    assert error_of(load_dataweb, path) == (
        f"{path}: Data Row Count says 5 rows but 4 follow the header; the file may be truncated"
    )


def test_dataweb_total_mismatch(tmp_path: Path) -> None:
    path = edited(tmp_path, "1234567.00", "1234767.00")
    assert error_of(load_dataweb, path) == (
        f"{path} row 8: Total: January is 5,444,442 but the rows sum to 5,444,642; "
        "the file may be truncated or edited"
    )


def test_dataweb_bad_number(tmp_path: Path) -> None:
    path = edited(tmp_path, "1235567.00", "n/a")
    assert (
        error_of(load_dataweb, path)
        == f"{path} row 4 column 'February': 'n/a' is not a number"
    )


def test_dataweb_options_and_formats(tmp_path: Path) -> None:
    assert error_of(load_dataweb, DATAWEB_CSV, measure="CIF Import Value") == (
        f"{DATAWEB_CSV}: no measure 'CIF Import Value'; it has General Customs Value"
    )
    other = tmp_path / "export.txt"
    other.write_text("x")
    assert (
        error_of(load_dataweb, other)
        == f"{other}: not a DataWeb export (.csv or .xlsx)"
    )
    path = edited(tmp_path, "Data Type,Country", "Kind,Country")
    assert error_of(load_dataweb, path) == (
        f"{path}: no header row starting 'Data Type'; not a DataWeb export"
    )


def write_xlsx(path: Path) -> Path:
    """A small export laid out like DataWeb's XLSX: query sheet, one sheet per measure."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    query = book.active
    query.title = "Query Parameters"
    for row in (
        ("Step 1: Trade Flow and Classification System", None),
        ("Trade Flow", "Imports For Consumption"),
        ("Years", "2024"),
    ):
        query.append(row)
    head = [
        "Data Type",
        "Country",
        "Year",
        "HTS Number",
        "Description",
        "Quantity Description",
    ]
    value = book.create_sheet("Customs Value")
    value.append([*head, "Customs Value"])
    value.append(
        [
            "Customs Value",
            "China",
            2024,
            "3801105000",
            "OTHER",
            "Value for: kilograms",
            1500,
        ]
    )
    value.append(
        [
            "Customs Value",
            "Japan",
            2024,
            "3801105000",
            "OTHER",
            "Value for: kilograms",
            250,
        ]
    )
    value.append(["Total: ", "", "", "", "", "", "1,750"])
    quantity = book.create_sheet("First Unit of Quantity")
    quantity.append([*head, "First Unit of Quantity", "Suppressed"])
    quantity.append(
        [
            "First Unit of Quantity",
            "China",
            2024,
            "3801105000",
            "OTHER",
            "kilograms",
            300,
            0,
        ]
    )
    quantity.append(
        [
            "First Unit of Quantity",
            "Japan",
            2024,
            "3801105000",
            "OTHER",
            "kilograms",
            40,
            1,
        ]
    )
    book.save(path)
    return path


def test_dataweb_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "DataWeb-Query-Export.xlsx")
    frame = load_dataweb(path)
    assert frame["partner_iso3"].tolist() == ["CHN", "JPN"]
    assert frame["value_usd"].tolist() == [1500, 250]
    assert frame["source_row"].tolist() == [2, 3]  # rows of the 'Customs Value' sheet
    assert frame["quantity"].tolist()[0] == 300
    assert pd.isna(frame["quantity"].tolist()[1])  # suppressed
    assert set(frame["quantity_unit"]) == {"kg"}
    assert set(frame["flow"]) == {"imports_for_consumption"}
    assert frame["month"].isna().all() and set(frame["code_system"]) == {"HTS10"}
    assert set(frame["query"]) == {
        "Step 1: Trade Flow and Classification System\nTrade Flow: Imports For Consumption\nYears: 2024"
    }
    quantities = load_dataweb(path, measure="First Unit of Quantity")
    assert quantities["value_usd"].tolist() == [300, 40]


def test_dataweb_xlsx_names_sheet_and_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = write_xlsx(tmp_path / "DataWeb-Query-Export.xlsx")
    book = openpyxl.load_workbook(path)
    book["Customs Value"]["D3"] = "380110500"
    book.save(path)
    assert error_of(load_dataweb, path).startswith(
        f"{path} sheet 'Customs Value' row 3: '380110500' has 9 digits"
    )
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert error_of(load_dataweb, tmp_path / "broken.xlsx").startswith(
        f"{tmp_path / 'broken.xlsx'}: not a readable .xlsx file"
    )


def test_real_dataweb_csv() -> None:
    path = shared(*REAL_CSV)
    frame = load_dataweb(path)
    assert len(frame) == 5 * 10 * 12 - 5  # December 2024 is empty for all five
    assert (frame["year"].min(), frame["year"].max()) == (2015, 2024)
    assert set(frame["partner_iso3"]) == {"AUS", "FRA", "JPN", "KOR", "GBR"}
    assert "WLD" not in set(frame["partner_iso3"])  # the Total: row is not a partner
    assert set(frame["flow"]) == {"general_imports"}
    assert frame["value_usd"].sum() == 15_609_510_935
    assert frame.groupby("month")["value_usd"].sum().tolist() == total_row(path)
    assert frame["source_row"].min() == 4 and frame["source_row"].max() == 53


def test_real_dataweb_xlsx() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = shared(*REAL_XLSX)
    frame = load_dataweb(path)
    book = openpyxl.load_workbook(path, read_only=True)
    stated = list(book["Customs Value"].iter_rows(values_only=True))[-1][-1]
    book.close()
    assert len(frame) == 6314
    assert set(frame["year"]) == {2024} and frame["month"].isna().all()
    assert frame["partner"].nunique() == 186 and frame["partner_iso3"].notna().all()
    assert frame["value_usd"].sum() == float(stated.replace(",", "")) == 72_806_911_050
    assert set(frame["code_system"]) == {"HTS10"} and frame["code"].nunique() == 184
    assert frame["quantity"].notna().all() and set(frame["quantity_unit"]) == {
        "kg",
        "number",
    }
    assert set(frame["flow"]) == {"imports_for_consumption"}
    assert "Trade Flow: Imports For Consumption" in frame.loc[0, "query"]
    assert frame.loc[0, "source_row"] == 2
    cif = load_dataweb(path, measure="CIF Import Value")
    assert cif["value_usd"].sum() == 74_967_649_354


# --- Comtrade -------------------------------------------------------------------


def test_comtrade_json_fixture() -> None:
    frame = load_comtrade(COMTRADE_JSON, query="preview/C/A/HS?period=2023")
    # Six records; the one broken down by transport mode (record 4) is dropped.
    assert frame["source_row"].tolist() == [1, 2, 3, 5, 6]
    assert frame["reporter_iso3"].tolist() == ["USA", "USA", "USA", "CHN", "USA"]
    assert frame["partner_iso3"].tolist() == ["CHN", "WLD", "CHN", "USA", "CHN"]
    assert frame["flow"].tolist() == [
        "imports",
        "imports",
        "imports",
        "exports",
        "imports",
    ]
    assert frame["code_system"].tolist() == ["HS6", "HS6", "HS6", "HS6", "TOTAL"]
    assert frame["hs6"].tolist()[:4] == ["250410", "250410", "380110", "250410"]
    assert frame["month"].isna().all() and set(frame["year"]) == {2023}
    assert set(frame["dataset"]) == {"UN Comtrade, H6"}
    assert frame.loc[0, ["value_usd", "quantity", "quantity_unit"]].tolist() == [
        12_345_678,
        9_876_543.21,
        "kg",
    ]
    assert pd.isna(frame.loc[4, "quantity"])  # the all-commodities total has no weight
    assert set(frame["source_sha256"]) == {sha256(COMTRADE_JSON)}


def test_comtrade_csv_loads_like_json() -> None:
    data = [c for c in COLUMNS if c not in ("source_sha256", "source_row")]
    from_csv = load_comtrade(FIXTURES / "comtrade-2023.csv")
    from_json = load_comtrade(COMTRADE_JSON)
    pd.testing.assert_frame_equal(from_csv[data], from_json[data])
    assert from_csv["source_row"].tolist() == [2, 3, 4, 6, 7]  # CSV lines


def write_comtrade(tmp_path: Path, **changes: object) -> Path:
    response = json.loads(COMTRADE_JSON.read_text())
    response["data"][1].update(changes)
    path = tmp_path / "comtrade.json"
    path.write_text(json.dumps(response))
    return path


def test_comtrade_errors(tmp_path: Path) -> None:
    path = write_comtrade(tmp_path, flowCode="DX")
    assert (
        error_of(load_comtrade, path)
        == f"{path} row 2: flowCode 'DX' is not one of M, X, RM, RX"
    )
    path = write_comtrade(tmp_path, primaryValue="12,0")
    assert (
        error_of(load_comtrade, path)
        == f"{path} row 2: primaryValue '12,0' is not a number"
    )
    path = write_comtrade(tmp_path, period="2023-07")
    assert (
        error_of(load_comtrade, path)
        == f"{path} row 2: period '2023-07' is not YYYY or YYYYMM"
    )
    response = json.loads(COMTRADE_JSON.read_text())
    del response["data"][2]["cmdCode"]
    path.write_text(json.dumps(response))
    assert error_of(load_comtrade, path) == f"{path} row 3: missing field cmdCode"
    cut = tmp_path / "cut.json"
    cut.write_bytes(COMTRADE_JSON.read_bytes()[:500])
    assert error_of(load_comtrade, cut).startswith(f"{cut} line ")
    path.write_text(json.dumps({"data": [], "error": "Invalid reporterCode"}))
    assert (
        error_of(load_comtrade, path)
        == f"{path}: the API answered with an error: Invalid reporterCode"
    )


def test_comtrade_monthly_period(tmp_path: Path) -> None:
    frame = load_comtrade(
        write_comtrade(tmp_path, period="202307", freqCode="M", refMonth=7)
    )
    assert frame.loc[1, ["year", "month"]].tolist() == [2023, 7]


def test_real_comtrade_summary_tables() -> None:
    partners = load_comtrade_summary(shared(QENNIS, "country_monthly_stats.csv"))
    assert len(partners) == 2885
    assert (partners["year"].min(), partners["year"].max()) == (2017, 2024)
    assert (
        partners["partner_iso3"].nunique() == 16
        and partners["partner_iso3"].notna().all()
    )
    assert set(partners["code"]) == {
        "Graphite",
        "Gallium/Germanium",
        "Rare Earths",
        "Polysilicon",
    }
    assert set(partners["reporter_iso3"]) == {"CHN"} and set(partners["flow"]) == {
        "exports"
    }
    assert partners["hs6"].isna().all() and set(partners["code_system"]) == {"GROUP"}
    overview = load_comtrade_summary(shared(QENNIS, "overview_monthly.csv"))
    assert len(overview) == 384 and set(overview["partner_iso3"]) == {"WLD"}
    # The per-partner table covers only the top partners, so it sums to less.
    assert partners["value_usd"].sum() < overview["value_usd"].sum()
