"""Storage: typed SQLAlchemy models, Alembic migrations, and the repository functions,
one module per aggregate: ``accounts`` (users), ``tips`` (tips shown, tip history),
``checkins`` (check-ins and answers), ``deliveries`` (the nudge outbox), ``privacy``
(export, delete) and ``stats`` (the operator's counts)."""
