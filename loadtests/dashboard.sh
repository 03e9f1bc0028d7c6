#!/usr/bin/env bash
# The dashboard's cost to the proxy: wrk's RPS through the gateway with no dashboard open, then with DashboardViewer
# keeping the overview (live, 15 s) and the logs tail (3 s) open in headless Chromium, alternating ROUNDS times on one
# gateway and one simulator. With FILL_ROWS=N it first sends N logged requests, then times /analytics and page 1 of the
# logs list over them (curl's time_total, best of 3). With CPU_S=N it then measures the gateway's own CPU time (from
# /proc, user + system) over N seconds without traffic, dashboard closed and then open: unlike RPS, that figure does not
# depend on who else had the cores. Everything shares this machine's cores: read the RPS as a comparison within one
# run, not as absolutes.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION_S=${DURATION_S:-10}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-2}
FILL_ROWS=${FILL_ROWS:-0}
CPU_S=${CPU_S:-0}
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
WORK=$(mktemp -d)
BIN=$WORK/bin
TOKEN=dashboard-load
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
source loadtests/lib.sh
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
GW_PID=$!
PIDS+=($GW_PID)
wait_ok "http://127.0.0.1:$GW_PORT/health"
URL="http://127.0.0.1:$GW_PORT/v1/load/default/openai/chat/completions"
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rps() { WRK_HEADER="Authorization: Bearer sk-load" wrk -t2 -c"$CONNECTIONS" -d"${1}s" -s loadtests/post.lua "$URL" | awk '/Requests\/sec/ {print $2}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk -t2 -c$CONNECTIONS -d${DURATION_S}s POST $URL (loadtests/bodies/chat.json)"
rps 3 >/dev/null # warm-up
open_viewer() {
  mkfifo "$WORK/viewer.in"
  dotnet "$BIN/DashboardViewer/DashboardViewer.dll" "http://127.0.0.1:$GW_PORT" "$TOKEN" "$CHROMIUM" <"$WORK/viewer.in" >"$WORK/viewer.log" 2>&1 &
  VIEWER=$!
  exec 3>"$WORK/viewer.in"
  until grep -q "dashboard open" "$WORK/viewer.log"; do kill -0 $VIEWER || { cat "$WORK/viewer.log"; exit 1; }; sleep 0.5; done
}
close_viewer() { grep -v "dashboard open" "$WORK/viewer.log" | sed 's/^/  viewer: /'; exec 3>&-; wait $VIEWER || true; rm -f "$WORK/viewer.in"; }
compare() { # compare LABEL: one closed and one open run per round; even rounds open first, so warm-up and the
  # machine's drifting load do not always favour the same side
  for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 == 1 )); then echo "$1 round $round closed: $(rps "$DURATION_S") req/s"; fi
    open_viewer
    echo "$1 round $round open:   $(rps "$DURATION_S") req/s"
    close_viewer
    if (( round % 2 == 0 )); then echo "$1 round $round closed: $(rps "$DURATION_S") req/s"; fi
  done
}
# The gateway's CPU time (user + system, ms) over CPU_S seconds: what serving the dashboard costs it, contention aside.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$GW_PID/stat"; }
idle_cpu() {
  local before; before=$(cpu_ms); sleep "$CPU_S"
  echo "$(( ($(cpu_ms) - before) ))"
}
compare "fresh gateway"
if [[ $CPU_S -gt 0 ]]; then
  rows=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GW_PORT/api/management/gateways/default/logs?per_page=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["result_info"]["total_count"])')
  # closed, open, closed: the first window also holds whatever background work the load left (compaction, trims).
  echo "gateway CPU over ${CPU_S} s, no proxy traffic, $rows log rows, dashboard closed: $(idle_cpu) ms"
  open_viewer
  echo "gateway CPU over ${CPU_S} s, no proxy traffic, $rows log rows, dashboard open:   $(idle_cpu) ms"
  close_viewer
  echo "gateway CPU over ${CPU_S} s, no proxy traffic, $rows log rows, dashboard closed: $(idle_cpu) ms"
fi
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
