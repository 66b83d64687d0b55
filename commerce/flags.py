"""Feature flags (design §6): environment first, then settings.FEATURE_FLAGS, then the default."""

import os

from django.conf import settings

SALES_CHANNELS = "sales_channels"
PUBLISHABLE_API_KEYS = "publishable_api_keys"

DEFAULTS = {SALES_CHANNELS: True, PUBLISHABLE_API_KEYS: True}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _from_environment(flag: str) -> bool | None:
    for name in (f"FF_{flag.upper()}", f"MEDUSA_FF_{flag.upper()}"):
        raw = os.environ.get(name)
        if raw is None:
            continue
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(f"{name} must be true or false, got {raw!r}")
    return None


def is_enabled(flag: str) -> bool:
    """Return whether a feature flag is on. Unknown flags are a programming error."""
    if flag not in DEFAULTS:
        raise KeyError(f"unknown feature flag {flag!r}")
    from_env = _from_environment(flag)
    if from_env is not None:
        return from_env
    configured = getattr(settings, "FEATURE_FLAGS", {})
    return bool(configured.get(flag, DEFAULTS[flag]))


def sales_channels_enabled() -> bool:
    """Return whether the sales channels feature is on."""
    return is_enabled(SALES_CHANNELS)


def publishable_api_keys_enabled() -> bool:
    """Return whether publishable API keys are honoured."""
    return is_enabled(PUBLISHABLE_API_KEYS)
