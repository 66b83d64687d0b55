"""Signed HTTP POSTs to webhook endpoints, with an SSRF guard (docs/webhooks.md).

The host is resolved once; every address it resolves to must be public unless
`WEBHOOKS_ALLOW_PRIVATE_URLS` is on (development and tests), and the request then goes to the
checked address (the `Host` header and TLS name stay the URL's host), so a second DNS answer
cannot point the request somewhere else.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

SIGNATURE_HEADER = "X-Webhook-Signature"
USER_AGENT = "commerce-webhooks/1"
RESPONSE_SNIPPET_BYTES = 512


class UrlRefused(Exception):
    """The URL may not be called (scheme, host, or a private address where those are refused)."""


@dataclass(frozen=True)
class Outcome:
    """What an attempt got: a status code, or an error without one."""

    status: int | None
    error: str = ""
    refused: bool = False  # the URL may not be called: final, no retry

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        """5xx, 408, 429, timeouts and connection errors are retried; other answers are final."""
        if self.refused:
            return False
        if self.status is None:
            return True
        return self.status >= 500 or self.status in (408, 429)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """Return the signature header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def url_check(url: str, *, resolve: bool = True) -> tuple[str, int, list[str]]:
    """Check a webhook URL; return its host, port and (when `resolve`) the addresses to use.

    Raise `UrlRefused` for anything but http(s) with a host, and (unless private addresses are
    allowed) for a host that does not resolve or resolves to any non-public address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UrlRefused("must be an http or https URL")
    host = parts.hostname
    if not host:
        raise UrlRefused("must have a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UrlRefused("has an invalid port") from error
    if not resolve:
        return host, port, []
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UrlRefused(f"host {host} does not resolve") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        private = [address for address in addresses if not _is_public(address)]
        if private:
            raise UrlRefused(f"host {host} resolves to a private address ({private[0]})")
    return host, port, addresses


def post(*, url: str, body: bytes, secret: str, headers: dict[str, str]) -> Outcome:
    """POST a signed body; never follow redirects; give up after `WEBHOOKS_TIMEOUT_SECONDS`."""
    try:
        host, port, addresses = url_check(url)
    except UrlRefused as error:
        return Outcome(status=None, error=f"Refused: url {error}", refused=True)
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    timeout = urllib3.Timeout(total=settings.WEBHOOKS_TIMEOUT_SECONDS)
    default_port = 443 if parts.scheme == "https" else 80
    all_headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret, body, int(time.time())),
        **headers,
    }
    if ":" in host and not all_headers["Host"].startswith("["):
        all_headers["Host"] = f"[{host}]" if port == default_port else f"[{host}]:{port}"
    if parts.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            addresses[0],
            port,
            timeout=timeout,
            retries=False,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(addresses[0], port, timeout=timeout, retries=False)
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=all_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            snippet = response.read(RESPONSE_SNIPPET_BYTES, decode_content=False)
        finally:
            response.release_conn()
    except urllib3.exceptions.NewConnectionError as error:  # (a TimeoutError subclass, too)
        return Outcome(status=None, error=f"Connection failed: {error}")
    except urllib3.exceptions.TimeoutError:
        return Outcome(status=None, error=f"Timed out after {settings.WEBHOOKS_TIMEOUT_SECONDS}s")
    except urllib3.exceptions.HTTPError as error:
        return Outcome(status=None, error=f"Connection failed: {error}")
    finally:
        pool.close()
    if 200 <= response.status < 300:
        return Outcome(status=response.status)
    text = snippet.decode("utf-8", "replace").strip()
    return Outcome(status=response.status, error=f"HTTP {response.status}: {text}".strip(": "))
