"""Request-path benchmark of Inkwell on this machine: `scripts/bench` (or `.venv/bin/python -m bench`).

It starts real `inkwell serve` processes on 127.0.0.1 (production or embedded profile) over fresh, seeded
databases, drives them with `wrk`, and prints throughput and latency per request kind, each also as a fraction
of what a bare ASGI app served by the same uvicorn settings does here (the machine's ceiling). A benchmark:
it reports figures and asserts nothing, and no test imports it.

Owners: `__main__` (options), `run` (what runs when), `trees` (commits and their worktrees), `server`
(databases and server processes), `seed` (the dataset), `cases` (what is measured), `wrk` (the load),
`ceiling` (the bare app), `report` (table and JSON), `machine` (facts to judge noise by).
"""
