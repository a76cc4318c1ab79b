"""Alembic migrations for the hamstride store (run by ``Store.open``)."""
