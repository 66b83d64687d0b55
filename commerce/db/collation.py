"""Convert existing id and foreign-key-to-id columns to the "C" collation on PostgreSQL.

`PrefixedIdField.db_parameters` gives new columns the collation; a database migrated before
that still has the locale's on its id columns. Each app's migration runs `ids_to_c_collation`
for its own tables: the ids and the foreign keys to ids, auto-created many-to-many tables
included. Changing only the collation rewrites no table, only the indexes on those columns.
Idempotent; a no-op on other databases and where the collation is already "C".
Speed layer: docs/speed-layer.md "Ids in the `"C"` collation".
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _id_columns(model: Any, id_field_class: type) -> list[tuple[str, Any]]:
    columns = []
    for field in model._meta.local_concrete_fields:
        target = field.target_field if field.is_relation else field
        if isinstance(target, id_field_class):
            columns.append((field.column, field))
    return columns


def ids_to_c_collation(app_label: str) -> migrations.RunPython:
    """Return the migration operation for `app_label`'s tables (reversible as a no-op)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        from commerce.models import ID_COLLATION, PrefixedIdField

        quote = schema_editor.quote_name
        config = apps.get_app_config(app_label)
        for model in config.get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy:
                continue
            table = model._meta.db_table
            for column, field in _id_columns(model, PrefixedIdField):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT collation_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = %s "
                        "AND column_name = %s",
                        [table, column],
                    )
                    row = cursor.fetchone()
                if row is None or row[0] == ID_COLLATION:
                    continue
                schema_editor.execute(
                    f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} "
                    f"TYPE {field.db_type(connection)} COLLATE {quote(ID_COLLATION)}"
                )

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
