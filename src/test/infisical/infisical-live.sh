#!/usr/bin/env bash
# A real Infisical server for the live suite (docs/REAL-SERVICES.md, "A real Infisical server").
#
#   infisical-live.sh up       start PostgreSQL, Redis and Infisical's backend on loopback (if not running), bootstrap
#                              the instance once (POST /api/v1/admin/bootstrap), seed a project (seed.py) and write
#                              $STATE/seed.json, which -Pinfisical-live reads
#   infisical-live.sh down     stop what `up` started (by the PIDs it recorded, nothing else)
#   infisical-live.sh reset    down, then forget the database and the bootstrap (the next `up` starts empty)
#   infisical-live.sh status   what runs, where
#
# It builds nothing and downloads nothing. It needs, already on the machine:
#   INFISICAL_BACKEND_DIR  Infisical's backend/ folder, built (dist/main.mjs); default /tmp/infisical-real/src/backend
#   INFISICAL_NODE         Node 22 (the version of Infisical's Dockerfile); default /tmp/infisical-real/node22/package/bin/node
#   PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin) and redis-server; root, to run PostgreSQL as `postgres`
# State lives in INFISICAL_LIVE_DIR (default /tmp/ovs-infisical-live): database, logs, PIDs, ports, seed.json.
#
# Ports are free ones picked at the first `up` and kept in $STATE/ports (no fixed port, so several checkouts can run
# side by side). PostgreSQL and Redis listen on 127.0.0.3: Infisical refuses to send webhooks to an address its own
# database or Redis uses, and the tests' webhook receivers listen on 127.0.0.1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${INFISICAL_LIVE_DIR:-/tmp/ovs-infisical-live}
BACKEND=${INFISICAL_BACKEND_DIR:-/tmp/infisical-real/src/backend}
NODE=${INFISICAL_NODE:-/tmp/infisical-real/node22/package/bin/node}
PGBIN=${INFISICAL_PGBIN:-/usr/lib/postgresql/15/bin}
DATA_HOST=127.0.0.3
API_HOST=127.0.0.1
PGDATA=$STATE/pg/data
RUN=$STATE/run
LOGS=$STATE/logs

log() { echo "[infisical-live] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# pid_alive FILE PATTERN: FILE holds the PID of a live process whose command line contains PATTERN.
pid_alive() {
  local f=$1 pat=$2 pid
  [ -s "$f" ] || return 1
  pid=$(head -1 "$f")
  [ -d "/proc/$pid" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$pat"
}

free_port() { # free_port HOST: a port nothing listens on now
  python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1]); s.close()' "$1"
}

ports() {
  if [ ! -s "$STATE/ports" ]; then
    mkdir -p "$STATE"
    printf 'API_PORT=%s\nPG_PORT=%s\nREDIS_PORT=%s\n' "$(free_port $API_HOST)" "$(free_port $DATA_HOST)" \
      "$(free_port $DATA_HOST)" > "$STATE/ports"
  fi
  . "$STATE/ports"
  SITE_URL="http://$API_HOST:$API_PORT"
}

check_prerequisites() {
  [ -f "$BACKEND/dist/main.mjs" ] || die "no built Infisical backend at $BACKEND (dist/main.mjs); set INFISICAL_BACKEND_DIR"
  [ -x "$NODE" ] || die "no Node at $NODE; set INFISICAL_NODE (Infisical's backend runs on Node 22)"
  "$NODE" --version | grep -q '^v22\.' || die "$NODE is $("$NODE" --version), Infisical's backend needs Node 22"
  [ -x "$PGBIN/initdb" ] || die "no PostgreSQL server binaries in $PGBIN (apt-get install postgresql-15); set INFISICAL_PGBIN"
  command -v redis-server > /dev/null || die "no redis-server (apt-get install redis-server)"
  [ "$(id -u)" = 0 ] || die "run as root: PostgreSQL runs as the postgres user"
}

start_postgres() {
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    log "initdb $PGDATA"
    mkdir -p "$STATE/pg/sock"
    chown -R postgres:postgres "$STATE/pg"
    runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      > "$LOGS/initdb.log"
    # A throwaway test database: durability is not wanted, speed is.
    cat >> "$PGDATA/postgresql.conf" <<EOF
listen_addresses = '$DATA_HOST'
port = $PG_PORT
unix_socket_directories = '$STATE/pg/sock'
max_connections = 100
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  if pid_alive "$PGDATA/postmaster.pid" postgres; then
    log "postgres already running"
  else
    log "starting postgres on $DATA_HOST:$PG_PORT"
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$STATE/pg/postgres.log" -w start > /dev/null
  fi
  head -1 "$PGDATA/postmaster.pid" > "$RUN/postgres.pid"
  if ! psql -h $DATA_HOST -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='infisical'" \
      | grep -q 1; then
    psql -h $DATA_HOST -p "$PG_PORT" -U postgres -qc "create database infisical"
  fi
}

start_redis() {
  mkdir -p "$STATE/redis"
  cat > "$STATE/redis/redis.conf" <<EOF
bind $DATA_HOST
port $REDIS_PORT
daemonize yes
pidfile $RUN/redis.pid
logfile $LOGS/redis.log
dir $STATE/redis
save ""
appendonly no
EOF
  if pid_alive "$RUN/redis.pid" redis-server; then
    log "redis already running"
  else
    log "starting redis on $DATA_HOST:$REDIS_PORT"
    redis-server "$STATE/redis/redis.conf"
    for _ in $(seq 1 50); do
      redis-cli -h $DATA_HOST -p "$REDIS_PORT" ping 2> /dev/null | grep -q PONG && return 0
      sleep 0.2
    done
    die "redis did not answer on $DATA_HOST:$REDIS_PORT"
  fi
}

