"""The CASS app's pages, a module per concept: maps.py (the map and its editing),
resources.py (the library, a resource's page and player), cards.py (Q&A cards),
learning_map.py (the learning map). Each view: parse, access, act, render."""
