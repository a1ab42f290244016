"""Every write of the CASS map and its resources: maps.py (the map, work items, key actions
and their skills), resources.py (learning resources and their status), media.py (a
resource's uploaded video or audio and poster, and a learner's progress in it)."""
