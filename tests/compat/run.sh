#!/usr/bin/env bash
# Compatibility suite: drive the real @medusajs/medusa-js client against this server.
#
# Creates a fresh database (a SQLite file in a temporary directory; with DATABASE_URL set, a new
# PostgreSQL database on that server, dropped afterwards), migrates it, loads data/seed.json, issues
# an admin API token, serves the app with gunicorn on a free loopback port, waits for /health, runs
# `node --test` against http://127.0.0.1:PORT/api and always stops the server.
#
# Needs the project's .venv (`make install`) and the Node packages (`npm ci --legacy-peer-deps` in
# tests/compat); `make test-compat` does both.
#
# Without arguments it runs every tests/compat/*.test.js, each file against a server and database
# of its own (files assume the freshly seeded shop: one file's orders must not show in another's
# counts), one after the other, and fails if any file fails. Arguments are test files run
# together against one server (`run.sh storefront-checkout.test.js`).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"

if [[ $# -eq 0 ]]; then
  shopt -s nullglob
  files=("$here"/*.test.js)
  [[ ${#files[@]} -gt 0 ]] || { printf '[compat] no tests/compat/*.test.js\n' >&2; exit 2; }
  failed=()
  for file in "${files[@]}"; do
    printf '[compat] ==== %s ====\n' "$(basename "$file")" >&2
    "$0" "$(basename "$file")" || failed+=("$(basename "$file")")
  done
  if [[ ${#failed[@]} -gt 0 ]]; then
    printf '[compat] failed: %s\n' "${failed[*]}" >&2
    exit 1
  fi
  printf '[compat] all %d files passed\n' "${#files[@]}" >&2
  exit 0
fi
root="$(cd "$here/../.." && pwd)"
py="${PYTHON_BIN:-$root/.venv/bin/python}"
seed_file="$root/data/seed.json"
staff_email="admin@example.com" # the seed's staff user

tmp="$(mktemp -d "${TMPDIR:-/tmp}/compat.XXXXXX")"
server_pid=""
pg_admin_url=""
pg_db=""

log() { printf '[compat] %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s "$tmp/server.log" ]]; then
    log "server log (last 60 lines):"
    tail -n 60 "$tmp/server.log" >&2 || true
  fi
  if [[ -n "$pg_db" ]]; then
    "$py" - "$pg_admin_url" "$pg_db" <<'EOF' || log "could not drop database $pg_db"
import sys, psycopg
from psycopg import sql
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(sys.argv[2])))
EOF
    log "dropped PostgreSQL database $pg_db"
  fi
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ -x "$py" ]] || { log "no Python at $py: run 'make install' first"; exit 2; }
[[ -d "$here/node_modules/@medusajs/medusa-js" ]] || {
  log "medusa-js is not installed: run 'npm ci --legacy-peer-deps' in tests/compat"
  exit 2
}

export DJANGO_SETTINGS_MODULE=config.settings.local
export DJANGO_DEBUG=false
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECRET_KEY="compat-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

if [[ -n "${DATABASE_URL:-}" ]]; then
  # A database of our own on the given server, so nothing there is touched or reused.
  pg_db="compat_$(date +%s)_$$"
  read -r pg_admin_url DATABASE_URL < <("$py" - "$DATABASE_URL" "$pg_db" <<'EOF'
import sys
from urllib.parse import urlsplit, urlunsplit
url = urlsplit(sys.argv[1])
if url.scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
    sys.exit(f"DATABASE_URL must be a PostgreSQL URL (or unset for SQLite), not {url.scheme}://")
print(urlunsplit(url._replace(path="/postgres")), urlunsplit(url._replace(path="/" + sys.argv[2])))
EOF
)
  [[ -n "$pg_admin_url" && -n "$DATABASE_URL" ]] || exit 2
  "$py" - "$pg_admin_url" "$pg_db" <<'EOF'
import sys, psycopg
from psycopg import sql
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(sys.argv[2])))
EOF
  log "database: PostgreSQL $pg_db (dropped afterwards)"
else
  DATABASE_URL="sqlite:///$tmp/compat.sqlite3"
  log "database: SQLite $tmp/compat.sqlite3"
fi
export DATABASE_URL

cd "$root"
"$py" manage.py migrate --noinput -v 0
"$py" manage.py seed "$seed_file" >"$tmp/seed.log"
admin_token="$("$py" manage.py create_admin_token "$staff_email" --name "compat suite" 2>/dev/null)"
# The seed's publishable keys, as "title<TAB>key" lines (their ids are generated, so ask the DB).
"$py" manage.py shell -v 0 -c '
from saleschannels.models import PublishableApiKey
for key in PublishableApiKey.objects.filter(revoked_at__isnull=True).order_by("created_at", "pk"):
    print(f"{key.title}\t{key.pk}")
' >"$tmp/keys.tsv"
web_key="$(awk -F'\t' '$1 == "Web Shop storefront" {print $2}' "$tmp/keys.tsv")"
b2b_key="$(awk -F'\t' '$1 == "B2B Portal storefront" {print $2}' "$tmp/keys.tsv")"
[[ -n "$admin_token" && -n "$web_key" && -n "$b2b_key" ]] || {
  log "seeding did not give a token and both publishable keys"; cat "$tmp/seed.log" "$tmp/keys.tsv" >&2; exit 1
}

port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$root/.venv/bin/gunicorn" config.wsgi:application \
  --bind "127.0.0.1:$port" --workers 2 --timeout 60 --graceful-timeout 5 \
  --access-logfile - --error-logfile - >"$tmp/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 150); do
  if "$py" -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=1).status != 200)" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { log "the server exited during start-up"; exit 1; }
  sleep 0.2
done
"$py" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=2)" 2>/dev/null ||
  { log "no answer from http://127.0.0.1:$port/health"; exit 1; }
log "server: http://127.0.0.1:$port (gunicorn pid $server_pid)"

cd "$here"
COMPAT_BASE_URL="http://127.0.0.1:$port/api" \
COMPAT_ADMIN_TOKEN="$admin_token" \
COMPAT_WEB_KEY="$web_key" \
COMPAT_B2B_KEY="$b2b_key" \
  node --test --test-concurrency=1 --test-reporter=tap "$@"
