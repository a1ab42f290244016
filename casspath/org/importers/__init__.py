"""The org app's imports. The import registry discovers this package (`autodiscover_modules`);
importing the modules registers their importers, units before roster (the order pages list them)."""

# isort: off
from casspath.org.importers import units  # noqa: F401 (registers the importer)
from casspath.org.importers import roster  # noqa: F401 (registers the importer)
# isort: on
