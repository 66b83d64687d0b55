"""PostgreSQL: this app's id columns and foreign keys to ids in the "C" collation (issue 7).

See commerce.db.collation and PrefixedIdField.db_parameters.
"""

from django.db import migrations

from commerce.db.collation import ids_to_c_collation


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [ids_to_c_collation("orders")]
