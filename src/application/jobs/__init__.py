"""Jobs: what each kind is, what causes it, and how one runs from claim to outcome."""
