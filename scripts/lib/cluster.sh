# Shell helpers for scripts/cluster: the pieces of a cluster on loopback, each started in the
# background with its files in one folder ($CLUSTER_DIR) and stopped by cluster_down.

# HAProxy from Debian's packages when it is missing (as root), and PgBouncer 1.24 built from
# Debian's own source (cluster_ensure_pgbouncer).
cluster_ensure_installed() {
  if ! [ -x /usr/sbin/haproxy ] && ! command -v haproxy >/dev/null; then
    echo "installing haproxy with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends haproxy >/dev/null
  fi
  cluster_ensure_pgbouncer
}

# PgBouncer 1.24.1, Debian 13's, from the source tarball Debian ships (checked by its SHA-256).
# Transaction mode needs PgBouncer to keep track of prepared statements (max_prepared_statements,
# 1.21 and later): sqlx names every statement it prepares and prepares it in a round trip of its
# own before binding, and Debian 12's 1.18 may send the binding to another server connection,
# which lacks the statement. Installed where the postgres user can run it (PgBouncer refuses root).
PGBOUNCER_VERSION=1.24.1
PGBOUNCER_SHA256=da72a3aba13072876d055a3e58dd4aba4a5de4ed6148e73033185245598fd3e0
if [ "$(id -u)" = 0 ]; then PGBOUNCER_HOME=/usr/local/lib/union-portal/pgbouncer-$PGBOUNCER_VERSION
else PGBOUNCER_HOME=$PWD/tests/servers/pgbouncer-$PGBOUNCER_VERSION; fi
cluster_pgbouncer_bin() { echo "$PGBOUNCER_HOME/bin/pgbouncer"; }

cluster_ensure_pgbouncer() {
  [ -x "$(cluster_pgbouncer_bin)" ] && return 0
  echo "building PgBouncer $PGBOUNCER_VERSION from Debian's source into $PGBOUNCER_HOME" >&2
  if [ "$(id -u)" = 0 ] && ! dpkg -s libevent-dev libssl-dev pkgconf gcc make >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends libevent-dev libssl-dev pkgconf gcc make >/dev/null
  fi
  local build; build=$(mktemp -d)
  local tarball=pgbouncer_$PGBOUNCER_VERSION.orig.tar.gz
  curl -fsS -o "$build/$tarball" "http://deb.debian.org/debian/pool/main/p/pgbouncer/$tarball"
  echo "$PGBOUNCER_SHA256  $build/$tarball" | sha256sum -c --quiet
  tar -xzf "$build/$tarball" -C "$build"
  (cd "$build/pgbouncer-$PGBOUNCER_VERSION" &&
    ./configure --prefix="$PGBOUNCER_HOME" --without-cares --without-pam --without-systemd >"$build/configure.log" 2>&1 &&
    make -j2 >"$build/make.log" 2>&1 && make install >/dev/null 2>&1) ||
    { echo "building PgBouncer failed: logs in $build" >&2; return 1; }
  rm -rf "$build"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Wait until something listens on 127.0.0.1:$1 (up to 20 s).
wait_port() {
  local port=$1 what=$2 _
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$what did not start listening on port $port (logs in $CLUSTER_DIR)" >&2
  return 1
}

# The server's programs, pg_basebackup among them (a PATH may hold only some of them).
cluster_pg_bin() {
  local bin; bin=$(pg_bin_dir)
  if [ -x "$bin/pg_basebackup" ]; then echo "$bin"; else ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; fi
}

# The processes of PostgreSQL and PgBouncer run as the postgres user when we are root
# (both refuse root).
cluster_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A primary with WAL for streaming, a database `portal`, and a replica made by pg_basebackup.
cluster_start_databases() {
  local bin; bin=$(cluster_pg_bin)
  PRIMARY_PORT=$(free_port)
  cluster_as "$bin/initdb" -D "$CLUSTER_DIR/primary" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  cluster_as "$bin/pg_ctl" -D "$CLUSTER_DIR/primary" -l "$CLUSTER_DIR/primary.log" -w -o \
    "-p $PRIMARY_PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c wal_level=replica -c max_wal_senders=4 -c fsync=off -c synchronous_commit=off" start >/dev/null
  psql -q -v ON_ERROR_STOP=1 "postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres" -c "create database portal" >/dev/null
  REPLICA_PORT=$(free_port)
  cluster_as "$bin/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$CLUSTER_DIR/replica" -R -X stream -c fast
  cluster_replica start
}

cluster_replica() {
  local bin; bin=$(cluster_pg_bin)
  case $1 in
    start) cluster_as "$bin/pg_ctl" -D "$CLUSTER_DIR/replica" -l "$CLUSTER_DIR/replica.log" -w -o \
             "-p $REPLICA_PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c hot_standby=on" start >/dev/null ;;
    stop) cluster_as "$bin/pg_ctl" -D "$CLUSTER_DIR/replica" -m fast -w stop >/dev/null ;;
  esac
}

