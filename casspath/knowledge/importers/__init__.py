"""The knowledge app's imports (found by the registry on first use): `process`, the process
map as one sheet (process.py); `products`, the product map as one workbook (sheets.py: its
sheets and columns, both ways; products.py: the plan, the write and the importer); `cases`,
a case collection (cases.py)."""

from casspath.knowledge.importers import cases, process, products  # noqa: F401 (registers their importers)
