"""Storage: typed SQLAlchemy models, repository functions and Alembic migrations."""