# PgBouncer in transaction mode, tracking prepared statements (see cluster_ensure_pgbouncer):
# the portal's pools connect through it; migrations, the first-start lock and LISTEN go to the
# primary directly. Each new server connection takes the requests' role and settings at once
# (connect_query): in transaction mode a statement's session settings would stay on whichever
# server connection ran them.
cluster_start_pgbouncer() {
  BOUNCER_PORT=$(free_port)
  echo '"postgres" ""' >"$CLUSTER_DIR/userlist.txt"
  cat >"$CLUSTER_DIR/pgbouncer.ini" <<INI
[databases]
portal = host=127.0.0.1 port=$PRIMARY_PORT dbname=portal connect_query='set role portal_app; set plan_cache_mode = force_generic_plan; set jit = off'

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $CLUSTER_DIR/userlist.txt
pool_mode = transaction
max_prepared_statements = 200
max_client_conn = 1000
default_pool_size = 40
; sqlx sends this at start-up; PgBouncer would refuse the connection otherwise.
ignore_startup_parameters = extra_float_digits
logfile = $CLUSTER_DIR/pgbouncer.log
pidfile = $CLUSTER_DIR/pgbouncer.pid
INI
  chown -R postgres: "$CLUSTER_DIR" 2>/dev/null || true
  cluster_pgbouncer start
}

cluster_pgbouncer() {
  case $1 in
    start) cluster_as "$(cluster_pgbouncer_bin)" -d -q "$CLUSTER_DIR/pgbouncer.ini"; wait_port "$BOUNCER_PORT" PgBouncer ;;
    # SIGQUIT: the immediate shutdown (since 1.23 SIGTERM waits for every client to disconnect,
    # which the portals' pools never do).
    stop) if [ -f "$CLUSTER_DIR/pgbouncer.pid" ]; then
            local pid _; pid=$(cat "$CLUSTER_DIR/pgbouncer.pid")
            kill -QUIT "$pid" 2>/dev/null || true
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
            kill -KILL "$pid" 2>/dev/null || true
            rm -f "$CLUSTER_DIR/pgbouncer.pid"
          fi ;;
  esac
}

# HAProxy in front of the portal processes: round robin, health checks on /readyz every 500 ms,
# a request whose connection is refused goes to another process.
cluster_start_haproxy_on() {
  LB_PORT=$1
  {
    printf 'global\n  maxconn 4000\n  pidfile %s/haproxy.pid\n\n' "$CLUSTER_DIR"
    printf 'defaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n  retries 2\n  option redispatch\n\n'
    printf 'frontend portal\n  bind 127.0.0.1:%s\n  option forwardfor\n  default_backend portals\n\n' "$LB_PORT"
    printf 'backend portals\n  balance roundrobin\n  option httpchk GET /readyz\n  http-check expect status 200\n'
    printf '  default-server inter 500ms fall 2 rise 2\n'
    local i=1 port
    for port in $PORTAL_PORTS; do printf '  server p%s 127.0.0.1:%s check\n' "$i" "$port"; i=$((i + 1)); done
  } >"$CLUSTER_DIR/haproxy.cfg"
  haproxy -D -f "$CLUSTER_DIR/haproxy.cfg" >"$CLUSTER_DIR/haproxy.log" 2>&1
  wait_port "$LB_PORT" HAProxy
}

# Stop whatever `up` started, in reverse order, and remove the folder.
cluster_down() {
  local pid bin; bin=$(cluster_pg_bin)
  if [ -f "$CLUSTER_DIR/env" ]; then source "$CLUSTER_DIR/env"; fi
  if [ -f "$CLUSTER_DIR/haproxy.pid" ]; then kill "$(cat "$CLUSTER_DIR/haproxy.pid")" 2>/dev/null || true; fi
  for pid in ${PORTAL_PIDS:-} ${S3_PID:-}; do kill "$pid" 2>/dev/null || true; done
  cluster_pgbouncer stop
  for d in replica primary; do
    if [ -d "$CLUSTER_DIR/$d" ]; then cluster_as "$bin/pg_ctl" -D "$CLUSTER_DIR/$d" -m immediate -w stop >/dev/null 2>&1 || true; fi
  done
  for pid in ${PORTAL_PIDS:-} ${S3_PID:-}; do
    local _; for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$CLUSTER_DIR"
}

# The S3-compatible server (moto, installed by scripts/lib/s3.sh) with an empty bucket.
cluster_start_s3() {
  local port=$1 bucket=$2 _
  S3_PORT=$port
  setsid "$(s3_moto_server)" -H 127.0.0.1 -p "$port" >"$CLUSTER_DIR/s3.log" 2>&1 </dev/null &
  S3_PID=$!
  wait_port "$port" "the S3 server"
  curl -fsS -X PUT -o /dev/null "http://127.0.0.1:$port/$bucket"
}
