#!/usr/bin/env bash
# The first minute without provider keys: the simulator as every provider's upstream, the gateway in front of it, then
# a streamed completion, a cache HIT, a log row and /metrics moving. Loopback only; a temp data folder; everything it
# started is stopped on exit. Needs the .NET 10 SDK and curl (jq, when present, makes the log row easier to read).
#
#   scripts/first-minute.sh            # from any folder
#   GATEWAY_PORT=8787 SIM_PORT=9000 scripts/first-minute.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gateway_port="${GATEWAY_PORT:-18080}"
sim_port="${SIM_PORT:-19000}"
token="${CF_AIG_MANAGEMENT_API_TOKEN:-first-minute-demo-token}"
gw="http://127.0.0.1:${gateway_port}"
sim="http://127.0.0.1:${sim_port}"
data="$(mktemp -d "${TMPDIR:-/tmp}/gateway-first-minute.XXXXXX")"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$gateway_port" "$sim_port"; do
  if in_use "$port"; then
    echo "port $port on 127.0.0.1 is taken; choose others with GATEWAY_PORT=… SIM_PORT=…" >&2
    exit 1
  fi
done

wait_for() { # url, name, pid
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$2 exited during start-up (its output is above)" >&2; exit 1; fi
    sleep 0.2
  done
  echo "$2 did not answer $1 within 60 s" >&2
  exit 1
}

step "build (once; later runs are incremental)"
for project in Gateway.Fast Gateway.Fast.Simulator; do
  if ! dotnet build "$root/src/$project/$project.csproj" -v q -nologo > "$data/build.log" 2>&1; then
    cat "$data/build.log" >&2
    exit 1
  fi
  echo "built $project"
done
gateway_bin="$root/src/Gateway.Fast/bin/Debug/net10.0"
sim_bin="$root/src/Gateway.Fast.Simulator/bin/Debug/net10.0"

step "start the simulator on $sim and the gateway on $gw (data in $data)"
(cd "$sim_bin" && exec dotnet Gateway.Fast.Simulator.dll --urls "$sim") &
pids+=($!)
# Each provider's upstream is Gateway__Providers__{slug}__BaseUrl: OpenAI's base ends in /v1, Anthropic's is the host.
(cd "$gateway_bin" && ASPNETCORE_URLS="$gw" GATEWAY_DATA="$data" CF_AIG_MANAGEMENT_API_TOKEN="$token" \
  Gateway__Providers__openai__BaseUrl="$sim/v1" Gateway__Providers__anthropic__BaseUrl="$sim" \
  Logging__LogLevel__Default=Warning exec dotnet Gateway.Fast.dll) &
pids+=($!)
wait_for "$sim/v1/models" simulator "${pids[0]}"
wait_for "$gw/health" gateway "${pids[1]}"

metrics() { curl -sf "$gw/metrics" | grep -E '^gateway_(requests|cache_requests)_total\{' | grep -v ' 0$' || true; }
before="$(metrics)"

chat='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}'
streamed='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello"}]}'
openai="$gw/v1/demo/default/openai/chat/completions"

step "a streamed completion (OpenAI passthrough; the simulator stands in for api.openai.com), event by event"
events="$(curl -sN "$openai" -H 'Authorization: Bearer sk-demo' -H 'Content-Type: application/json' -d "$streamed" | grep '^data: ')"
echo "$events" | head -n 3
echo "… ($(echo "$events" | wc -l | tr -d ' ') events in all, ending:)"
echo "$events" | tail -n 2

step "the same request twice with cf-aig-cache-ttl: the second is served from the gateway's cache"
cache_status() {
  curl -s -o /dev/null -D - "$openai" -H 'Authorization: Bearer sk-demo' -H 'Content-Type: application/json' \
    -H 'cf-aig-cache-ttl: 300' -d "$chat" | tr -d '\r' | grep -i '^cf-aig-cache-status:' | cut -d' ' -f2
}
first="$(cache_status)"
second="$(cache_status)"
echo "first:  cf-aig-cache-status: $first"
echo "second: cf-aig-cache-status: $second"

step "the log rows, through Cloudflare's logs API (management token)"
logs="$gw/client/v4/accounts/demo/ai-gateway/gateways/default/logs?per_page=5"
sent=3
for _ in $(seq 1 50); do # rows are committed every 100 ms after the response
  body="$(curl -sf "$logs" -H "Authorization: Bearer $token")"
  case "$body" in *"\"total_count\":$sent"*) break ;; *) sleep 0.1 ;; esac
done
if command -v jq >/dev/null; then
  echo "$body" | jq -c '.result[] | {id, provider, model, path, cached, status_code, duration, tokens_in, tokens_out, cost}'
  echo "$body" | jq -c '.result_info'
else
  echo "$body" | head -c 1200; echo
fi

step "/metrics moved"
after="$(metrics)"
echo "before:"; echo "${before:-(nothing counted yet)}" | sed 's/^/  /'
echo "after:";  echo "$after" | sed 's/^/  /'

step "done: stopping the gateway and the simulator, removing $data"
