"""Pure functions behind every number casspath shows. No Django import here."""
