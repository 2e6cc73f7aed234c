"""The one reader of tabular input (``fitting/_table.py``), through ``read_runs_csv`` and the
command line: each test names the row of the robustness review (issue 16) it covers."""

from __future__ import annotations

import numpy as np
import pytest

from chinchilla_lib import cli
from chinchilla_lib.fitting._table import MAX_ROWS, read_table, read_text
from chinchilla_lib.fitting.runs import read_runs_csv

SIZES = (1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9)
ROWS = [f"{n:g},{20 * n:g},{2 + 1 / n ** 0.1:.4f}" for n in SIZES]


def write(tmp_path, data: bytes | str, name: str = "runs.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def refused(path, match: str, **kwargs) -> str:
    with pytest.raises(ValueError, match=match) as error:
        read_runs_csv(path, **kwargs)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_review_bom_and_spaces_around_headers_are_accepted(tmp_path):
    """Review row: a UTF-8 byte-order mark (spreadsheets); ``bnsl-fit`` header ``x, y``."""
    plain = read_runs_csv(write(tmp_path, "N,D,loss\n" + "\n".join(ROWS)))
    bom = read_runs_csv(write(tmp_path, b"\xef\xbb\xbf" + ("N,D,loss\n" + "\n".join(ROWS))
                              .encode(), "bom.csv"))
    spaced = read_runs_csv(write(tmp_path, " N , D ,loss \n" + "\n".join(
        r.replace(",", " , ") for r in ROWS), "spaced.csv"))
    for runs in (bom, spaced):
        np.testing.assert_array_equal(runs.loss, plain.loss)
        np.testing.assert_array_equal(runs.n_tokens, plain.n_tokens)
    table = read_table(write(tmp_path, b"\xef\xbb\xbfx, y\r\n1, 2\r\n3, 4\r\n", "xy.csv"),
                       ("x", "y"))
    assert table["x"].tolist() == [1.0, 3.0] and table["y"].tolist() == [2.0, 4.0]


@pytest.mark.parametrize(("data", "match"), [
    (("N,D,loss,caf\xe9\n" + "\n".join(ROWS)).encode("latin-1"),
     r"runs\.csv: not UTF-8 \(byte 0xe9 on line 1\); the file looks like latin-1"),
    (("N,D,loss\n" + "\n".join(ROWS)).encode("utf-16"),
     r"runs\.csv: the file is UTF-16 text \(it starts with a UTF-16 byte-order mark\)"),
    (("N,D,loss\n" + "\n".join(ROWS)).encode("utf-16-le"),
     r"runs\.csv: the file looks like UTF-16 text without a byte-order mark"),
    (("N,D,loss\n" + "\n".join(ROWS)).encode("utf-32"), r"runs\.csv: the file is UTF-32"),
    (bytes(range(256)) * 4, r"runs\.csv: not a text file \(a zero byte on line 1\)"),
    (b"N,D,loss\n\x81\x82\x01\x02\xff", r"runs\.csv: not a text file \(byte 0x81 on line 2"),
])
def test_review_other_encodings_name_the_file_and_the_encoding(tmp_path, data, match):
    """Review row: latin-1, UTF-16 or binary CSV gave "'utf-8' codec can't decode byte"."""
    refused(write(tmp_path, data), match)


@pytest.mark.parametrize(("header", "match"), [
    ("N,D,loss,loss", "column loss appears twice in the header; keep one"),
    ("N,D,loss, loss ", "column loss appears twice"),
    ("N,D,loss,Loss", "columns 'loss' and 'Loss' differ only in case"),
    ("N,D,C,loss", "columns D and C are both present; give only one of D, C"),
    ("N,D,Loss,x", r"needs columns N, loss and one of D, C; found .* \(did you mean 'Loss'"),
    ("N;D;loss;x", "the header has no commas: save the file comma-separated"),
])
def test_review_duplicated_or_ambiguous_columns_are_refused_by_name(tmp_path, header, match):
    """Review row: ``fit`` CSV with a duplicated column name used the last one silently."""
    sep = ";" if ";" in header else ","
    rows = [sep.join([*r.split(","), "1"]) for r in ROWS]
    refused(write(tmp_path, header + "\n" + "\n".join(rows)), match)


def test_review_renamed_columns_are_checked(tmp_path):
    path = write(tmp_path, "Model Size,N,Training FLOP,loss\n" + "\n".join(
        f"{n:g},7,{6 * 20 * n * n:g},{2 + 1 / n ** 0.1:.4f}" for n in SIZES))
    runs = read_runs_csv(path, columns={"N": "Model Size", "C": "Training FLOP"})
    np.testing.assert_allclose(runs.n_tokens, 20 * runs.n_params)  # the literal N is ignored
    refused(path, "columns maps both N and C to the column 'Model Size'",
            columns={"N": "Model Size", "C": "Model Size"})
    refused(path, r"N is read from 'model size'", columns={"N": "model size"})


@pytest.mark.parametrize(("line", "match"), [
    ("1e9,2e10", r"runs\.csv, line 8: a short row, 2 fields where the header has 3"),
    ("1e9,2e10,2,5", r"line 8: 4 fields where the header has 3 \(a comma inside a value"),
    ("1e9,,2", "line 8: column D is empty"),
    ("1e9,1_000,2", "line 8: column D is not a number: '1_000'"),
    ("1e9,0x10,2", "line 8: column D is not a number"),
    ("1e9,1e999,2", r"line 8: column D must be finite and > 0; got '1e999' \(beyond the "),
    ("1e9,1e-999,2", r"column D must be finite and > 0; got '1e-999' \(below the smallest"),
    ("1e9,-inf,2", "line 8: column D must be finite and > 0; got -inf"),
    ("1e9,NaN,2", "line 8: column D must be finite and > 0; got NaN"),
    ('1e9,"1"2,2', r"line 8: not valid CSV"),
])
def test_review_short_rows_and_bad_values_are_named_by_line(tmp_path, line, match):
    """Review row: ``bnsl-fit`` CSV with a short row gave a traceback."""
    refused(write(tmp_path, "N,D,loss\n" + "\n".join(ROWS) + "\n" + line + "\n"), match)


def test_blank_lines_and_a_trailing_empty_field_are_accepted(tmp_path):
    text = "\n\nN,D,loss,\n" + "\n".join(r + "," for r in ROWS[:3]) + "\n,,,\n\n" + \
        "\n".join(r + "," for r in ROWS[3:]) + "\n"
    assert len(read_runs_csv(write(tmp_path, text))) == 6


def test_review_a_stated_size_limit_refuses_large_files_at_once(tmp_path):
    """Review row: a 200k-row file ran out of memory or for minutes: refused at once."""
    path = write(tmp_path, "N,D,loss\n" + "1e9,2e10,2.5\n" * 200_000)
    refused(path, f"more than {MAX_ROWS:,} data rows \\(the limit\\)")
    assert len(read_runs_csv(path, max_rows=200_000)) == 200_000  # the limit is the caller's
    big = tmp_path / "big.csv"
    big.write_bytes(b"N,D,loss\n" + b" " * (2**20))
    with pytest.raises(ValueError, match="larger than the limit of 1,024 bytes"):
        read_text(big, max_bytes=1024)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"columns": "N"}, TypeError, "columns must be a dict from N, loss, D, C"),
    ({"columns": ["N"]}, TypeError, "columns must be a dict"),
    ({"columns": {"N": 5}}, TypeError, r"columns must map names \(str\) to names"),
    ({"columns": {"Q": "x"}}, ValueError, "columns may rename only N, loss, D, C; got 'Q'"),
    ({"columns": {"N": " "}}, ValueError, "columns must give a non-empty name for N"),
    ({"max_rows": 0}, ValueError, "max_rows must be >= 1"),
    ({"max_rows": 1.5}, TypeError, "max_rows must be an int"),
])
def test_review_read_runs_csv_refuses_wrong_arguments_at_once(tmp_path, kwargs, error, match):
    """Review row: ``read_runs_csv(columns='N')`` gave an AttributeError."""
    path = write(tmp_path, "N,D,loss\n" + "\n".join(ROWS))
    with pytest.raises(error, match=match):
        read_runs_csv(path, **kwargs)


