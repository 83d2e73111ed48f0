"""End to end: `leadsift score` through `pipeline.cli.main` on broken, typed and demo lead lists.

One small model is trained for the whole module (demo data, 6,000 leads) and made champion in its own
sqlite store; MLFLOW_TRACKING_URI points there while the module runs.
"""

from __future__ import annotations

import csv
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import leadsift.pipeline.chunk_scorer
import leadsift.pipeline.tracking
from leadsift.models.bundle import ModelBundle
from leadsift.models.scoring import OUTPUT_COLUMNS, score_frame
from leadsift.pipeline.cli import main
from leadsift.pipeline.files import read_table

ROOT = Path(__file__).resolve().parents[2]
PARAMS = str(ROOT / "params.yaml")
REQUIRED_VERDICT_COLUMNS = {"source", "rows", "expected_accept_rate", "historical_accept_rate", "verdict"}

# A CRM export as people really send them: written by hand, every line a different problem.
BROKEN_CSV = """\
lead_id,created_at,source,source_type,email,phone,first_name,last_name,job_title,company,company_domain,employees,industry,country,page_views,form_fills,demo_requested,crm_owner
L-001,2026-10-01T09:00:00,Website demo request,inbound_demo,ann.lee@acme-robotics.com,(415) 555-0101,Ann,Lee,VP of IT,Acme Robotics,acme-robotics.com,250,Software,US,12,2,true,jdoe
L-002,2026-10-01T09:05:00,Website demo request,inbound_demo,bo.chen@acme-robotics.com,(415) 555-0102,Bo,Chen,Director of Operations,Acme Robotics,acme-robotics.com,250,Software,US,3,1,false,007
L-001,2026-10-01T09:10:00,Website demo request,inbound_demo,cy.diaz@acme-robotics.com,(415) 555-0103,Cy,Diaz,Engineer,Acme Robotics,acme-robotics.com,250,Software,US,1,0,false,jdoe
,2026-10-02T10:00:00,Website demo request,inbound_demo,dee.park@brightpath.io,(212) 555-0104,Dee,Park,Head of Finance,Brightpath,brightpath.io,80,Financial Services,US,5,1,true,NA
L-004,2026-10-02T11:00:00,,content,eve.moss@gmail.com,,Eve,Moss,Student,,,,Education,DE,1,0,false,
L-005,2026-10-03T08:00:00,Website demo request,inbound_demo,finn.wu@northwind.example,(312) 555-0106,Finn,Wu,CTO,Northwind,northwind.example,twelve,Manufacturing,CA,7,1,true,"Smith, Jones & Co"
L-006,2026-10-03T09:00:00,Website demo request,inbound_demo,gil.ray@southwind.example,(312) 555-0107,Gil,Ray,CFO,Southwind,southwind.example,-5,Manufacturing,CA,4,1,false,  padded  
L-007,2026-02-30,Website demo request,inbound_demo,hana.sato@eastwind.example,(312) 555-0108,Hana,Sato,Director of IT,Eastwind,eastwind.example,120,Software,GB,9,2,true,jdoe
L-008,2026-10-04T10:00:00,Website demo request,inbound_demo,ivan.roe@westwind.example,(312) 555-0109,Ivan,Roe,@SUM(A1),"=HYPERLINK(""http://x"")",westwind.example,300,Software,US,6,1,true,jdoe
L-009,,,,,,,,,,,,,,,,,
L-010,2026-10-05T12:00:00,Website demo request,inbound_demo,zoe.angstrom@beijing.example,+44 20 7946 0958,Zoë,Ångström,Директор,北京公司,beijing.example,500,Software,GB,8,1,true,"line one
line two"
L-011,2026-10-05T13:00:00,@evil-list,purchased_list,kim.lo@list.example,,Kim,Lo,Manager,Listco,list.example,20,Retail,US,0,0,false,jdoe
"""
# Row position -> words score_error must hold; every other row has an empty score_error.
EXPECTED_NOTES = {
    2: ("lead_id", "duplicate"),
    3: ("lead_id: missing",),
    4: ("source: missing",),
    5: ("employees:", "not a number"),
    6: ("employees:", "negative"),
    7: ("created_at:", "not a date"),
    9: ("source: missing", "not scored"),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Env:
    bundle: ModelBundle
    demo: dict[str, Path]
    strong_parquet: Path  # the strong list as Parquet text columns: read in chunks of `score.chunk_rows`


@pytest.fixture(scope="module")
def env(small_model, tmp_path_factory: pytest.TempPathFactory) -> Env:  # noqa: ANN001
    """The session's model as champion of the tracking store these tests see."""
    strong_parquet = tmp_path_factory.mktemp("score_cli") / "new_strong.parquet"
    read_table(small_model.demo["new_strong"]).to_parquet(strong_parquet, index=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", small_model.store)
        yield Env(small_model.bundle, small_model.demo, strong_parquet)


def read_cells(path: Path) -> list[list[str]]:
    """A CSV file as the text of its cells, exactly."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def live_formula(cell: str) -> bool:
    """Would a spreadsheet run this cell? (A plain negative number is data.)"""
    return cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell)


def as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells as the scored CSV must hold them: formulas quoted, everything else unchanged."""
    return frame.map(lambda cell: "'" + cell if isinstance(cell, str) and live_formula(cell) else cell)


def params_file(tmp_path: Path, chunk_rows: int) -> str:
    path = tmp_path / f"params_chunk_{chunk_rows}.yaml"
    path.write_text(f"score:\n  chunk_rows: {chunk_rows}\n", encoding="utf-8")
    return str(path)


def sources_of(output: Path) -> Path:
    return output.with_name(output.name[: -len(output.suffix)] + ".sources.csv")


def no_partials(folder: Path) -> bool:
    return not [name for name in os.listdir(folder) if name.endswith(".partial")]


# --- (a) a broken export comes out row for row -------------------------------------------------

def test_broken_export_comes_out_row_for_row_with_each_problem_named(env, tmp_path, capsys):
    src = tmp_path / "broken export.csv"
    src.write_text(BROKEN_CSV, encoding="utf-8")
    out = tmp_path / "out" / "scored.csv"

    assert main(["score", str(src), "-o", str(out), "--params", PARAMS]) == 0
    capsys.readouterr()

    given, got = read_cells(src), read_cells(out)
    header, rows = given[0], given[1:]
    assert got[0] == header + list(OUTPUT_COLUMNS)
    assert len(got) == len(given)
    col = {name: i for i, name in enumerate(got[0])}
    for r, (before, after) in enumerate(zip(rows, got[1:], strict=True)):
        for c, cell in enumerate(before):
            expected = "'" + cell if live_formula(cell) else cell
            assert after[c] == expected, (r, header[c], cell, after[c])
        note = after[col["score_error"]]
        for words in EXPECTED_NOTES.get(r, ()):
            assert words in note, (r, note)
        if r not in EXPECTED_NOTES:
            assert note == "", (r, note)
    # The two formulas gained a quote; a plain negative number and non-ASCII text did not change.
    by_id = {row[0]: row for row in got[1:] if row[0]}
    assert by_id["L-008"][col["company"]] == "'=HYPERLINK(\"http://x\")"
    assert by_id["L-008"][col["job_title"]] == "'@SUM(A1)"
    assert by_id["L-006"][col["employees"]] == "-5"
    assert by_id["L-010"][col["first_name"]] == "Zoë" and by_id["L-010"][col["last_name"]] == "Ångström"
    assert by_id["L-010"][col["company"]] == "北京公司"
    assert by_id["L-002"][col["crm_owner"]] == "007" and got[4][col["crm_owner"]] == "NA"
    written = out.read_bytes()
    assert all(text.encode() in written for text in ("Zoë", "Ångström", "Директор", "北京公司"))
    # Nothing a spreadsheet would run, in the scored file or in the verdicts.
    for path in (out, sources_of(out)):
        for row in read_cells(path):
            assert not [cell for cell in row if live_formula(cell)], (path.name, row)
    verdicts = pd.read_csv(sources_of(out), dtype="str", keep_default_na=False)
    assert "'@evil-list" in set(verdicts["source"])

    # Scored rows carry the model's numbers; the row with nothing in it is left unscored.
    p = [row[col["p_accept"]] for row in got[1:]]
    assert p[9] == "" and got[10][col["tier"]] == "" and got[10][col["reasons"]] == ""
    assert all(v != "" for i, v in enumerate(p) if i != 9)
    for row in got[1:]:
        if row[col["p_accept"]]:
            assert 0 <= float(row[col["p_accept"]]) <= 1
            assert int(row[col["score"]]) == round(float(row[col["p_accept"]]) * 100)
            assert row[col["tier"]] in {"A", "B", "C", "D"}
            # reasons need no formula guard: they start with words
            assert re.match(r"^(for|against): ", row[col["reasons"]]), row[col["reasons"]]
    # The same scorer as the MLflow model: same numbers as score_frame on the same rows.
    direct = score_frame(env.bundle, read_table(src))
    np.testing.assert_allclose(
        pd.to_numeric(pd.Series(p), errors="coerce").to_numpy(), direct["p_accept"].to_numpy(), rtol=0, atol=1e-12
    )

    # The same cells from Parquet, read in chunks of 3 rows (the duplicate L-001 now sits in a later
    # chunk than its first): byte for byte the same scored file.
    as_parquet = tmp_path / "broken export.parquet"
    read_table(src).to_parquet(as_parquet, index=False)
    chunked = tmp_path / "out" / "scored_chunked.csv"
    assert main(["score", str(as_parquet), "-o", str(chunked), "--params", params_file(tmp_path, 3)]) == 0
    assert chunked.read_bytes() == out.read_bytes()


# --- (b), (c) clear errors ---------------------------------------------------------------------

def test_missing_required_column_exits_2_naming_it_and_the_mapping(env, tmp_path, capsys):
    frame = pd.read_csv(env.demo["new_strong"], dtype="str", keep_default_na=False, na_values=[""]).head(20)
    src = tmp_path / "no_source.csv"
    frame.drop(columns=["source"]).to_csv(src, index=False)
    out = tmp_path / "scored.csv"

    assert main(["score", str(src), "-o", str(out), "--params", PARAMS]) == 2
    err = capsys.readouterr().err
    assert "source" in err and "data:" in err and "columns:" in err, err
    assert not out.exists() and not sources_of(out).exists()
    assert no_partials(tmp_path)


def test_no_champion_yet_exits_2_and_says_to_train(env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/empty.db")
    out = tmp_path / "scored.csv"

    assert main(["score", str(env.demo["new_strong"]), "-o", str(out), "--params", PARAMS]) == 2
    err = capsys.readouterr().err
    assert "leadsift train" in err, err
    assert not out.exists()


# --- (d) capacity ------------------------------------------------------------------------------

def test_capacity_makes_exactly_the_top_n_tier_a(env, tmp_path, capsys):
    src = env.strong_parquet  # 400 leads in chunks of 64: the top 10 are chosen over the whole list
    chunks = params_file(tmp_path, 64)
    plain, capped = tmp_path / "plain.csv", tmp_path / "capped.csv"
    assert main(["score", str(src), "-o", str(plain), "--params", chunks]) == 0
    assert main(["score", str(src), "-o", str(capped), "--params", chunks, "--capacity", "10"]) == 0
    capsys.readouterr()

    text = dict(dtype="str", keep_default_na=False)
    given = pd.read_csv(env.demo["new_strong"], **text)
    before, after = pd.read_csv(plain, **text), pd.read_csv(capped, **text)
    assert (after["tier"] == "A").sum() == 10
    assert set(after["tier"]) <= {"A", "B", "C", "D", ""}
    p = pd.to_numeric(after["p_accept"], errors="coerce")
    top = p[after["tier"] == "A"]
    assert top.min() >= p[after["tier"] != "A"].max()
    # Capacity changes tiers only: input cells, probabilities and order are those of a plain run.
    pd.testing.assert_frame_equal(after[list(given.columns)], as_written(given))
    pd.testing.assert_frame_equal(after.drop(columns=["tier"]), before.drop(columns=["tier"]))


# --- (e) Parquet -------------------------------------------------------------------------------

def test_parquet_in_and_out_keeps_passthrough_dtypes(env, tmp_path, capsys):
    text = pd.read_csv(env.demo["new_strong"], dtype="str", keep_default_na=False, na_values=[""]).head(120)
    n = len(text)
    typed = pd.DataFrame({
        "lead_id": text["lead_id"],
        "created_at": pd.to_datetime(text["created_at"]).astype("datetime64[us]"),
        "source": text["source"],
        "email": text["email"],
        "job_title": text["job_title"],
        "industry": text["industry"],
        "country": text["country"],
        "employees": pd.to_numeric(text["employees"]).astype("Int64"),
        "page_views": pd.to_numeric(text["page_views"]).astype("int64"),
        "demo_requested": text["demo_requested"].map({"true": True, "false": False}).astype(bool),
        "crm_owner_id": np.arange(n, dtype="int32"),
        "crm_flag": np.arange(n) % 3 == 0,
        "crm_synced_at": (pd.Timestamp("2026-01-01") + pd.to_timedelta(np.arange(n), unit="h")).as_unit("us"),
        "crm_segment": pd.Categorical(np.where(np.arange(n) % 2 == 0, "smb", "enterprise")),
        "crm_weight": np.linspace(0, 1, n),
        "crm_note": ["Zoë Ångström, 北京公司"] * n,
    })
    src, out = tmp_path / "leads.parquet", tmp_path / "scored.parquet"
    typed.to_parquet(src, index=False, row_group_size=50)

    assert main(["score", str(src), "-o", str(out), "--params", params_file(tmp_path, 50)]) == 0
    capsys.readouterr()
    scored = pd.read_parquet(out)
    assert list(scored.columns) == list(typed.columns) + list(OUTPUT_COLUMNS)
    for column in typed.columns:
        assert scored[column].dtype == typed[column].dtype, column
        pd.testing.assert_series_equal(scored[column], typed[column], check_exact=True)
    assert scored["p_accept"].dtype == "float64" and str(scored["score"].dtype) == "Int64"
    # Typed cells are understood as such: nothing noted, and the same scores as the same leads in text.
    assert (scored["score_error"] == "").all(), scored["score_error"].unique()
    as_text = score_frame(env.bundle, text[[c for c in typed.columns if c in text.columns]])
    np.testing.assert_allclose(scored["p_accept"].to_numpy(), as_text["p_accept"].to_numpy(), rtol=0, atol=1e-12)
    assert sources_of(out).exists()


# --- (f) verdicts ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "verdict", "code"), [("new_prize_draw", "low_quality", 3), ("new_strong", "ok", 0)])
def test_source_verdicts_and_fail_on_low_quality(env, tmp_path, capsys, name, verdict, code):
    src = env.demo[name]
    out = tmp_path / f"{name}_scored.csv"

    assert main(["score", str(src), "-o", str(out), "--params", PARAMS, "--fail-on-low-quality"]) == code
    printed = capsys.readouterr()
    if code == 3:
        assert "low_quality" in printed.err
    verdicts = pd.read_csv(sources_of(out))
    assert REQUIRED_VERDICT_COLUMNS <= set(verdicts.columns)
    assert len(verdicts) == 1  # each demo list comes from one source
    row = verdicts.iloc[0]
    scored = pd.read_csv(out, dtype={"p_accept": "float64"}, keep_default_na=False, na_values=[""])
    assert row["verdict"] == verdict, row.to_dict()
    assert row["source"] == scored["source"].iloc[0] and row["rows"] == len(scored)
    assert row["expected_accept_rate"] == pytest.approx(scored["p_accept"].mean(), abs=1e-9)
    assert row["historical_accept_rate"] == pytest.approx(env.bundle.info["historical_accept_rate"])
    # Without the flag a low-quality list is not an error.
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS]) == 0


# --- (g) atomic output -------------------------------------------------------------------------

@pytest.mark.parametrize(("filename", "capacity"), [("scored.csv", None), ("scored.parquet", None), ("scored.csv", 5)])
def test_a_run_failing_midway_leaves_no_output_and_no_partial_file(env, tmp_path, monkeypatch, capsys, filename, capacity):
    real = leadsift.pipeline.chunk_scorer.score_details
    calls = []

    def fail_on_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(leadsift.pipeline.chunk_scorer, "score_details", fail_on_second_chunk)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / filename
    argv = ["score", str(env.strong_parquet), "-o", str(out), "--params", params_file(tmp_path, 50)]
    if capacity is not None:
        argv += ["--capacity", str(capacity)]

    assert main(argv) == 1  # an unexpected exception is reported as a bug, with its traceback
    err = capsys.readouterr().err
    assert "RuntimeError: disk on fire" in err and "this is a bug in leadsift" in err
    assert len(calls) == 2
    assert os.listdir(folder) == []  # no output, no verdicts, no *.partial

    # A failed run leaves an earlier output exactly as it was.
    out.write_bytes(b"an earlier run's output")
    calls.clear()
    assert main(argv) == 1
    assert out.read_bytes() == b"an earlier run's output"
    assert sorted(os.listdir(folder)) == [filename] and no_partials(folder)


# --- (h) no personal data on screen --------------------------------------------------------------

def test_printed_summary_holds_no_email_or_phone(env, tmp_path, capsys):
    src = tmp_path / "broken.csv"
    src.write_text(BROKEN_CSV, encoding="utf-8")
    printed = ""
    for path in (env.demo["new_strong"], src):
        assert main(["score", str(path), "-o", str(tmp_path / f"{Path(path).stem}_scored.csv"), "--params", PARAMS]) == 0
        captured = capsys.readouterr()
        printed += captured.out + captured.err
    assert "scored" in printed and "verdict" in printed

    personal = set()
    for path in (env.demo["new_strong"], src):
        frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
        for column in ("email", "phone"):
            personal |= {v.strip() for v in frame[column].dropna() if len(v.strip()) >= 6}
    assert len(personal) > 300
    leaked = sorted(v for v in personal if v in printed)
    assert not leaked, leaked[:5]
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", printed.replace("@evil-list", "")), "an e-mail address was printed"


# --- the verdict file's name ---------------------------------------------------------------------

def test_verdict_file_is_named_after_the_output_without_its_extension(env, tmp_path, capsys):
    """Regression: up to d76bc41 every suffix was stripped, so scored.2026-11.csv wrote scored.sources.csv
    and lists scored into list.a.csv and list.b.csv overwrote one verdict file (fixed in ad39a36)."""
    out = tmp_path / "scored.2026-11.csv"
    assert main(["score", str(env.demo["new_strong"]), "-o", str(out), "--params", PARAMS]) == 0
    assert (tmp_path / "scored.2026-11.sources.csv").exists(), sorted(os.listdir(tmp_path))
    assert not (tmp_path / "scored.sources.csv").exists()


# --- (h) scoring is a function of its inputs ----------------------------------------------------

def test_now_is_the_lists_date_not_the_machines_clock(env, tmp_path, capsys):
    rows = read_table(env.demo["new_strong"]).head(3).copy()
    rows["created_at"] = ["2026-10-01T09:00:00", "2026-10-20T09:00:00", "2026-10-25T09:00:00"]
    src = tmp_path / "list.csv"
    rows.to_csv(src, index=False)
    runs = {}
    for tz in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        out = tmp_path / f"scored_{tz.replace('/', '_')}.csv"
        code = main(["score", str(src), "-o", str(out), "--as-of", "2026-10-15", "--params", PARAMS])
        assert code == 0, capsys.readouterr().err
        runs[tz] = read_table(out)
        os.environ["TZ"] = tz  # the next run's local clock; results must not move
        time.tzset()
    os.environ.pop("TZ", None)
    time.tzset()
    first = runs["UTC"]
    for other in runs.values():
        pd.testing.assert_frame_equal(other, first)
    future = first["score_error"].fillna("").str.contains("created_at: in the future")
    assert future.tolist() == [False, True, True]  # more than a day after --as-of

    later = tmp_path / "later.csv"
    assert main(["score", str(src), "-o", str(later), "--as-of", "2026-11-30", "--params", PARAMS]) == 0
    assert not read_table(later)["score_error"].fillna("").str.contains("in the future").any()


def test_outputs_get_the_users_file_mode(env, tmp_path):
    out = tmp_path / "scored.csv"
    old = os.umask(0o022)
    try:
        assert main(["score", str(env.demo["new_strong"]), "-o", str(out), "--params", PARAMS]) == 0
    finally:
        os.umask(old)
    for path in (out, sources_of(out)):
        assert (path.stat().st_mode & 0o777) == 0o644, oct(path.stat().st_mode)


def test_sigterm_leaves_no_output_and_no_partial_file(env, tmp_path):
    import signal
    import subprocess
    import sys

    big = tmp_path / "big.csv"
    rows = read_table(env.demo["new_prize_draw"])
    pd.concat([rows.assign(lead_id=rows["lead_id"] + f"-{k}") for k in range(60)]).to_csv(big, index=False)
    folder = tmp_path / "out"
    folder.mkdir()
    leadsift = Path(sys.executable).with_name("leadsift")
    proc = subprocess.Popen(
        [str(leadsift), "score", str(big), "-o", str(folder / "scored.csv"), "--params", params_file(tmp_path, 2000)],
        env={**os.environ, "MLFLOW_TRACKING_URI": os.environ["MLFLOW_TRACKING_URI"]},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not any(n.endswith(".partial") for n in os.listdir(folder)) and proc.poll() is None:
        assert time.monotonic() < deadline, "no partial output appeared"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err[-2000:]
    assert "terminated; no partial output was left behind" in err
    assert os.listdir(folder) == []


# --- (i) the list's own quirks -------------------------------------------------------------------

def test_sources_differing_by_case_or_spaces_share_one_verdict(env, tmp_path, capsys):
    rows = read_table(env.demo["new_strong"]).head(6).copy()
    rows["source"] = ["Webinar Dec", " webinar  dec ", "WEBINAR DEC", None, "  ", "Expo"]
    src = tmp_path / "list.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "scored.csv"
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS]) == 0
    verdicts = read_table(sources_of(out)).set_index("source")
    assert sorted(verdicts.index) == ["(missing source)", "Expo", "Webinar Dec"]
    assert verdicts.loc["Webinar Dec", "rows"] == "3" and verdicts.loc["(missing source)", "rows"] == "2"


