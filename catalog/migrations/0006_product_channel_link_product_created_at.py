"""Channel links carry their product's `created_at`, indexed in the store list's order (issue 7).

Added nullable, filled from the products in one statement, then made NOT NULL; the
(channel, product) index gives way to (channel, product_created_at DESC, product DESC),
which serves the same lookups by channel and the store list's order.
"""

from django.db import migrations, models

import catalog.models

_BACKFILL = (
    "UPDATE catalog_productsaleschannel SET product_created_at = ("
    "SELECT p.created_at FROM catalog_product p "
    "WHERE p.id = catalog_productsaleschannel.product_id) "
    "WHERE product_created_at IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_id_columns_c_collation"),
        ("saleschannels", "0002_id_columns_c_collation"),
    ]

    operations = [
        migrations.AddField(
            model_name="productsaleschannel",
            name="product_created_at",
            field=catalog.models.ProductCreatedAtField(editable=False, null=True),
        ),
        migrations.RunSQL(_BACKFILL, reverse_sql=migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="productsaleschannel",
            name="product_created_at",
            field=catalog.models.ProductCreatedAtField(editable=False),
        ),
        migrations.RemoveIndex(
            model_name="productsaleschannel",
            name="product_channel_by_channel_idx",
        ),
        migrations.AddIndex(
            model_name="productsaleschannel",
            index=models.Index(
                fields=["sales_channel", "-product_created_at", "-product"],
                name="product_channel_newest_idx",
            ),
        ),
    ]
