"""A channel's listed and live product counts, kept by PostgreSQL (issue 23).

`catalog_channelproductcount` holds changes to each channel's counts; statement triggers on
`catalog_productsaleschannel` add them, one row per channel and statement, from the statement's
transition tables, so every way links are written is counted (the services, Django's cascades,
raw SQL). Rows are only inserted: two writers of one channel's links never wait on each other
for a counter. The table is filled from the existing links here. TRUNCATE is not counted: the
links are only truncated with every table (a test database's flush), this one included.
On SQLite there are no triggers and the table stays empty; the counts read the links there.
"""

import django.db.models.deletion
from django.db import migrations, models

LINKS = "catalog_productsaleschannel"
COUNTS = "catalog_channelproductcount"
# A link a store lists at some moment (catalog.listings.link_condition without its moment),
# and a link to a product not deleted. The same conditions as the selectors' (a parity test
# compares the kept counts with the links counted after every kind of write).
LISTED = "is_published AND visible_in_listings AND product_published AND NOT product_deleted"
LIVE = "NOT product_deleted"

FUNCTION = f"""
CREATE FUNCTION catalog_channel_counts_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {COUNTS} (sales_channel_id, listed, live)
        SELECT sales_channel_id, count(*) FILTER (WHERE {LISTED}), count(*) FILTER (WHERE {LIVE})
        FROM new_links GROUP BY sales_channel_id
        HAVING count(*) FILTER (WHERE {LISTED}) <> 0 OR count(*) FILTER (WHERE {LIVE}) <> 0;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {COUNTS} (sales_channel_id, listed, live)
        SELECT sales_channel_id, -count(*) FILTER (WHERE {LISTED}), -count(*) FILTER (WHERE {LIVE})
        FROM old_links GROUP BY sales_channel_id
        HAVING count(*) FILTER (WHERE {LISTED}) <> 0 OR count(*) FILTER (WHERE {LIVE}) <> 0;
    ELSE
        INSERT INTO {COUNTS} (sales_channel_id, listed, live)
        SELECT sales_channel_id, sum(listed), sum(live) FROM (
            SELECT sales_channel_id, ({LISTED})::int AS listed, ({LIVE})::int AS live
            FROM new_links
            UNION ALL
            SELECT sales_channel_id, -({LISTED})::int, -({LIVE})::int FROM old_links
        ) AS changes
        GROUP BY sales_channel_id HAVING sum(listed) <> 0 OR sum(live) <> 0;
    END IF;
    RETURN NULL;
END
$$
"""
# PostgreSQL allows transition tables on a trigger of one event only: three triggers, one function.
TRIGGERS = [
    f"CREATE TRIGGER catalog_links_counted_insert AFTER INSERT ON {LINKS} "
    "REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalog_channel_counts_kept()",
    f"CREATE TRIGGER catalog_links_counted_update AFTER UPDATE ON {LINKS} "
    "REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalog_channel_counts_kept()",
    f"CREATE TRIGGER catalog_links_counted_delete AFTER DELETE ON {LINKS} "
    "REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT "
    "EXECUTE FUNCTION catalog_channel_counts_kept()",
]
FILL = (
    f"INSERT INTO {COUNTS} (sales_channel_id, listed, live) "  # noqa: S608  (constants above)
    f"SELECT sales_channel_id, count(*) FILTER (WHERE {LISTED}), count(*) FILTER (WHERE {LIVE}) "
    f"FROM {LINKS} GROUP BY sales_channel_id"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for trigger in TRIGGERS:
        schema_editor.execute(trigger)
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS catalog_links_counted_{event} ON {LINKS}")
    schema_editor.execute("DROP FUNCTION IF EXISTS catalog_channel_counts_kept()")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0014_product_channel_link_product_state"),
        ("saleschannels", "0004_staff_channel_scope"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChannelProductCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("listed", models.BigIntegerField()),
                ("live", models.BigIntegerField()),
                (
                    "sales_channel",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="saleschannels.saleschannel",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["sales_channel"],
                        include=("listed", "live"),
                        name="channel_count_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
