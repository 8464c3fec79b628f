"""``python -m benchmarks.revisions``: a smoke run on HEAD and its error for an unknown rev."""

import subprocess

import pytest

from benchmarks import revisions

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "-C", str(revisions.ROOT), "rev-parse", "HEAD"],
                   capture_output=True, check=False).returncode != 0,
    reason="needs the project's git history")


def test_times_the_engine_of_a_revision(capsys):
    revisions.main(["HEAD", "HEAD", "--rounds", "1", "--epochs", "3",
                    "--workloads", "lab_factorisation"])
    rows = [line for line in capsys.readouterr().out.splitlines() if "lab_factorisation" in line]
    assert len(rows) == 2 and rows[0].endswith("| 1.000 |")


def test_times_configurations_named_by_a_piece_of_their_names(capsys):
    revisions.main(["HEAD", "HEAD", "--rounds", "1",
                    "--workloads", "per-op overhead: add,overhead: sum"])
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| w5")]
    assert [row.split(" | ")[0] for row in rows] == ["| w5 per-op overhead: add"] * 2 + [
        "| w5 per-op overhead: sum"] * 2, rows
    assert rows[0].endswith("| 1.000 |")
    with pytest.raises(SystemExit, match="no workload or configuration matches 'no such'"):
        revisions.main(["HEAD", "--rounds", "1", "--workloads", "no such"])


def test_an_unknown_revision_is_named():
    with pytest.raises(SystemExit, match="cannot read tinyad/ at 'no-such-rev'"):
        revisions.main(["no-such-rev", "--rounds", "1"])
