"""The knowledge app's demo content as pure data: the case library's stories (cases.py)."""
