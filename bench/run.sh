#!/usr/bin/env bash
# GateKit's load harness: builds GateKit, starts it with production settings on the local Postgres
# (a fresh database) and Redis (its own key prefix) with the real webhook plugin, runs the chosen
# scenarios and the floors (dev.gatekit.bench.Bench), and cleans up (server, database, Redis keys)
# even when something fails. See bench/README.md.
#
# Usage: bench/run.sh [--scenarios send,batch,...] [--messages N] [--rate R] [--connections C] ...
#        bench/run.sh --help                  every option of the harness
#        bench/run.sh [MESSAGES] [CONNECTIONS] the old form, still accepted
# Environment: GATEKIT_WORKERS and other GATEKIT_* settings (passed through; config.yml's defaults otherwise), GATEKIT_JAVA_OPTS (extra server JVM flags, e.g. a profiler agent),
#   GATEKIT_HEAP (1g), BENCH_SKIP_BUILD=1, BENCH_API_PORT / BENCH_ADMIN_PORT (free ports by default),
#   BENCH_JAVA_OPTS (the driver's JVM flags), and BENCH_<OPTION> for any harness option.
set -euo pipefail
cd "$(dirname "$0")/.."

ARGS=()
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  ARGS+=(--messages "$1"); shift
  if [[ ${1:-} =~ ^[0-9]+$ ]]; then ARGS+=(--connections "$1"); shift; fi
fi
ARGS+=("$@")

CP_FILE=bench/target/classpath.txt
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  ./mvnw -q -B package -DskipTests -pl gatekit-app,plugins/webhook,bench -am
  ./mvnw -q -B -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
DRIVER=(java -XX:+UseSerialGC -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat "$CP_FILE")" dev.gatekit.bench.Bench)
for arg in "${ARGS[@]}"; do
  if [[ $arg == --help || $arg == -h ]]; then "${DRIVER[@]}" --help; exit 0; fi
done

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
RUN=bench_$(date +%s)_$$
API_PORT=${BENCH_API_PORT:-$(free_port)}
ADMIN_PORT=${BENCH_ADMIN_PORT:-$(free_port)}
while [[ $ADMIN_PORT == "$API_PORT" ]]; do ADMIN_PORT=$(free_port); done
HEAP=${GATEKIT_HEAP:-1g}
PLUGINS=$(mktemp -d)
LOG=bench/target/$RUN-server.log
mkdir -p bench/target
SERVER=

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ $status == 0 ]] || echo "bench/run.sh: failed or interrupted (exit $status); cleaning up. Server log: $LOG" >&2
  if [[ -n $SERVER ]] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  for db in "$RUN" "${RUN}_floor"; do
    psql -h 127.0.0.1 -U postgres -d postgres -qXc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || echo "cleanup: could not drop database $db" >&2
  done
  redis-cli -h 127.0.0.1 --scan --pattern "$RUN:*" | xargs -r -n 500 redis-cli -h 127.0.0.1 unlink >/dev/null || echo "cleanup: could not delete Redis keys $RUN:*" >&2
  rm -rf "$PLUGINS"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp plugins/webhook/target/webhook-plugin-*.jar "$PLUGINS/"
# The admin port's token, for the server and the driver (which reads it from the environment).
export GATEKIT_ADMIN_TOKEN=${GATEKIT_ADMIN_TOKEN:-$(openssl rand -hex 32)}
psql -h 127.0.0.1 -U postgres -d postgres -qXc "CREATE DATABASE $RUN"

GATEKIT_ENV=production DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$RUN" REDIS_URL=redis://127.0.0.1:6379 \
REDIS_KEY_PREFIX="$RUN:" ENCRYPTION_KEY=$(openssl rand -hex 32) GATEKIT_PLUGINS_DIR="$PLUGINS" PORT=$API_PORT \
ADMIN_PORT=$ADMIN_PORT RATE_LIMIT_MAX=1000000000 GATEKIT_ALLOW_PRIVATE_ADDRESSES=true LOG_LEVEL=WARN \
  java -Xmx"$HEAP" ${GATEKIT_JAVA_OPTS:-} -jar gatekit-app/target/gatekit-app.jar server config.yml >"$LOG" 2>&1 &
SERVER=$!

up=
for _ in $(seq 1 120); do
  kill -0 "$SERVER" 2>/dev/null || { echo "GateKit exited at start; last lines of $LOG:" >&2; tail -20 "$LOG" >&2; exit 1; }
  if curl -sf "http://127.0.0.1:$API_PORT/api/v1/health" >/dev/null \
      && curl -s -X POST -H "Authorization: Bearer $GATEKIT_ADMIN_TOKEN" "http://127.0.0.1:$ADMIN_PORT/tasks/plugins" | grep -q '"webhook"'; then
    up=1; break
  fi
  sleep 1
done
[[ -n $up ]] || { echo "GateKit did not come up with the webhook plugin in 120 s; see $LOG" >&2; exit 1; }

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT-dirty"
SETTINGS="-Xmx$HEAP ${GATEKIT_JAVA_OPTS:-} $(env | grep -E '^GATEKIT_' | grep -vE '^GATEKIT_(JAVA_OPTS|HEAP|ADMIN_TOKEN)=' | sort | tr '\n' ' ' || true)"
echo "GateKit pid $SERVER on :$API_PORT (admin :$ADMIN_PORT), database $RUN, $SETTINGS; log $LOG"
"${DRIVER[@]}" --api "http://127.0.0.1:$API_PORT" --admin "http://127.0.0.1:$ADMIN_PORT" --server-pid "$SERVER" \
  --database "$RUN" --redis-prefix "$RUN:" --commit "$COMMIT" \
  --server-settings "$SETTINGS" "${ARGS[@]}"
