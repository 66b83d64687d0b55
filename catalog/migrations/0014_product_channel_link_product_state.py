"""Channel links copy their product's state (issue 23): `product_published`, `product_deleted`.

Added with a one-off default, filled from the products in one statement, and carried in the
links' (channel, product_created_at, product) index, so a channel's store count and walk read
that index alone. The two product indexes they replace (the unlisted and the deleted products,
read by the anti-joins of those counts) go.
"""

from django.db import migrations, models

import catalog.models

_BACKFILL = (
    "UPDATE catalog_productsaleschannel SET "
    "product_published = (SELECT p.status = 'published' FROM catalog_product p "
    "WHERE p.id = catalog_productsaleschannel.product_id), "
    "product_deleted = (SELECT p.deleted_at IS NOT NULL FROM catalog_product p "
    "WHERE p.id = catalog_productsaleschannel.product_id)"
)


def _state_field() -> models.Field:
    return catalog.models.ProductStateField(default=False, editable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_channel_scheduled_index"),
        ("saleschannels", "0004_staff_channel_scope"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="product", name="product_unlisted_idx"),
        migrations.RemoveIndex(model_name="product", name="product_deleted_idx"),
        migrations.RemoveIndex(model_name="productsaleschannel", name="product_channel_newest_idx"),
        migrations.AddField(
            model_name="productsaleschannel",
            name="product_published",
            field=_state_field(),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="productsaleschannel",
            name="product_deleted",
            field=_state_field(),
            preserve_default=False,
        ),
        migrations.RunSQL(_BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="productsaleschannel",
            name="product_published",
            field=catalog.models.ProductStateField(default=None, editable=False),
        ),
        migrations.AlterField(
            model_name="productsaleschannel",
            name="product_deleted",
            field=catalog.models.ProductStateField(default=None, editable=False),
        ),
        migrations.AddIndex(
            model_name="productsaleschannel",
            index=models.Index(
                fields=["sales_channel", "-product_created_at", "-product"],
                include=(
                    "is_published",
                    "published_at",
                    "visible_in_listings",
                    "product_published",
                    "product_deleted",
                ),
                name="product_channel_newest_idx",
            ),
        ),
    ]
