#!/usr/bin/env bash
# The dashboard's cost to the proxy: wrk's RPS through the gateway with no dashboard open, then with DashboardViewer
# keeping the overview (live, 15 s) and the logs tail (3 s) open in headless Chromium, alternating ROUNDS times on one
# gateway and one simulator. With FILL_ROWS=N it first sends N logged requests, then times /analytics and page 1 of the
# logs list over them (curl's time_total, best of 3). Everything shares this machine's cores: read the figures as a
# comparison within one run, not as absolutes.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION_S=${DURATION_S:-10}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-2}
FILL_ROWS=${FILL_ROWS:-0}
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
WORK=$(mktemp -d)
BIN=$WORK/bin
TOKEN=dashboard-load
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ok() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$@" && return 0; sleep 0.2; done; echo "not ready: $*" >&2; return 1; }

for p in src/Gateway.Fast src/Gateway.Fast.Simulator loadtests/DashboardViewer; do
  dotnet publish "$p" -c Release -o "$BIN/$(basename "$p")" --nologo -v q >/dev/null
done

SIM_PORT=$(free_port); GW_PORT=$(free_port)
Logging__LogLevel__Default=Warning dotnet "$BIN/Gateway.Fast.Simulator/Gateway.Fast.Simulator.dll" --urls "http://127.0.0.1:$SIM_PORT" >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" GATEWAY_DATA="$WORK/data" CF_AIG_MANAGEMENT_API_TOKEN=$TOKEN \
  Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$SIM_PORT/v1" Logging__LogLevel__Default=Warning \
  dotnet "$BIN/Gateway.Fast/Gateway.Fast.dll" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_ok "http://127.0.0.1:$GW_PORT/health"
URL="http://127.0.0.1:$GW_PORT/v1/load/default/openai/chat/completions"
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rps() { WRK_HEADER="Authorization: Bearer sk-load" wrk -t2 -c"$CONNECTIONS" -d"${1}s" -s loadtests/post.lua "$URL" | awk '/Requests\/sec/ {print $2}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk -t2 -c$CONNECTIONS -d${DURATION_S}s POST $URL (loadtests/bodies/chat.json)"
rps 3 >/dev/null # warm-up
compare() { # compare LABEL: one closed and one open run per round
  for round in $(seq 1 "$ROUNDS"); do
  echo "$1 round $round closed: $(rps "$DURATION_S") req/s"
  mkfifo "$WORK/viewer.in"
  dotnet "$BIN/DashboardViewer/DashboardViewer.dll" "http://127.0.0.1:$GW_PORT" "$TOKEN" "$CHROMIUM" <"$WORK/viewer.in" >"$WORK/viewer.log" 2>&1 &
  VIEWER=$!
  exec 3>"$WORK/viewer.in"
  until grep -q "dashboard open" "$WORK/viewer.log"; do kill -0 $VIEWER || { cat "$WORK/viewer.log"; exit 1; }; sleep 0.5; done
  echo "$1 round $round open:   $(rps "$DURATION_S") req/s"
  exec 3>&-
  wait $VIEWER || true
  rm -f "$WORK/viewer.in"
done
}
compare "fresh gateway"
if [[ $FILL_ROWS -gt 0 ]]; then
  sent=0
  while [[ $sent -lt $FILL_ROWS ]]; do
    WRK_HEADER="Authorization: Bearer sk-load" wrk -t2 -c64 -d20s -s loadtests/post.lua "$URL" >"$WORK/fill.txt"
    sent=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GW_PORT/api/management/gateways/default/logs?per_page=1" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["result_info"]["total_count"])')
    echo "rows: $sent"
  done
  end=$(date -u -d '+1 min' +%Y-%m-%dT%H:%M:%SZ)
  best() { for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$1"; done | sort -n | head -1; }
  A="http://127.0.0.1:$GW_PORT/api/management/gateways/default/analytics?start=$start&end=$end"
  echo "analytics totals over $sent rows:                 $(best "$A") s"
  echo "analytics hour buckets by model over $sent rows:  $(best "$A&bucket=hour&group_by=model") s"
  echo "logs page 1 (25 newest) over $sent rows:          $(best "http://127.0.0.1:$GW_PORT/api/management/gateways/default/logs?per_page=25") s"
  echo "logs page 1 filtered (model eq) over $sent rows:  $(best "http://127.0.0.1:$GW_PORT/api/management/gateways/default/logs?per_page=25&filters.key=model&filters.operator=eq&filters.value=gpt-4o-mini") s"
  compare "$sent rows"
fi
