# Shell helpers: a throwaway PostgreSQL cluster on a unix socket, removed on exit.
# Usage: source scripts/lib/pg.sh; pg_temp_start; echo "$PG_URL"   (stopped by an EXIT trap)

pg_bin_dir() {
  if command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then dirname "$(command -v postgres)"; return; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/postgres" ]; then pg_config --bindir; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# Install the PostgreSQL server when it is missing (Debian/Ubuntu, as root).
pg_ensure_installed() {
  local bin; bin=$(pg_bin_dir)
  if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    echo "PostgreSQL server not found: installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
}

pg_temp_start() {
  local bin; bin=$(pg_bin_dir)
  PG_TEMP_DIR=$(mktemp -d /tmp/union-portal-pg.XXXXXX)
  chmod 755 "$PG_TEMP_DIR"
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_TEMP_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$PG_TEMP_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEMP_DIR/data" -l "$PG_TEMP_DIR/log" -w -o \
    "-k $PG_TEMP_DIR -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  PG_TEMP_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_TEMP_DIR/data" -m fast -w stop)
  trap pg_temp_stop EXIT
  PG_URL="postgres://postgres@localhost/postgres?host=$PG_TEMP_DIR"
  export PG_URL
}

pg_temp_stop() {
  if [ -n "${PG_TEMP_DIR:-}" ]; then
    "${PG_TEMP_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_TEMP_DIR"
    PG_TEMP_DIR=
  fi
}

# Apply the migrations in order (enough for compile-time query checking).
pg_apply_migrations() {
  local f
  for f in migrations/*.sql; do psql -q -v ON_ERROR_STOP=1 "$PG_URL" -f "$f" >/dev/null; done
}
