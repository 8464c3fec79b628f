"""lab2.data: the bundled Iris file, the lab's shuffle and normalisation, and user CSVs."""

import csv
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from lab2.data import BUNDLED, DataError, centred, lab_split, load_csv

SPECIES = ("Iris-setosa", "Iris-versicolor", "Iris-virginica")


def read_raw():
    """The bundled file read independently of lab2, with the csv module."""
    with open(BUNDLED, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(v) for v in r[:4]] for r in rows[1:]], [r[4] for r in rows[1:]]


def test_bundled_iris_is_the_uci_copy():
    header, features, labels = read_raw()
    assert header == ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]
    assert len(features) == 150
    assert {s: labels.count(s) for s in SPECIES} == dict.fromkeys(SPECIES, 50)
    # the two rows where the UCI file differs from Fisher's paper (1-based rows 35 and 38)
    assert features[34] == [4.9, 3.1, 1.5, 0.1]
    assert features[37] == [4.9, 3.1, 1.5, 0.1]
    assert features[0] == [5.1, 3.5, 1.4, 0.2] and features[149] == [5.9, 3.0, 5.1, 1.8]
    data = load_csv()
    assert_array_equal(data.features, np.array(features))
    assert data.labels == tuple(labels)
    assert data.classes == SPECIES


def test_part1_matrix_is_centred_float64():
    A = centred(load_csv())
    assert A.shape == (150, 4) and A.dtype == np.float64
    assert_allclose(A.mean(axis=0), 0, atol=1e-13)


def test_shuffle_is_pandas_sample_random_state_0():
    split = lab_split(load_csv())
    # DataFrame.sample(frac=1, random_state=0) == RandomState(0).permutation(150); these are its
    # first indices (numpy guarantees the legacy RandomState stream stays the same)
    assert split.order[:10].tolist() == [114, 62, 33, 107, 7, 100, 40, 86, 76, 71]
    assert_array_equal(split.order, np.random.RandomState(0).permutation(150))


def test_split_matches_the_lab_recipe_computed_independently():
    _, features, labels = read_raw()
    split = lab_split(load_csv())
    order = split.order
    # labels numbered in order of first appearance after the shuffle
    numbering = {}
    for i in order:
        numbering.setdefault(labels[i], len(numbering))
    assert split.classes == tuple(numbering)
    assert split.classes[0] == labels[114] == "Iris-virginica"
    expected_y = [numbering[labels[i]] for i in order]
    assert split.y_train.tolist() == expected_y[:100]
    assert split.y_val.tolist() == expected_y[100:]
    assert split.y_train.dtype == np.int64
    # (x - mean) / unbiased variance over all 150 rows, in pure Python
    columns = list(zip(*features))
    means = [statistics.fmean(c) for c in columns]
    variances = [statistics.variance(c) for c in columns]
    for k in (0, 1, 2, 99):
        row = features[order[k]]
        expected = [(x - m) / v for x, m, v in zip(row, means, variances)]
        assert_allclose(split.x_train[k], expected, rtol=1e-6)
    assert_allclose(
        split.x_val[0],
        [(x - m) / v for x, m, v in zip(features[order[100]], means, variances)],
        rtol=1e-6,
    )
    assert split.x_train.dtype == split.x_val.dtype == np.float32
    assert split.x_train.shape == (100, 4) and split.x_val.shape == (50, 4)


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = "a,b,label\n1,2,x\n3,5,y\n4,4,x\n"


def test_user_csv_loads_and_splits_two_thirds(tmp_path):
    data = load_csv(write(tmp_path, GOOD + "\n7,1,y\n\n6,0,x\n"))
    assert data.feature_names == ("a", "b") and data.label_name == "label"
    assert data.features.shape == (5, 2) and data.classes == ("x", "y")
    split = lab_split(data)
    assert len(split.y_train) == 3 and len(split.y_val) == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,label\n1,2,x\n3,oops,y\n4,4,x\n", r"row 2 \(line 3\), column 2 \('b'\).*'oops'"),
        ("a,b,label\n1,2,x\n3,nan,y\n4,4,x\n", r"row 2 \(line 3\), column 2 \('b'\).*'nan'"),
        ("a,b,label\n1,2,x\n3,inf,y\n4,4,x\n", r"row 2 .*column 2 .*'inf'"),
        ("a,b,label\n1,2,x\n3,5\n4,4,x\n", r"row 2 \(line 3\) has 2 fields, expected 3"),
        ("a,b,label\n1,2,x\n3,5,y,z\n4,4,x\n", r"row 2 \(line 3\) has 4 fields"),
        ("a,b,label\n1,2,x\n3,5, \n4,4,x\n", r"row 2 .*column 3 \('label'\): the label is empty"),
        ("", r"is empty"),
        ("a,label\n1,x\n2,y\n3,x\n", r"at least two numeric feature columns"),
        ("1,2,x\n3,5,y\n4,4,x\n", r"line 1 looks like data, not a header"),
        ("a,b,label\n1,2,x\n3,5,y\n", r"2 data row\(s\); at least 3"),
        ("a,b,label\n1,2,x\n3,5,x\n4,4,x\n", r"need at least two classes"),
        ("a,b,label\n1,2,x\n1,5,y\n1,4,x\n", r"column 'a' has the same value in every row"),
    ],
)
def test_malformed_csv_names_the_problem(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        load_csv(write(tmp_path, text))


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="data file not found"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="is a directory"):
        load_csv(tmp_path)
    not_utf8 = tmp_path / "latin1.csv"
    not_utf8.write_bytes("a,b,label\n1,2,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="cannot read data file"):
        load_csv(not_utf8)


tables = arrays(
    np.float64,
    st.tuples(st.integers(3, 12), st.integers(2, 4)),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=40, deadline=None)
@given(tables)
def test_csv_round_trip_and_split_invert(tmp_path_factory, table):
    table = table + np.arange(table.shape[0])[:, None]  # no constant columns
    labels = ["p" if i % 2 else "q" for i in range(len(table))]
    lines = [",".join(f"f{j}" for j in range(table.shape[1])) + ",kind"]
    lines += [",".join(repr(float(v)) for v in row) + f",{lab}" for row, lab in zip(table, labels)]
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text("\n".join(lines))
    data = load_csv(path)
    assert_array_equal(data.features, table)
    split = lab_split(data)
    x = np.concatenate([split.x_train, split.x_val]).astype(np.float64)
    shuffled = table[split.order]
    restored = x * shuffled.var(axis=0, ddof=1) + shuffled.mean(axis=0)
    assert_allclose(restored, shuffled, rtol=1e-5, atol=1e-5 * np.abs(table).max())
    y = np.concatenate([split.y_train, split.y_val])
    assert [split.classes[i] for i in y] == [labels[i] for i in split.order]
