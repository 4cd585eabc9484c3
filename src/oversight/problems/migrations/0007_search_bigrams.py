"""Bigram indexes for searching two characters on PostgreSQL (``ProblemQuerySet.search``).

Chinese search terms are often two characters (消防, 床位), too short for a trigram index to
serve: pg_trgm would scan every row. ``oversight_bigrams`` gives a text's distinct
upper-cased two-character pieces, and a GIN index over it answers "contains this pair" from
the index. SQLite has no such index; a plain scan is fine at its sizes.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION oversight_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(upper(value), i, 2)), '{}')
    FROM generate_series(1, length(value) - 1) AS i
$$
"""
INDEXES = {
    "problems_problem_title_bigrams": "title",
    "problems_problem_description_bigrams": "description",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON problems_problem "
            f"USING gin (oversight_bigrams(({column})::text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS oversight_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("problems", "0006_linked_problems_and_extensions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
