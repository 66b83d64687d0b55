"""Reference data every store needs: common currencies and the built-in `manual` payment provider."""

from django.db import migrations

CURRENCIES = [
    ("usd", "$", "$", "US Dollar"),
    ("eur", "€", "€", "Euro"),
    ("gbp", "£", "£", "British Pound Sterling"),
    ("dkk", "Dkr", "kr", "Danish Krone"),
    ("sek", "Skr", "kr", "Swedish Krona"),
    ("nok", "Nkr", "kr", "Norwegian Krone"),
    ("chf", "CHF", "CHF", "Swiss Franc"),
    ("pln", "zł", "zł", "Polish Zloty"),
    ("czk", "Kč", "Kč", "Czech Republic Koruna"),
    ("cad", "CA$", "$", "Canadian Dollar"),
    ("aud", "AU$", "$", "Australian Dollar"),
    ("nzd", "NZ$", "$", "New Zealand Dollar"),
    ("jpy", "¥", "￥", "Japanese Yen"),
    ("cny", "CN¥", "CN¥", "Chinese Yuan"),
    ("inr", "Rs", "₹", "Indian Rupee"),
    ("brl", "R$", "R$", "Brazilian Real"),
    ("mxn", "MX$", "$", "Mexican Peso"),
    ("zar", "R", "R", "South African Rand"),
    ("sgd", "S$", "$", "Singapore Dollar"),
    ("hkd", "HK$", "$", "Hong Kong Dollar"),
    ("krw", "₩", "₩", "South Korean Won"),
    ("try", "TL", "TL", "Turkish Lira"),
    ("aed", "AED", "د.إ.‏", "United Arab Emirates Dirham"),
    ("ils", "₪", "₪", "Israeli New Sheqel"),
]


def forwards(apps, schema_editor):
    Currency = apps.get_model("commerce", "Currency")
    PaymentProvider = apps.get_model("commerce", "PaymentProvider")
    existing = set(Currency.objects.values_list("code", flat=True))
    Currency.objects.bulk_create(
        [
            Currency(code=code, symbol=symbol, symbol_native=native, name=name)
            for code, symbol, native, name in CURRENCIES
            if code not in existing
        ]
    )
    PaymentProvider.objects.get_or_create(id="manual", defaults={"is_installed": True})


def backwards(apps, schema_editor):
    # Currencies and the provider may be referenced by stores and regions; leave them.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0002_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
