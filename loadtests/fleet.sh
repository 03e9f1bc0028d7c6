#!/usr/bin/env bash
# Fleet mode's cost and its shared limiter's bound, in one run on one machine:
#   1. added latency and RPS of a replica with REDIS_URL beside a single node without it, at c=1 and c=32, for a plain
#      call, a call through a rate-limited gateway (the limiter's lease path) and a cache HIT; then the same with Redis
#      stopped (the replica's fallback path);
#   2. the limiter's overshoot: bursts split between two replicas against a limit, admitted vs limit.
# Needs dotnet, wrk, curl, python3 and redis-server. Prints a markdown report and saves it under loadtests/results/.
#
#   bash loadtests/fleet.sh                          # publishes Release builds first
#   GATEWAY_DLL=… SIM_DLL=… bash loadtests/fleet.sh  # or runs the given builds
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION_S=${DURATION_S:-8}        # seconds per wrk run (after a 2 s warm-up run)
BURSTS=${BURSTS:-5}                # limiter bursts
BURST_LIMIT=${BURST_LIMIT:-100}    # the limit of each burst
BURST_REQUESTS=${BURST_REQUESTS:-600}
COST=${COST:-1}                    # 0 skips step 1 (the latency and RPS runs)
GATEWAY_DLL=${GATEWAY_DLL:-}
SIM_DLL=${SIM_DLL:-}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=loadtests/results
RAW=$RESULTS/fleet-raw-$STAMP
BIN=$RESULTS/bin
mkdir -p "$RAW" "$BIN"
log() { echo "[fleet $(date -u +%H:%M:%S)] $*" >&2; }

for tool in dotnet wrk curl python3 redis-server; do
  command -v "$tool" >/dev/null || { log "$tool is required"; exit 1; }
done

if [[ -z $SIM_DLL ]]; then
  dotnet publish src/Gateway.Fast.Simulator/Gateway.Fast.Simulator.csproj -c Release -o "$BIN/simulator" --nologo -v q >"$RAW/publish-simulator.log"
  SIM_DLL=$BIN/simulator/Gateway.Fast.Simulator.dll
fi
if [[ -z $GATEWAY_DLL ]]; then
  dotnet publish src/Gateway.Fast/Gateway.Fast.csproj -c Release -o "$BIN/gateway" --nologo -v q >"$RAW/publish-gateway.log"
  GATEWAY_DLL=$BIN/gateway/Gateway.Fast.dll
fi

PIDS=()
DIRS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for dir in "${DIRS[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

source loadtests/lib.sh
wait_for() { # wait_for URL: until it answers 2xx (30 s)
  for _ in $(seq 150); do curl -sf -o /dev/null --max-time 2 "$1" && return 0; sleep 0.2; done
  log "$1 did not answer"; return 1
}

SIM_PORT=$(free_port)
Logging__LogLevel__Default=Warning dotnet "$SIM_DLL" --urls "http://127.0.0.1:$SIM_PORT" >"$RAW/simulator.log" 2>&1 &
PIDS+=($!)

REDIS_PORT=$(free_port)
REDIS_DIR=$(mktemp -d); DIRS+=("$REDIS_DIR")
start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$REDIS_DIR" >"$RAW/redis.log" 2>&1 &
  REDIS_PID=$!
  PIDS+=($REDIS_PID)
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
}
start_redis

declare -A PORT=()
start_gateway() { # start_gateway NAME [REDIS_URL]
  local name=$1 port data
  port=$(free_port); data=$(mktemp -d); DIRS+=("$data")
  env ASPNETCORE_URLS="http://127.0.0.1:$port" GATEWAY_DATA="$data" CF_AIG_MANAGEMENT_API_TOKEN=loadtest \
    Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$SIM_PORT/v1" Logging__LogLevel__Default=Warning \
    ${2:+REDIS_URL=$2} GATEWAY_MASTER_KEY="$MASTER_KEY" dotnet "$GATEWAY_DLL" >"$RAW/$name.log" 2>&1 &
  PIDS+=($!)
  PORT[$name]=$port
  wait_for "http://127.0.0.1:$port/health"
}
MASTER_KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
start_gateway single
start_gateway fleetA "redis://127.0.0.1:$REDIS_PORT"
start_gateway fleetB "redis://127.0.0.1:$REDIS_PORT"

