"""Domain rules in plain Python: no Django import anywhere in this package."""
