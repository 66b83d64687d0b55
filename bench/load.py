"""A small, bounded HTTP load generator for loopback benchmarks: threads and http.client.

Each case runs `concurrency` threads, each with its own connection, sending requests back to
back (a closed loop: a thread sends its next request when the previous answer is read) until a
time limit or a request limit is reached, whichever comes first. Nothing runs forever and
nothing leaves the machine: the host must be a loopback address.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any = None  # JSON-encoded when not None
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200


# (worker index, sequence number within the case) -> the request to send
RequestFactory = Callable[[int, int], Request]


@dataclass
class CaseResult:
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    first_error: str | None = None

    def percentile(self, p: float) -> float | None:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
        return ordered[rank - 1]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "p50_ms": rounded(self.percentile(50)),
            "p95_ms": rounded(self.percentile(95)),
            "p99_ms": rounded(self.percentile(99)),
            "throughput_rps": round(self.throughput, 1),
            **({"first_error": self.first_error} if self.first_error else {}),
        }


class Client:
    """One keep-alive connection (reopened when the server closes it, as gunicorn's sync workers do)."""

    def __init__(self, host: str, port: int, timeout: float = 60.0) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"the load generator only talks to loopback, not {host!r}")
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def send(self, request: Request) -> tuple[int, bytes]:
        body = None
        headers = {"Accept": "application/json", **request.headers}
        if request.body is not None:
            body = json.dumps(request.body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(request.method, request.path, body=body, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # a stale keep-alive socket: retry once on a fresh one
            self.connection.request(request.method, request.path, body=body, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        if response.will_close:
            self.connection.close()
        return response.status, payload

    def close(self) -> None:
        self.connection.close()


def run_case(
    *,
    host: str,
    port: int,
    factory: RequestFactory,
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> CaseResult:
    """Send requests from `concurrency` threads until `seconds` pass or `max_requests` are sent."""
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors = 0
    first_error: list[str] = []
    deadline = time.perf_counter() + seconds

    def next_sequence() -> int | None:
        nonlocal issued
        with lock:
            if issued >= max_requests or time.perf_counter() >= deadline:
                return None
            issued += 1
            return issued - 1

    def worker(index: int) -> None:
        nonlocal errors
        client = Client(host, port)
        mine: list[float] = []
        try:
            while (sequence := next_sequence()) is not None:
                request = factory(index, sequence)
                started = time.perf_counter()
                try:
                    status, payload = client.send(request)
                except (http.client.HTTPException, OSError) as exc:
                    status, payload = -1, str(exc).encode()
                elapsed = (time.perf_counter() - started) * 1000
                if status == request.expect:
                    mine.append(elapsed)
                else:
                    with lock:
                        errors += 1
                        if not first_error:
                            first_error.append(
                                f"{request.method} {request.path} -> {status}: {payload[:300]!r}"
                            )
        finally:
            client.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return CaseResult(
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        seconds=elapsed,
        latencies_ms=latencies,
        first_error=first_error[0] if first_error else None,
    )