@pytest.mark.parametrize("chunk_rows", [1, 2, 50])
def test_duplicate_ids_found_whatever_the_chunks_and_spaces(env, tmp_path, chunk_rows):
    rows = read_table(env.demo["new_strong"]).head(4).copy()
    rows["lead_id"] = ["T1", "T2", " T1", "T2 "]
    src = tmp_path / "list.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "scored.csv"
    assert main(["score", str(src), "-o", str(out), "--params", params_file(tmp_path, chunk_rows)]) == 0
    notes = read_table(out)["score_error"].fillna("")
    assert notes.str.contains("duplicate of an earlier row").tolist() == [False, False, True, True]


def test_a_column_map_typo_is_an_error_not_a_quiet_half_score(env, tmp_path, capsys):
    rows = read_table(env.demo["new_strong"]).head(5).rename(columns={"demo_requested": "Demo Requested"})
    src = tmp_path / "list.csv"
    rows.to_csv(src, index=False)
    params = tmp_path / "params.yaml"
    params.write_text('data:\n  columns:\n    "Demo Requsted": demo_requested\n', encoding="utf-8")
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--params", str(params)]) == 2
    err = capsys.readouterr().err
    assert "no column 'Demo Requsted'; did you mean 'Demo Requested'?" in err
    assert not (tmp_path / "o.csv").exists()


