#!/usr/bin/env bash
# The dashboard overview's first paint over a large log store: fills ROWS rows (one every SPACING_MS, ending now) into a
# fresh data folder with the log-scale bench, starts the gateway on it, and has DashboardViewer open the overview RUNS
# times per range (hour, day, week; all gateways) in headless Chromium, printing the time from navigation to the KPI
# cards filled and to the whole screen ready. Shares this machine's cores: a comparison within one run, not absolutes.
# BIN=folder reuses the three projects published there by an earlier run (subfolders Gateway.Fast,
# Gateway.Fast.Benchmarks, DashboardViewer) instead of publishing them again.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

ROWS=${ROWS:-1000000}
SPACING_MS=${SPACING_MS:-60}
RUNS=${RUNS:-5}
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
WORK=$(mktemp -d)
BIN=${BIN:-$WORK/bin}
TOKEN=first-paint
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
source loadtests/lib.sh
wait_ok() { for _ in $(seq 1 3000); do curl -sf -o /dev/null "$@" && return 0; sleep 0.2; done; echo "not ready: $*" >&2; return 1; }

for p in src/Gateway.Fast bench/Gateway.Fast.Benchmarks loadtests/DashboardViewer; do
  [[ -f "$BIN/$(basename "$p")/$(basename "$p").dll" ]] || dotnet publish "$p" -c Release -o "$BIN/$(basename "$p")" --nologo -v q >/dev/null
done

mkdir -p "$WORK/data"
dotnet "$BIN/Gateway.Fast.Benchmarks/Gateway.Fast.Benchmarks.dll" --log-scale "$ROWS" --no-bodies --spacing-ms "$SPACING_MS" \
  --gateway bench --keep "$WORK/data/logs"

GW_PORT=$(free_port)
start=$(date +%s.%N)
ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" GATEWAY_DATA="$WORK/data" CF_AIG_MANAGEMENT_API_TOKEN=$TOKEN Logging__LogLevel__Default=Warning \
  dotnet "$BIN/Gateway.Fast/Gateway.Fast.dll" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_ok "http://127.0.0.1:$GW_PORT/health"
echo "gateway open over $ROWS rows (log replay included): $(echo "$(date +%s.%N) - $start" | bc) s"
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"id":"bench"}' "http://127.0.0.1:$GW_PORT/api/management/gateways"
dotnet "$BIN/DashboardViewer/DashboardViewer.dll" "http://127.0.0.1:$GW_PORT" "$TOKEN" "$CHROMIUM" --first-paint "$RUNS"
