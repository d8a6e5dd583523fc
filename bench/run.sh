#!/usr/bin/env bash
# Load run: GateKit (production settings) on the local Postgres and Redis, the webhook plugin,
# and LoadDriver sending MESSAGES messages from CONCURRENCY clients. Cleans up after itself.
# Usage: bench/run.sh [MESSAGES] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-5000}
CONCURRENCY=${2:-16}
RUN=bench_$(date +%s)
API_PORT=3190
ADMIN_PORT=3191

./mvnw -q -B package -DskipTests -pl gatekit-app,plugins/webhook,bench -am
./mvnw -q -B -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
PLUGINS=$(mktemp -d)
cp plugins/webhook/target/webhook-plugin-*.jar "$PLUGINS/"
psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $RUN"

cleanup() {
  [[ -n ${SERVER:-} ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $RUN WITH (FORCE)" || true
  redis-cli -h 127.0.0.1 --scan --pattern "$RUN:*" | xargs -r redis-cli -h 127.0.0.1 del >/dev/null || true
  rm -rf "$PLUGINS"
}
trap cleanup EXIT

GATEKIT_ENV=production DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$RUN" REDIS_URL=redis://127.0.0.1:6379 \
REDIS_KEY_PREFIX="$RUN:" ENCRYPTION_KEY=$(openssl rand -hex 32) GATEKIT_PLUGINS_DIR="$PLUGINS" PORT=$API_PORT \
ADMIN_PORT=$ADMIN_PORT RATE_LIMIT_MAX=100000000 GATEKIT_ALLOW_PRIVATE_ADDRESSES=true GATEKIT_WORKERS=${GATEKIT_WORKERS:-8} LOG_LEVEL=WARN \
  java -Xmx1g ${GATEKIT_JAVA_OPTS:-} -jar gatekit-app/target/gatekit-app.jar server config.yml > "target-bench-server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$API_PORT/api/v1/health" >/dev/null && break; sleep 1; done
for _ in $(seq 1 30); do curl -s -X POST "http://127.0.0.1:$ADMIN_PORT/tasks/plugins" | grep -q webhook && break; sleep 1; done

java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.gatekit.bench.LoadDriver "http://127.0.0.1:$API_PORT" "http://127.0.0.1:$ADMIN_PORT" "$MESSAGES" "$CONCURRENCY"
echo "server RSS: $(grep VmRSS /proc/$SERVER/status | awk '{print $2/1024 " MiB"}'), heap used: $(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["gauges"]["jvm.memory.heap.used"]["value"]/1048576), "MiB")')"
