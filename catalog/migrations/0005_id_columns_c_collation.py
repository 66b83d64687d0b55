"""PostgreSQL: this app's id columns and foreign keys to ids in the "C" collation (issue 7).

See commerce.db.collation and PrefixedIdField.db_parameters.
"""

from django.db import migrations

from commerce.db.collation import ids_to_c_collation


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_product_channel_link_single_indexes_dropped")]

    operations = [ids_to_c_collation("catalog")]
