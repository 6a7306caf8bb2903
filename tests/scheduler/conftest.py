"""Scheduler tests run on SQLite and on PostgreSQL."""

import pytest


@pytest.fixture
def db_url(any_db_url: str) -> str:
    return any_db_url
