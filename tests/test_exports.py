import csv
import io

from messages.core.exports import csv_bytes, safe_cell


def test_formula_cells_are_neutralised():
    for dangerous in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("Police visit") == "Police visit"
    assert safe_cell(None) == ""


def test_csv_round_trips_with_neutralised_cells():
    data = csv_bytes(("a", "b"), [("=cmd()", "plain"), ("x", "@y")])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["a", "b"], ["'=cmd()", "plain"], ["x", "'@y"]]
