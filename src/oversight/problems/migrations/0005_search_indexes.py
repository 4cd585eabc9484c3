"""Trigram indexes for the problem list's search on PostgreSQL (``ProblemQuerySet.search``).

Django's ``icontains`` compiles to ``UPPER(col::text) LIKE UPPER(%s)`` there, so the indexes
are on those same expressions. SQLite has no such index; a plain scan is fine at its sizes.
"""

from django.db import migrations

INDEXES = {
    "problems_problem_title_trgm": "UPPER((title)::text)",
    "problems_problem_description_trgm": "UPPER((description)::text)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON problems_problem "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("problems", "0004_unmerged_reports_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
