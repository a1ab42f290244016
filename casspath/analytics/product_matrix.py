"""The product matrix (产品矩阵): products × industries (or × customer sizes), each cell the
number of published cases in which that product sold to that industry.

Input: (case, product, column) triples, one for each product a case is tagged with and each
column value (industry, customer size) it carries. A case tagged with two industries counts
once in each of their cells. Totals count distinct cases, never cell sums:
  cell(p, c)      = |{case : (case, p, c) given}|
  row_total(p)    = |{case : (case, p, c) given for some c among the columns}|
  column_total(c) = |{case : (case, p, c) given for some p among the rows}|
  total           = |{case : in some cell}|
  share(p, c)     = cell(p, c) / row_total(p), 0 when the row is empty
Triples naming a row or column not asked for are left out.
Example: case 1 (P1; I1, I2), case 2 (P1, P2; I1) → cells P1: I1 2, I2 1; P2: I1 1;
row totals P1 2, P2 1; column totals I1 2, I2 1; total 2.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Matrix:
    rows: list[Hashable]
    columns: list[Hashable]
    cells: list[list[int]]  # cells[i][j]: rows[i] × columns[j]
    shares: list[list[float]]
    row_totals: list[int]
    column_totals: list[int]
    total: int


def product_matrix(
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    triples: Iterable[tuple[Hashable, Hashable, Hashable]],
) -> Matrix:
    """The matrix of `rows` (product keys) × `columns` (industry or size keys) from
    (case, row, column) triples; see the module's rule."""
    row_index = {key: i for i, key in enumerate(rows)}
    column_index = {key: j for j, key in enumerate(columns)}
    if len(row_index) != len(rows) or len(column_index) != len(columns):
        raise ValueError("rows and columns must not repeat a key")
    cell_cases: dict[tuple[int, int], set] = {}
    row_cases: dict[int, set] = {}
    column_cases: dict[int, set] = {}
    all_cases: set = set()
    for case, row, column in triples:
        i, j = row_index.get(row), column_index.get(column)
        if i is None or j is None:
            continue
        cell_cases.setdefault((i, j), set()).add(case)
        row_cases.setdefault(i, set()).add(case)
        column_cases.setdefault(j, set()).add(case)
        all_cases.add(case)
    cells = [[len(cell_cases.get((i, j), ())) for j in range(len(columns))] for i in range(len(rows))]
    row_totals = [len(row_cases.get(i, ())) for i in range(len(rows))]
    shares = [[cell / row_totals[i] if row_totals[i] else 0.0 for cell in cells[i]] for i in range(len(rows))]
    return Matrix(
        rows=list(rows),
        columns=list(columns),
        cells=cells,
        shares=shares,
        row_totals=row_totals,
        column_totals=[len(column_cases.get(j, ())) for j in range(len(columns))],
        total=len(all_cases),
    )
