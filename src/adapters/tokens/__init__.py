"""Token adapters: the JWT codec and the Redis token store."""
