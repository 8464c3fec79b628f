"""The Iris data, prepared the two ways the lab uses it, and loading a user's own CSV.

The bundled file ``lab2/data/iris.csv`` holds the 150 rows of the Iris data set as the UCI
machine-learning repository distributes it (``iris.data``), with a header row added. The UCI
copy differs from Fisher's 1936 paper in two rows (1-based):

* row 35 is ``4.9,3.1,1.5,0.1`` (Fisher: ``4.9,3.1,1.5,0.2``),
* row 38 is ``4.9,3.1,1.5,0.1`` (Fisher: ``4.9,3.6,1.4,0.1``).

We keep the UCI values because the lab reads the UCI file. (Copies that follow the paper, such as
scikit-learn's, give a different rank-2 SVD loss.) Nothing is downloaded at run time.

Part 1 of the lab uses all rows, centred (:func:`centred`). Part 2 shuffles and splits them
(:func:`lab_split`) exactly as the lab's pandas recipe does.
"""

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BUNDLED = Path(__file__).with_name("data") / "iris.csv"


class DataError(ValueError):
    """A data file that is missing, unreadable or malformed."""


@dataclass(frozen=True)
class Dataset:
    """Rows of numeric features with one label each."""

    features: np.ndarray  # (rows, columns) float64
    labels: tuple  # one string per row
    feature_names: tuple
    label_name: str
    source: str  # where the data came from, for reports

    @property
    def classes(self):
        """Distinct labels in order of first appearance in the file."""
        return tuple(dict.fromkeys(self.labels))


@dataclass(frozen=True)
class Split:
    """The lab's shuffled, normalised train/validation split (float32 features, int64 labels)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes: tuple  # class names; label i is classes[i]
    order: np.ndarray  # the shuffle: row order[i] of the file is row i of the split


def load_csv(path=None):
    """Read a CSV with a header row, numeric feature columns and a final label column.

    ``path=None`` reads the bundled Iris file. Raises :class:`DataError` naming the row and
    column of the first problem. Rows are counted from 1, not counting the header; blank lines
    are ignored.
    """
    path = BUNDLED if path is None else Path(path)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            lines = [(n, r) for n, r in enumerate(csv.reader(f), start=1) if r]
    except FileNotFoundError:
        raise DataError(f"data file not found: {path}") from None
    except IsADirectoryError:
        raise DataError(f"data file is a directory, not a CSV file: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DataError(f"cannot read data file {path}: {e}") from None
    if not lines:
        raise DataError(f"{path} is empty: expected a header row, then data rows")
    header = [h.strip() for h in lines[0][1]]
    if len(header) < 3:
        raise DataError(
            f"{path}: the header has {len(header)} column(s); expected at least two numeric "
            "feature columns followed by a label column"
        )
    if all(_is_number(h) for h in header[:-1]):
        raise DataError(
            f"{path}: line {lines[0][0]} looks like data, not a header; add a header row "
            "naming the columns"
        )
    features, labels = [], []
    for row_number, (line, fields) in enumerate(lines[1:], start=1):
        where = f"{path}: row {row_number} (line {line})"
        if len(fields) != len(header):
            raise DataError(
                f"{where} has {len(fields)} fields, expected {len(header)} as in the header"
            )
        values = []
        for column, (name, text) in enumerate(zip(header[:-1], fields[:-1]), start=1):
            if not _is_number(text):
                raise DataError(
                    f"{where}, column {column} ({name!r}): expected a finite number, got {text!r}"
                )
            values.append(float(text))
        label = fields[-1].strip()
        if not label:
            raise DataError(f"{where}, column {len(header)} ({header[-1]!r}): the label is empty")
        features.append(values)
        labels.append(label)
    data = Dataset(
        np.array(features, dtype=np.float64).reshape(len(labels), len(header) - 1),
        tuple(labels),
        tuple(header[:-1]),
        header[-1],
        str(path),
    )
    _check_usable(data, path)
    return data


def _is_number(text):
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _check_usable(data, path):
    """Reject data the experiments cannot use, with the reason."""
    rows = len(data.labels)
    if rows < 3:
        raise DataError(f"{path}: {rows} data row(s); at least 3 are needed to train and validate")
    if len(data.classes) < 2:
        raise DataError(
            f"{path}: every row has the label {data.classes[0]!r}; need at least two classes"
        )
    constant = [n for n, col in zip(data.feature_names, data.features.T) if np.ptp(col) == 0]
    if constant:
        raise DataError(
            f"{path}: column {constant[0]!r} has the same value in every row; it cannot be "
            "normalised (its variance is zero), remove it"
        )


def centred(data):
    """Part 1's matrix: every row, feature columns minus their means, float64."""
    return data.features - data.features.mean(axis=0)


def lab_split(data):
    """Part 2's split, as the lab prepares it with pandas.

    1. Shuffle the rows as ``DataFrame.sample(frac=1, random_state=0)`` does, which is
       ``numpy.random.RandomState(0).permutation(rows)``.
    2. Number the labels in order of first appearance after the shuffle.
    3. Normalise every feature as ``(x - mean) / var`` over all rows, where ``var`` is the
       unbiased variance. The lab divides by the variance, not the standard deviation; we keep
       that. (We compute in float64 and round to float32; the lab computes in float32, which
       differs in the last bit or so.)
    4. The first two thirds of the rows train (100 of Iris's 150), the rest validate.
    """
    rows = len(data.labels)
    order = np.random.RandomState(0).permutation(rows)
    labels = [data.labels[i] for i in order]
    number = {label: i for i, label in enumerate(dict.fromkeys(labels))}
    y = np.array([number[label] for label in labels], dtype=np.int64)
    x = data.features[order]
    x = ((x - x.mean(axis=0)) / x.var(axis=0, ddof=1)).astype(np.float32)
    n_train = round(rows * 2 / 3)
    return Split(x[:n_train], y[:n_train], x[n_train:], y[n_train:], tuple(number), order)
