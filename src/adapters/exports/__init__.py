"""Export storage on the local file system (or a volume the API and the workers share)."""