def test_the_verdict_file_never_replaces_the_input(env, tmp_path, capsys):
    src = tmp_path / "x.sources.csv"
    src.write_bytes(Path(env.demo["new_strong"]).read_bytes())
    before = src.read_bytes()
    assert main(["score", str(src), "-o", str(tmp_path / "x.csv"), "--params", PARAMS]) == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert src.read_bytes() == before and not (tmp_path / "x.csv").exists()


# --- (j) never a quiet loss of accuracy --------------------------------------------------------------

def test_a_list_without_a_leaned_on_column_is_named_and_uncertain(env, tmp_path, capsys):
    leaned = [c for c, r in env.bundle.inputs.items() if r.gain_share >= 0.05]
    assert "demo_requested" in leaned, env.bundle.inputs
    full = read_table(env.demo["new_strong"])
    src = tmp_path / "no_demo.csv"
    full.drop(columns=["demo_requested"]).to_csv(src, index=False)
    out = tmp_path / "scored.csv"
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS]) == 0
    printed = capsys.readouterr().out
    assert "coverage: the list lacks what the model leans on: demo_requested absent" in printed
    verdicts = pd.read_csv(sources_of(out))
    row = verdicts.iloc[0]
    assert "demo_requested absent" in row["coverage"]
    assert row["expected_accept_min"] <= row["expected_accept_rate"] < row["expected_accept_max"]
    # The same leads with the column: inside the range it reported.
    whole = tmp_path / "whole.csv"
    assert main(["score", str(env.demo["new_strong"]), "-o", str(whole), "--params", PARAMS]) == 0
    with_column = pd.read_csv(sources_of(whole)).iloc[0]
    assert row["expected_accept_min"] <= with_column["expected_accept_rate"] <= row["expected_accept_max"]
    assert pd.isna(with_column["coverage"])
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS, "--strict"]) == 3


