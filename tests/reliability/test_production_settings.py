"""Production settings: secrets only from the environment, DEBUG off, secure cookies, `check --deploy` clean.

Each test starts a fresh interpreter with a clean environment (only PATH and the variables named
here), exactly as a deployment would load `config.settings.production`.
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

REQUIRED_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "shop.example.com",
    "DATABASE_URL": "postgres://shop@db.example.com:5432/shop",  # never connected to here
}

SHOW_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
)}))
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_production_settings_pass_check_deploy_with_only_the_required_environment():
    result = _check_deploy(REQUIRED_ENV)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_production_settings_take_secrets_from_the_environment_and_secure_cookies():
    # when: even an environment asking for DEBUG gets none
    result = _run(["-c", SHOW_SETTINGS], {**REQUIRED_ENV, "DJANGO_DEBUG": "true"})

    # then
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SECRET_KEY": REQUIRED_ENV["DJANGO_SECRET_KEY"],
        "ALLOWED_HOSTS": ["shop.example.com"],
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 60,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
    }


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_fail_fast_without_a_required_variable(missing):
    env = {name: value for name, value in REQUIRED_ENV.items() if name != missing}

    result = _check_deploy(env)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: Set the {missing} environment variable"
    )


def test_a_weak_secret_key_fails_check_deploy():
    result = _check_deploy({**REQUIRED_ENV, "DJANGO_SECRET_KEY": "not-secret"})

    assert result.returncode == 1
    assert "(security.W009) Your SECRET_KEY has less than 50 characters" in result.stderr
