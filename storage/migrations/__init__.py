"""Alembic migrations for nextstep's schema (run with ``nextstep db upgrade``)."""
