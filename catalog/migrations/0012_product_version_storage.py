"""PostgreSQL storage of the product versions: room for in-place updates, one index.

Every write that changes a product's JSON updates its version row (catalog.versions), a batch of
10,000 channel links 10,000 of them. With the table's pages half full (`fillfactor = 50`) an
update stays on its page and, since `version` is in no index, writes no index entry (a HOT
update); and the `varchar_pattern_ops` index Django adds beside a character primary key is
dropped: ids are in the "C" collation, whose primary key index already serves a prefix match,
and nothing queries versions by prefix. Measured in psql on the benchmark's 100,000 products,
the upsert of 10,000 versions: 135 -> 70 ms. Nothing to do on SQLite. Rows written before
this migration stay on full pages until updated; `VACUUM FULL catalog_productversion` (it
cannot run in a migration's transaction) rewrites them at once.
"""

from django.db import migrations

TABLE = "catalog_productversion"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    index = _pattern_index(schema_editor)
    if index:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')
    schema_editor.execute(f'ALTER TABLE "{TABLE}" SET (fillfactor = 50)')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'ALTER TABLE "{TABLE}" RESET (fillfactor)')
    model = apps.get_model("catalog", "ProductVersion")
    field = model._meta.get_field("product")
    statement = schema_editor._create_like_index_sql(model, field)
    if statement is not None:
        schema_editor.execute(statement)


def _pattern_index(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            [TABLE, "%\\_like"],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_listings_version")]

    operations = [migrations.RunPython(forwards, backwards)]