create_gateway() { # create_gateway NAME ID JSON-FIELDS
  curl -sf -o /dev/null -X POST -H 'Authorization: Bearer loadtest' -H 'Content-Type: application/json' \
    --data "{\"id\":\"$2\"$3}" "http://127.0.0.1:${PORT[$1]}/api/management/gateways" \
    || curl -sf -o /dev/null -X PATCH -H 'Authorization: Bearer loadtest' -H 'Content-Type: application/json' \
    --data "{\"id\":\"$2\"$3}" "http://127.0.0.1:${PORT[$1]}/api/management/gateways/$2"
}
# A limit no load reaches: every request takes the limiter's path (a lease token, a Redis call per lease).
for name in single fleetA fleetB; do create_gateway "$name" limited ',"rate_limiting_limit":1000000000,"rate_limiting_interval":60'; done

# :: Step 1: cost. One wrk run per (scenario, concurrency, target); WRK_RESULT lines are kept raw.
wrk_run() { # wrk_run FILE CONNECTIONS URL [HEADER]
  WRK_HEADER=${4:-} wrk -t1 -c"$2" -d2s -s loadtests/post.lua "$3" >/dev/null 2>&1 || true
  WRK_HEADER=${4:-} wrk -t1 -c"$2" -d"${DURATION_S}s" --latency -s loadtests/post.lua "$3" >"$1" 2>&1 || true
}
url() { echo "http://127.0.0.1:${PORT[$1]}/v1/load/$2/openai/chat/completions"; }
measure() { # measure PHASE
  local phase=$1
  for conc in 1 32; do
    for target in single fleetA; do
      wrk_run "$RAW/$phase-plain-c$conc-$target.txt" "$conc" "$(url "$target" default)"
      wrk_run "$RAW/$phase-limited-c$conc-$target.txt" "$conc" "$(url "$target" limited)"
      wrk_run "$RAW/$phase-cached-c$conc-$target.txt" "$conc" "$(url "$target" default)" "cf-aig-cache-ttl: 600"
    done
  done
}
if [[ $COST == 1 ]]; then
  log "measuring with Redis up (${DURATION_S}s per run)"
  measure up
  log "stopping Redis"
  kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
  sleep 3 # the replicas notice the lost connection (their breaker opens) before the runs
  measure down
  start_redis
fi
wait_for "http://127.0.0.1:${PORT[fleetA]}/health"
for _ in $(seq 100); do
  curl -s "http://127.0.0.1:${PORT[fleetA]}/metrics" | grep -q '^gateway_redis_up 1' \
    && curl -s "http://127.0.0.1:${PORT[fleetB]}/metrics" | grep -q '^gateway_redis_up 1' && break
  sleep 0.2
done

