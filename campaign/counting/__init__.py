"""Counting letters without keeping people: the storage (SQLite or PostgreSQL), the signed
single-use tokens, the rate limit, and counting one action."""
