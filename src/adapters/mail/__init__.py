"""Mail adapters: the templates and their composer, an SMTP transport and a file outbox."""
