"""The Huey instance (configured by settings.HUEY: SQLite storage, or Redis with REDIS_URL)."""

from huey.contrib.djhuey import HUEY as huey

__all__ = ["huey"]