# :: Step 2: overshoot. Each burst gets a new gateway (a fresh count) on both replicas, in a window with minutes left.
INTERVAL=$(python3 -c '
import time
now, i = int(time.time()), 3600
while i - now % i < 600: i += 1
print(i)')
for b in $(seq "$BURSTS"); do
  for name in fleetA fleetB; do
    create_gateway "$name" "burst$b" ",\"rate_limiting_limit\":$BURST_LIMIT,\"rate_limiting_interval\":$INTERVAL"
  done
done
python3 - "$BURSTS" "$BURST_LIMIT" "$BURST_REQUESTS" "$(url fleetA burst)" "$(url fleetB burst)" >"$RAW/overshoot.json" <<'EOF'
import json, sys, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor
bursts, limit, requests, url_a, url_b = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
body = open("loadtests/bodies/chat.json", "rb").read()
def send(url):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
results = []
for b in range(1, bursts + 1):
    urls = [(url_a if i % 2 == 0 else url_b).replace("/burst/", f"/burst{b}/") for i in range(requests)]
    with ThreadPoolExecutor(32) as pool:
        statuses = list(pool.map(send, urls))
    results.append({"burst": b, "limit": limit, "requests": requests, "admitted": statuses.count(200),
                    "refused": statuses.count(429), "other": len(statuses) - statuses.count(200) - statuses.count(429)})
print(json.dumps(results))
EOF
FALLBACK_A=$(curl -s "http://127.0.0.1:${PORT[fleetA]}/metrics" | awk '/^gateway_fleet_rate_limit_fallback_total /{print $2}')
FALLBACK_B=$(curl -s "http://127.0.0.1:${PORT[fleetB]}/metrics" | awk '/^gateway_fleet_rate_limit_fallback_total /{print $2}')

# :: Step 3: report.
REPORT=$RESULTS/fleet-report-$STAMP.md
python3 - "$RAW" "$DURATION_S" "${FALLBACK_A:-?}" "${FALLBACK_B:-?}" >"$REPORT" <<'EOF'
import json, os, platform, sys
raw, duration, fallback_a, fallback_b = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def result(name):
    try:
        for line in open(os.path.join(raw, name)):
            if line.startswith("WRK_RESULT "):
                r = json.loads(line[len("WRK_RESULT "):])
                r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
                return r
    except FileNotFoundError:
        pass
    return None
def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "n/a"
print(f"# Fleet mode: cost and limiter bound ({platform.node()}, {os.cpu_count()} CPUs, {duration} s per run)\n")
print("Same machine, same run: `single` is a gateway without REDIS_URL, `fleet` a replica with it (a second replica runs beside it).")
print("`plain` is a call with cache and limits off, `limited` one through a gateway whose limit is never reached (lease path),")
print("`cached` a local-tier HIT. Ratios are fleet / single (RPS: higher is better; latency: lower is better).\n")
for phase, title in (("up", "Redis up"), ("down", "Redis stopped (the replica serves from its local tier and counts limits locally)")):
    print(f"## {title}\n")
    print("| scenario | c | RPS single | RPS fleet | RPS ratio | p50 single ms | p50 fleet ms | p50 ratio | p99 single ms | p99 fleet ms | p99 ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for scenario in ("plain", "limited", "cached"):
        for conc in (1, 32):
            s, f = result(f"{phase}-{scenario}-c{conc}-single.txt"), result(f"{phase}-{scenario}-c{conc}-fleetA.txt")
            if not s or not f:
                print(f"| {scenario} | {conc} | n/a | | | | | | | | |")
                continue
            print(f"| {scenario} | {conc} | {s['rps']:.0f} | {f['rps']:.0f} | {ratio(f['rps'], s['rps'])} | "
                  f"{s['p50_us'] / 1000:.3f} | {f['p50_us'] / 1000:.3f} | {ratio(f['p50_us'], s['p50_us'])} | "
                  f"{s['p99_us'] / 1000:.3f} | {f['p99_us'] / 1000:.3f} | {ratio(f['p99_us'], s['p99_us'])} |")
    print()
print("## Limiter overshoot over bursts split between two replicas\n")
print("| burst | limit | requests | admitted | refused | other | overshoot |")
print("| --- | --- | --- | --- | --- | --- | --- |")
bursts = json.load(open(os.path.join(raw, "overshoot.json")))
for b in bursts:
    print(f"| {b['burst']} | {b['limit']} | {b['requests']} | {b['admitted']} | {b['refused']} | {b['other']} | {b['admitted'] - b['limit']} |")
print(f"\nLargest overshoot: {max(b['admitted'] - b['limit'] for b in bursts)} (stated bound: 0 while Redis answers). "
      f"Decisions taken by local fallback during the whole run: A {fallback_a}, B {fallback_b} (the Redis-stopped phase's included).")
EOF
cat "$REPORT"
log "report: $REPORT (raw outputs in $RAW)"