backend_env() {
  if [ ! -s "$STATE/backend.env" ]; then
    # Generated once per state folder: the database is encrypted with this key.
    cat > "$STATE/backend.env" <<EOF
NODE_ENV=production
HOST=$API_HOST
PORT=$API_PORT
SITE_URL=$SITE_URL
DB_CONNECTION_URI=postgres://postgres@$DATA_HOST:$PG_PORT/infisical
REDIS_URL=redis://$DATA_HOST:$REDIS_PORT
ENCRYPTION_KEY=$(openssl rand -hex 16)
AUTH_SECRET=$(openssl rand -base64 32)
TELEMETRY_ENABLED=false
# Webhooks to the tests' receivers on 127.0.0.1 (a private address) are refused without this.
ALLOW_INTERNAL_IP_CONNECTIONS=true
# The bootstrap answer's admin token has no exp claim; the server refuses such tokens 90 days after this date, and
# this machine's clock may be past it. Universal Auth tokens carry exp and are not affected.
LEGACY_IDENTITY_ACCESS_TOKEN_EXPIRATION_ENFORCED_AT=2099-01-01T00:00:00.000Z
EOF
    chmod 600 "$STATE/backend.env"
  fi
}

start_backend() {
  backend_env
  if pid_alive "$RUN/backend.pid" "dist/main.mjs"; then
    log "backend already running"
  else
    log "starting Infisical's backend on $SITE_URL (log: $LOGS/backend.log)"
    (
      cd "$BACKEND"
      set -a; . "$STATE/backend.env"; set +a
      exec setsid "$NODE" --enable-source-maps dist/main.mjs >> "$LOGS/backend.log" 2>&1 < /dev/null
    ) &
    echo $! > "$RUN/backend.pid"
  fi
  for i in $(seq 1 300); do
    curl -fsS "$SITE_URL/api/status" > "$STATE/status.json" 2> /dev/null && return 0
    pid_alive "$RUN/backend.pid" "dist/main.mjs" || { tail -30 "$LOGS/backend.log" >&2; die "the backend exited"; }
    sleep 1
  done
  die "the backend did not answer $SITE_URL/api/status within 300 s"
}

bootstrap() {
  [ -s "$STATE/bootstrap.json" ] && return 0
  log "bootstrapping the instance"
  local code
  code=$(curl -sS -o "$STATE/bootstrap.tmp" -w '%{http_code}' -H 'Content-Type: application/json' \
    -X POST "$SITE_URL/api/v1/admin/bootstrap" \
    -d '{"email":"admin@example.com","password":"Admin-Passw0rd-123!","organization":"ovs-live"}')
  [ "$code" = 200 ] || die "bootstrap answered HTTP $code: $(cat "$STATE/bootstrap.tmp") (an instance bootstrapped before whose bootstrap.json is lost: run reset)"
  mv "$STATE/bootstrap.tmp" "$STATE/bootstrap.json"
  chmod 600 "$STATE/bootstrap.json"
}

stop_pid() { # name pidfile pattern
  if pid_alive "$2" "$3"; then
    local pid; pid=$(head -1 "$2")
    log "stopping $1 ($pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do [ -d "/proc/$pid" ] || break; sleep 0.2; done
    [ -d "/proc/$pid" ] && kill -KILL "$pid"
  fi
  rm -f "$2"
}

down() {
  stop_pid backend "$RUN/backend.pid" "dist/main.mjs"
  stop_pid redis "$RUN/redis.pid" redis-server
  if pid_alive "$RUN/postgres.pid" postgres; then
    log "stopping postgres"
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop > /dev/null
  fi
  rm -f "$RUN/postgres.pid"
}

cmd=${1:-up}
case "$cmd" in
  up)
    check_prerequisites
    mkdir -p "$RUN" "$LOGS"
    ports
    t0=$(date +%s)
    start_postgres
    start_redis
    start_backend
    bootstrap
    python3 "$HERE/seed.py" --site "$SITE_URL" --bootstrap "$STATE/bootstrap.json" > "$STATE/seed.tmp"
    mv "$STATE/seed.tmp" "$STATE/seed.json"
    chmod 600 "$STATE/seed.json"
    log "ready in $(( $(date +%s) - t0 )) s: $SITE_URL, seed in $STATE/seed.json"
    echo "$STATE/seed.json"
    ;;
  down) down ;;
  reset) down; rm -rf "$STATE/pg" "$STATE/redis" "$STATE/bootstrap.json" "$STATE/seed.json" "$STATE/backend.env" ;;
  status)
    ports
    for p in backend:dist/main.mjs redis:redis-server postgres:postgres; do
      pid_alive "$RUN/${p%%:*}.pid" "${p#*:}" && echo "${p%%:*}: running" || echo "${p%%:*}: stopped"
    done
    echo "site: $SITE_URL"
    ;;
  *) echo "usage: $0 up|down|reset|status" >&2; exit 2 ;;
esac
