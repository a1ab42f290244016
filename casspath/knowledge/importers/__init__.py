"""The knowledge app's imports (found by the registry on first use): `products`, the product
map as one workbook (sheets.py: its sheets and columns, both ways; products.py: the plan,
the write and the importer)."""

from casspath.knowledge.importers import products  # noqa: F401 (registers its importer)
