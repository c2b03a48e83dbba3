"""Driving side and composition root: the HTTP app, the CLI and the container that wires them."""
