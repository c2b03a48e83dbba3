"""Schemathesis's configuration and hooks for `scripts/schemathesis`."""
