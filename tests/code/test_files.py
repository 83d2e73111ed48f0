"""Reading and writing lead files: separators, gzip, broken files named by line, outputs that never
replace an input, formulas neutralized in cells and headers."""

from __future__ import annotations

import gzip
import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from leadsift.errors import ContractError
from leadsift.pipeline.files import (
    ChunkWriter,
    atomic_path,
    check_outputs,
    file_kind,
    iter_table,
    neutralize,
    read_table,
    write_table,
)

ROWS = "lead_id{s}source{s}email\nL1{s}Webinar{s}ann@acme.example\nL2{s}Expo{s}bo@beta.example\n"


@pytest.mark.parametrize(("sep", "first"), [(",", ""), (";", ""), ("\t", ""), (";", "sep=;\n"), (",", "sep=,\n")])
def test_separator_is_detected(tmp_path, sep, first):
    path = tmp_path / "leads.csv"
    path.write_text(first + ROWS.format(s=sep), encoding="utf-8")
    frame = read_table(path)
    assert list(frame.columns) == ["lead_id", "source", "email"]
    assert frame["email"].tolist() == ["ann@acme.example", "bo@beta.example"]


def test_gzip_csv_reads_and_writes_as_gzip(tmp_path):
    src = tmp_path / "leads.csv.gz"
    src.write_bytes(gzip.compress(ROWS.format(s=",").encode()))
    frame = read_table(src)
    out = write_table(frame, tmp_path / "copy.csv.gz")
    assert gzip.decompress(out.read_bytes()).decode().startswith("lead_id,source,email")
    with atomic_path(tmp_path / "chunks.csv.gz") as tmp, ChunkWriter(tmp, "csv", gzip_csv=True) as writer:
        writer.write(frame)
    pd.testing.assert_frame_equal(read_table(tmp_path / "chunks.csv.gz"), frame)


def test_parquet_gz_is_refused_clearly(tmp_path):
    with pytest.raises(ContractError, match="drop the .gz"):
        file_kind(tmp_path / "x.parquet.gz")


def test_ragged_row_names_the_line_and_never_echoes_it(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("lead_id,source,email\nL1,a,ann@acme.example\nL2,b,secret@mail.example,extra\n", encoding="utf-8")
    with pytest.raises(ContractError) as info:
        list(iter_table(path, 10))
    message = str(info.value)
    assert "line 3" in message and "4 fields where the header has 3" in message
    assert "secret" not in message and "@" not in message


def test_parquet_problems_name_the_file(tmp_path):
    dup = tmp_path / "dup.parquet"
    pq.write_table(pa.table([pa.array(["1"]), pa.array(["2"])], names=["lead_id", "lead_id"]), dup)
    with pytest.raises(ContractError, match=r"dup.parquet: column name\(s\) \['lead_id'\] appear more than once"):
        read_table(dup)
    fake = tmp_path / "fake.parquet"
    fake.write_text(ROWS.format(s=","), encoding="utf-8")
    with pytest.raises(ContractError, match="fake.parquet is not a Parquet file"):
        read_table(fake)


def test_an_output_never_replaces_an_input(tmp_path):
    src = tmp_path / "leads.csv"
    src.write_text(ROWS.format(s=","), encoding="utf-8")
    os.symlink(src, tmp_path / "link.csv")
    os.link(src, tmp_path / "hard.csv")
    for name in ("link.csv", "hard.csv", "./leads.csv", "sub/../leads.csv"):
        with pytest.raises(ContractError, match="would overwrite the input"):
            check_outputs([src], [tmp_path / name])
    with pytest.raises(ContractError, match="are the same file"):
        check_outputs([src], [tmp_path / "a.csv", tmp_path / "." / "a.csv"])
    with pytest.raises(ContractError, match="is a folder"):
        check_outputs([src], [tmp_path])
    check_outputs([src], [tmp_path / "out.csv"])  # a new name is fine


def test_a_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("stop")
    assert os.listdir(tmp_path) == []
    (tmp_path / "file").write_text("x")
    with pytest.raises(ContractError, match="cannot write"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "file" / "out.csv")  # its folder is a file


def test_formulas_in_cells_headers_and_categories_are_neutralized():
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": ["=1+1"], "plain": ["-12.5"], "kind": pd.Categorical(["@SUM(A1)"])})
    out = neutralize(frame)
    assert list(out.columns) == ["'=cmd|' /C calc'!A0", "plain", "kind"]
    assert out.iloc[0].tolist() == ["'=1+1", "-12.5", "'@SUM(A1)"]


def test_list_columns_cannot_go_to_csv(tmp_path):
    frame = pd.DataFrame({"lead_id": ["a"], "tags": [["x", "y"]]})
    with pytest.raises(ContractError, match="column 'tags' holds lists"), atomic_path(tmp_path / "o.csv") as tmp:
        with ChunkWriter(tmp, "csv") as writer:
            writer.write(frame)
    assert os.listdir(tmp_path) == []
