"""Gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Everything can be overridden from the environment (or on the command line, which wins):

- `WEB_CONCURRENCY`: worker processes. Default `2 x cores + 1` (gunicorn's own advice): a
  request spends part of its time waiting on PostgreSQL, so a core can serve more than one
  worker. Measured on the 2-core benchmark machine, where PostgreSQL and the load generator
  share the cores: 3, 5 and 9 workers gave the same throughput at concurrency 8 within the
  noise (store product list 21 / 19 / 21 req/s, admin order list 33 / 28 / 27, cart create
  75 / 72 / 65), fewer workers with slightly shorter tails. See docs/benchmarks.md.
- `GUNICORN_BIND` (or `PORT`): the address, default `127.0.0.1:8000`. Put a reverse proxy or load
  balancer in front; the app trusts `X-Forwarded-Proto` only through `SECURE_PROXY_SSL_HEADER`.
- `GUNICORN_TIMEOUT`: seconds before a stuck worker is killed and replaced, default 30: past the
  database's `statement_timeout` (15 s, config/settings/base.py), so a slow statement ends as a
  503 from the app before the worker is killed (which the proxy answers 503 as well).
- `GUNICORN_BACKLOG`: connections the kernel queues for the workers, default 64. The proxy in
  front (deploy/nginx.conf) hands gunicorn at most `max_conns` requests at once and answers the
  rest 503 at once; a deep backlog would only hide overload as latency (at concurrency 128
  without the proxy, requests waited seconds in the kernel: docs/reliability.md, "Faults").
- `GUNICORN_MAX_REQUESTS`: recycle a worker after this many requests (0 = never), with a random
  jitter so the workers do not restart together. Default 10,000: a ceiling on slow memory growth.
- `GUNICORN_WORKER_CLASS`: `sync` (the default: the model the benchmarks measured), `gthread`
  (each worker serves `GUNICORN_THREADS` requests at once, default 4, one database connection
  per thread), or `uvicorn_worker.UvicornWorker` (an ASGI event loop per worker: the app is then
  served through config/asgi.py; needs the `uvicorn-worker` package, in the dev dependencies;
  `uvicorn.workers.UvicornWorker`, uvicorn's deprecated copy of it, is accepted too). For
  comparing the models (`make bench` records the class it ran with; docs/deployment.md §3).
"""

from __future__ import annotations

import gc
import os

import environ

env = environ.Env()

bind = env("GUNICORN_BIND", default=f"127.0.0.1:{env.int('PORT', default=8000)}")
workers = env.int("WEB_CONCURRENCY", default=2 * (os.cpu_count() or 1) + 1)
# Synchronous workers by default: one request at a time per process, no thread switching in
# Python. The app is CPU-bound between short database calls, which is what this model serves best.
worker_class = env("GUNICORN_WORKER_CLASS", default="sync")
threads = env.int("GUNICORN_THREADS", default=4) if worker_class == "gthread" else 1
# An ASGI worker (uvicorn's) is handed config/asgi.py's application; every other class the WSGI one.
wsgi_app = "config.asgi:application" if "Uvicorn" in worker_class else "config.wsgi:application"
timeout = env.int("GUNICORN_TIMEOUT", default=30)
backlog = env.int("GUNICORN_BACKLOG", default=64)
# On SIGTERM (a deploy), a worker finishes its request within this; statement_timeout bounds it.
graceful_timeout = 30
# Sync workers close the connection after each answer; nginx opens one per request (it holds the
# clients' keep-alive connections itself), so this only matters for the other worker classes.
keepalive = 2
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=10_000)
max_requests_jitter = max_requests // 10
# Import the app once in the master, then fork: the workers share its memory pages (copy on
# write) and start in milliseconds. Database connections are opened lazily, after the fork.
preload_app = True
accesslog = env("GUNICORN_ACCESS_LOG", default=None)  # "-" for stdout
errorlog = "-"
# gunicorn 24+ opens a control socket at one fixed path per user (~/.gunicorn/gunicorn.ctl), which
# two instances on one machine would fight over; nothing here uses it.
control_socket_disable = True
loglevel = env("GUNICORN_LOG_LEVEL", default="info")


def when_ready(server):
    """Import the URLconf (views, serializers, filters) in the master before it forks.

    Django imports them lazily on the first request; done here once, every worker shares them
    (copy on write) instead of importing its own copy, and no first request pays for it. No
    database connection is opened by this.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the access is the import)
    # Everything loaded so far lives as long as the process: keep it out of the workers' garbage
    # collections (and off their copy-on-write pages). Measured in process on the product list:
    # GC time per request 11 -> 7 ms, slowest of 30 requests 200 -> 150 ms.
    gc.collect()
    gc.freeze()
