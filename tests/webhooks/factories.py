from webhooks import services


def webhook(url, events=("sales_channel.created",), **kwargs):
    """Subscribe through the service (it makes the secret and checks the URL)."""
    return services.webhook_create(url=url, events=list(events), **kwargs)