@pytest.mark.parametrize(("path", "error", "match"), [
    (5, TypeError, "path must be a str or os.PathLike file path; got int"),
    (None, TypeError, "got NoneType"),
    ("/no/such/file.csv", ValueError, "cannot read '/no/such/file.csv': No such file"),
    ("/", ValueError, "cannot read '/': Is a directory"),
])
def test_paths_that_are_not_files(path, error, match):
    with pytest.raises(error, match=match):
        read_runs_csv(path)


def test_the_command_line_reads_through_the_same_reader(tmp_path, capsys):
    """One reader for every command: ``fit`` and ``bnsl-fit`` refuse as the library does."""
    latin = write(tmp_path, "x,y,caf\xe9\n1,2,3\n".encode("latin-1"), "latin.csv")
    short = write(tmp_path, "x,y\n1,2\n3\n", "short.csv")
    for command, path, match in (("fit", latin, "looks like latin-1"),
                                 ("bnsl-fit", latin, "looks like latin-1"),
                                 ("bnsl-fit", short, "line 3: a short row, 1 field where"),
                                 ("bnsl-fit", write(tmp_path, "x,y,x\n1,2,3\n", "dup.csv"),
                                  "column x appears twice")):
        assert cli.main([command, str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and match in err and str(path) in err
    script = write(tmp_path, "# caf\xe9\nx = [1]\n".encode("latin-1"), "theirs.py")
    assert cli.main(["bnsl-fit", str(script)]) == 2
    assert "theirs.py: not UTF-8" in capsys.readouterr().err
