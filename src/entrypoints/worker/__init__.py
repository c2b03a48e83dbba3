"""The Dramatiq worker: actors that run jobs, the middleware that keeps their status, the outbox relay."""
