"""The CASS app's imports (found by the registry on first use): `cass` (the whole map as
one workbook, workbook.py) and `qa-cards` (a map's Q&A cards, cards.py)."""

from casspath.cass.importers import cards, workbook  # noqa: F401 (each registers its importer)
