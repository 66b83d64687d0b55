"""Django's PostgreSQL backend with psycopg's compiled timestamp loader (see `base`)."""
