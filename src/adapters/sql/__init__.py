"""SQL adapters: SQLAlchemy 2 async on PostgreSQL (psycopg 3) and SQLite (aiosqlite)."""