def test_a_list_that_crosses_the_line_without_the_column_is_uncertain(env, tmp_path, capsys):
    rows = read_table(env.demo["new_prize_draw"]).drop(columns=["demo_requested", "job_title", "email"])
    src = tmp_path / "bare.csv"
    rows.to_csv(src, index=False)
    out = tmp_path / "scored.csv"
    assert main(["score", str(src), "-o", str(out), "--params", PARAMS]) == 0
    row = pd.read_csv(sources_of(out)).iloc[0]
    threshold = 0.5 * row["historical_accept_rate"]
    crosses = (row["expected_accept_min"] < threshold) != (row["expected_accept_max"] < threshold)
    assert row["verdict"] == ("uncertain" if crosses else "low_quality" if row["expected_accept_rate"] < threshold else "ok")


def test_a_full_disk_is_one_line_and_leaves_nothing(env, tmp_path, capsys):
    import subprocess

    disk = tmp_path / "tiny"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("a 64 KB tmpfs needs root (mount); the full-disk path is not exercised here")
    try:
        out = disk / "scored.csv"
        assert main(["score", str(env.demo["new_prize_draw"]), "-o", str(out), "--params", PARAMS]) == 2
        err = capsys.readouterr().err
        assert "No space left on device" in err and "nothing was written" in err and "Traceback" not in err
        assert os.listdir(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)
