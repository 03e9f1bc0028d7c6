#!/usr/bin/env bash
# Load tests for Gateway.Fast (design.md §8): direct to the simulator, through plain YARP and through the gateway, in one run,
# on one machine. Publishes everything, starts the servers on free loopback ports, runs three scenarios against each target,
# and writes loadtests/results/report-<date>.md. See loadtests/README.md for the knobs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION_S=${DURATION_S:-10}            # measured seconds per run
WARMUP_S=${WARMUP_S:-3}                 # warm-up seconds per run, discarded
CONNECTIONS=${CONNECTIONS:-"16 64"}     # wrk connections for the throughput scenario
WRK_THREADS=${WRK_THREADS:-2}
STREAM_CONCURRENCY=${STREAM_CONCURRENCY:-"1 32"}
STREAM_TOKENS=${STREAM_TOKENS:-64}
TARGETS=${TARGETS:-"direct yarp gateway"}
PIN=${PIN:-0}                           # 1: pin the load generator and the servers with taskset
GEN_CPUS=${GEN_CPUS:-0}                 # CPUs for wrk and StreamClient when PIN=1
SIM_CPUS=${SIM_CPUS:-1}                 # CPUs for the simulator when PIN=1
GW_CPUS=${GW_CPUS:-$SIM_CPUS}           # CPUs for YARP and the gateway when PIN=1
SKIP_PUBLISH=${SKIP_PUBLISH:-0}         # 1: reuse loadtests/results/bin from an earlier run
SIM_DLL=${SIM_DLL:-}                    # run this simulator dll instead of publishing src/Gateway.Fast.Simulator
GATEWAY_DLL=${GATEWAY_DLL:-}            # run this gateway dll instead of publishing src/Gateway.Fast
LOGGING=${LOGGING:-1}                   # scenario e: logging on (bodies kept and not) vs off (0 = skip)
RESILIENCE=${RESILIENCE:-1}             # scenario d: cache HIT and the resilience layer (0 = skip)
COMPAT=${COMPAT:-1}                     # scenario f: the unified API (/compat) vs passthrough (0 = skip)
ACCESS=${ACCESS:-1}                     # scenario g: gateway auth, and guardrails + DLP, vs the plain gateway (0 = skip)
SCENARIOS=${SCENARIOS:-"a b c d e f g"} # which scenarios run (a-c: every target; d-g: the gateway's own layers)
GW_HEADER=${GW_HEADER:-}                # one extra "name: value" header sent to the gateway only (e.g. auth)
READY_TIMEOUT_S=${READY_TIMEOUT_S:-30}

RESULTS=$ROOT/loadtests/results
BIN=$RESULTS/bin
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
RAW=$RESULTS/raw-$STAMP
REPORT=$RESULTS/report-$STAMP.md
COMMANDS=$RAW/commands.txt
mkdir -p "$BIN" "$RAW"
: >"$COMMANDS"

log() { printf '[loadtests %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in dotnet wrk curl python3; do
  command -v "$tool" >/dev/null || { log "missing $tool (wrk: apt-get install -y wrk)"; exit 1; }
done
if [[ $PIN == 1 ]] && ! command -v taskset >/dev/null; then
  log "PIN=1 but taskset is missing; running unpinned"
  PIN=0
fi

pin() { # pin CPUS -- prints the taskset prefix, or nothing
  if [[ $PIN == 1 ]]; then printf 'taskset -c %s' "$1"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# :: Step 1: publish.
publish() { # publish NAME PROJECT -> 0 when BIN/NAME/NAME.dll exists
  local name=$1 project=$2 dll=$3
  if [[ $SKIP_PUBLISH != 1 ]]; then
    log "publishing $project"
    if ! dotnet publish "$project" -c Release -o "$BIN/$name" --nologo -v q >"$RAW/publish-$name.log" 2>&1; then
      log "publish of $project failed (see $RAW/publish-$name.log)"
      return 1
    fi
  fi
  [[ -f $BIN/$name/$dll ]]
}

declare -A STATUS=()
[[ -n $SIM_DLL ]] || { publish simulator src/Gateway.Fast.Simulator/Gateway.Fast.Simulator.csproj Gateway.Fast.Simulator.dll \
  || { log "the simulator did not build; nothing to measure"; exit 1; }; SIM_DLL=$BIN/simulator/Gateway.Fast.Simulator.dll; }
publish yarp loadtests/YarpProxy/YarpProxy.csproj YarpProxy.dll || { log "YarpProxy did not build"; exit 1; }
publish streamclient loadtests/StreamClient/StreamClient.csproj StreamClient.dll || { log "StreamClient did not build"; exit 1; }
if [[ -z $GATEWAY_DLL ]]; then
  if [[ -f src/Gateway.Fast/Gateway.Fast.csproj ]] && publish gateway src/Gateway.Fast/Gateway.Fast.csproj Gateway.Fast.dll; then
    GATEWAY_DLL=$BIN/gateway/Gateway.Fast.dll
  else
    STATUS[gateway]="not built (src/Gateway.Fast does not publish Gateway.Fast.dll)"
  fi
fi
CLIENT=$BIN/streamclient/StreamClient.dll

# :: Step 2: start the servers and wait until each answers.
PIDS=()
GW_DATA=""
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -z $GW_DATA ]] || rm -rf "$GW_DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # start NAME CPUS -- command... ; env comes from the caller's `env` prefix inside the command
  local name=$1 cpus=$2
  shift 3
  local prefix
  prefix=$(pin "$cpus")
  echo "$name: ${prefix:+$prefix }$(printf '%q ' "$@")" >>"$COMMANDS"
  # shellcheck disable=SC2046
  $(pin "$cpus") "$@" >"$RAW/$name.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$name=$!"
}

chat_probe() { # chat_probe URL [header] -> 0 when a non-streaming chat POST answers 2xx
  local extra=()
  [[ -z ${2:-} ]] || extra=(-H "$2")
  curl -sf -o /dev/null --max-time 2 -X POST -H 'Content-Type: application/json' "${extra[@]}" \
    --data-binary @loadtests/bodies/chat.json "$1"
}

chat_probe_body() { # chat_probe_body URL BODYFILE -> 0 when a POST of that body answers 2xx
  curl -sf -o /dev/null --max-time 2 -X POST -H 'Content-Type: application/json' --data-binary @"$2" "$1"
}

wait_ready() { # wait_ready NAME PROBE... -> 0 when PROBE succeeds before the deadline and the process is alive
  local name=$1 pid_var="PID_$1"
  shift
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! kill -0 "${!pid_var}" 2>/dev/null; then
      log "$name exited before it was ready (see $RAW/$name.log)"
      return 1
    fi
    if "$@"; then return 0; fi
    sleep 0.2
  done
  log "$name not ready after ${READY_TIMEOUT_S}s"
  return 1
}

SIM_PORT=$(free_port)
start simulator "$SIM_CPUS" -- env Logging__LogLevel__Default=Warning dotnet "$SIM_DLL" --urls "http://127.0.0.1:$SIM_PORT"
wait_ready simulator chat_probe "http://127.0.0.1:$SIM_PORT/v1/chat/completions" || exit 1

declare -A URL=([direct]="http://127.0.0.1:$SIM_PORT/v1/chat/completions")
declare -A HEADER=([direct]="" [yarp]="" [gateway]="$GW_HEADER")
declare -A BODY=()                      # per-target request body (default loadtests/bodies/chat.json)
body_of() { echo "loadtests/bodies/${BODY[$1]:-chat.json}"; }
runs() { [[ " $SCENARIOS " == *" $1 "* ]]; }

if [[ " $TARGETS " == *" yarp "* ]]; then
  YARP_PORT=$(free_port)
  start yarp "$GW_CPUS" -- env YARP_UPSTREAM="http://127.0.0.1:$SIM_PORT" ASPNETCORE_URLS="http://127.0.0.1:$YARP_PORT" \
    dotnet "$BIN/yarp/YarpProxy.dll"
  URL[yarp]="http://127.0.0.1:$YARP_PORT/v1/chat/completions"
  wait_ready yarp chat_probe "${URL[yarp]}" || STATUS[yarp]="not running (see $RAW/yarp.log)"
fi

if [[ " $TARGETS " == *" gateway "* && -z ${STATUS[gateway]:-} ]]; then
  GW_PORT=$(free_port)
  GW_DATA=$(mktemp -d)
  start gateway "$GW_CPUS" -- env ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" GATEWAY_DATA="$GW_DATA" \
    CF_AIG_MANAGEMENT_API_TOKEN=loadtest Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$SIM_PORT/v1" \
    Gateway__Providers__anthropic__BaseUrl="http://127.0.0.1:$SIM_PORT" \
    Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL"
  URL[gateway]="http://127.0.0.1:$GW_PORT/v1/load/default/openai/chat/completions"
  if ! wait_ready gateway curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$GW_PORT/health"; then
    why=$(grep -m1 -o 'Unhandled exception\..*' "$RAW/gateway.log" | cut -c1-200 || true)
    STATUS[gateway]="not running (no 200 from /health${why:+: $why}; see $RAW/gateway.log)"
  elif ! chat_probe "${URL[gateway]}" "$GW_HEADER"; then
    STATUS[gateway]="not forwarding (POST ${URL[gateway]} did not answer 2xx)"
  fi
fi

ACTIVE=()
for target in $TARGETS; do
  if [[ -n ${STATUS[$target]:-} ]]; then
    log "skipping $target: ${STATUS[$target]}"
    echo "$target ${STATUS[$target]}" >>"$RAW/skipped.txt"
  else
    ACTIVE+=("$target")
  fi
done
log "targets: ${ACTIVE[*]}"

run_logged() { # run_logged OUTFILE -- command... : records the command line, runs it pinned to GEN_CPUS
  local out=$1
  shift 2
  local prefix
  prefix=$(pin "$GEN_CPUS")
  echo "${prefix:+$prefix }$(printf '%q ' "$@")" >>"$COMMANDS"
  # shellcheck disable=SC2046
  $(pin "$GEN_CPUS") "$@" >"$out" 2>"$out.err" || log "command failed ($out.err): $*"
}

client_args() { # client_args TARGET -> extra header flags for StreamClient
  [[ -z ${HEADER[$1]} ]] || printf -- '--header\n%s\n' "${HEADER[$1]}"
}

latency_and_throughput() { # latency_and_throughput SCENARIO TARGET: one in flight (StreamClient), then wrk -c64
  local scenario=$1 target=$2
  log "$scenario: latency at concurrency 1 and wrk -c64 -> $target"
  mapfile -t extra < <(client_args "$target")
  run_logged "$RAW/$scenario-a-$target.json" -- dotnet "$CLIENT" --url "${URL[$target]}" --plain --concurrency 1 \
    --duration-s "$DURATION_S" --warmup-s "$WARMUP_S" --body "$(body_of "$target")" --label "$target" "${extra[@]}"
  export WRK_BODY=$ROOT/$(body_of "$target") WRK_HEADER=${HEADER[$target]}
  run_logged "$RAW/$scenario-b-$target.warmup.txt" -- wrk -t"$WRK_THREADS" -c64 -d"${WARMUP_S}s" -s loadtests/post.lua "${URL[$target]}"
  run_logged "$RAW/$scenario-b-$target.txt" -- wrk -t"$WRK_THREADS" -c64 -d"${DURATION_S}s" --latency -s loadtests/post.lua "${URL[$target]}"
}

# :: Step 3a: added latency at one request in flight, non-streaming.
runs a && for target in "${ACTIVE[@]}"; do
  log "a: latency at concurrency 1 -> $target"
  mapfile -t extra < <(client_args "$target")
  run_logged "$RAW/a-$target.json" -- dotnet "$CLIENT" --url "${URL[$target]}" --plain --concurrency 1 \
    --duration-s "$DURATION_S" --warmup-s "$WARMUP_S" --body loadtests/bodies/chat.json --label "$target" "${extra[@]}"
done

# :: Step 3b: throughput, non-streaming, with wrk (a warm-up run first, discarded).
runs b && for conns in $CONNECTIONS; do
  for target in "${ACTIVE[@]}"; do
    log "b: wrk -c$conns -> $target"
    export WRK_BODY=$ROOT/loadtests/bodies/chat.json WRK_HEADER=${HEADER[$target]}
    echo "# warm-up, discarded: WRK_BODY=$WRK_BODY WRK_HEADER='$WRK_HEADER'" >>"$COMMANDS"
    run_logged "$RAW/b-c$conns-$target.warmup.txt" -- wrk -t"$WRK_THREADS" -c"$conns" -d"${WARMUP_S}s" \
      -s loadtests/post.lua "${URL[$target]}"
    run_logged "$RAW/b-c$conns-$target.txt" -- wrk -t"$WRK_THREADS" -c"$conns" -d"${DURATION_S}s" --latency \
      -s loadtests/post.lua "${URL[$target]}"
  done
done

# :: Step 3c: streaming, time to first and last byte.
runs c && for conc in $STREAM_CONCURRENCY; do
  for target in "${ACTIVE[@]}"; do
    log "c: stream x$conc, $STREAM_TOKENS tokens -> $target"
    mapfile -t extra < <(client_args "$target")
    run_logged "$RAW/c-c$conc-$target.json" -- dotnet "$CLIENT" --url "${URL[$target]}" --concurrency "$conc" \
      --duration-s "$DURATION_S" --warmup-s "$WARMUP_S" --body loadtests/bodies/chat-stream.json \
      --header "x-sim-tokens: $STREAM_TOKENS" --label "$target" "${extra[@]}"
  done
done

# :: Step 3d: the resilience layer, beside direct and the plain gateway: a cache HIT (every request identical, so all but
# the first are served from the cache), and a gateway with a sliding rate limit that never trips plus retry settings
# (healthy upstream, so no retry happens): what the checks cost on the path that passes them.
if [[ " ${ACTIVE[*]} " == *" gateway "* && $RESILIENCE == 1 ]] && runs d; then
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer loadtest" -H 'Content-Type: application/json' \
    --data '{"id":"resilient","cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":60,"rate_limiting_limit":2000000000,"rate_limiting_technique":"sliding","retry_max_attempts":3,"retry_delay":100,"retry_backoff":"exponential"}' \
    "http://127.0.0.1:$GW_PORT/api/management/gateways" || log "could not create the 'resilient' gateway"
  URL[gateway-cache]=${URL[gateway]}
  HEADER[gateway-cache]="cf-aig-cache-ttl: 3600"
  URL[gateway-resilience]="http://127.0.0.1:$GW_PORT/v1/load/resilient/openai/chat/completions"
  HEADER[gateway-resilience]=""
  for target in direct gateway gateway-cache gateway-resilience; do
    latency_and_throughput d "$target"
  done
fi

# :: Step 3e: what request logging costs: the default gateway logs every request with its bodies; the same requests
# without bodies (cf-aig-collect-log-payload: false) and without a row at all (cf-aig-collect-log: false).
if [[ " ${ACTIVE[*]} " == *" gateway "* && $LOGGING == 1 ]] && runs e; then
  URL[gateway-nobody]=${URL[gateway]}
  HEADER[gateway-nobody]="cf-aig-collect-log-payload: false"
  URL[gateway-nolog]=${URL[gateway]}
  HEADER[gateway-nolog]="cf-aig-collect-log: false"
  for target in direct gateway gateway-nobody gateway-nolog; do
    latency_and_throughput e "$target"
  done
fi

# :: Step 3f: the unified API. OpenAI through /compat (only model changes) beside OpenAI passthrough; Anthropic through
# /compat (translated both ways) beside Anthropic passthrough with the equivalent native body; then streamed, one in flight.
if [[ " ${ACTIVE[*]} " == *" gateway "* && $COMPAT == 1 ]] && runs f; then
  GW_ROOT="http://127.0.0.1:$GW_PORT/v1/load/default"
  URL[gateway-compat]="$GW_ROOT/compat/chat/completions"; BODY[gateway-compat]=chat-compat.json; HEADER[gateway-compat]=""
  URL[gateway-anthropic]="$GW_ROOT/anthropic/v1/messages"; BODY[gateway-anthropic]=anthropic.json; HEADER[gateway-anthropic]=""
  URL[gateway-compat-anthropic]="$GW_ROOT/compat/chat/completions"; BODY[gateway-compat-anthropic]=chat-compat-anthropic.json
  HEADER[gateway-compat-anthropic]=""
  for target in gateway gateway-compat gateway-anthropic gateway-compat-anthropic; do
    if chat_probe_body "${URL[$target]}" "$(body_of "$target")"; then
      latency_and_throughput f "$target"
    else
      log "f: $target does not answer 2xx; skipped"
    fi
  done
  BODY[gateway-anthropic]=anthropic-stream.json; BODY[gateway-compat-anthropic]=chat-compat-anthropic-stream.json
  declare -A END=([gateway-anthropic]="message_stop" [gateway-compat-anthropic]="data: [DONE]")
  for target in gateway-anthropic gateway-compat-anthropic; do
    log "f: stream x1, $STREAM_TOKENS tokens -> $target"
    run_logged "$RAW/f-c-$target.json" -- dotnet "$CLIENT" --url "${URL[$target]}" --concurrency 1 \
      --duration-s "$DURATION_S" --warmup-s "$WARMUP_S" --body "$(body_of "$target")" \
      --header "x-sim-tokens: $STREAM_TOKENS" --label "$target" --end-marker "${END[$target]}"
  done
fi

# :: Step 3g: access control on the hot path: an authenticated gateway (a token checked per request), and a gateway with
# guardrails (every prompt category, P1 blocking) and DLP (request and response) whose rules never match the load's text.
if [[ " ${ACTIVE[*]} " == *" gateway "* && $ACCESS == 1 ]] && runs g; then
  MGMT=(-H "Authorization: Bearer loadtest" -H 'Content-Type: application/json')
  curl -sf -o /dev/null -X POST "${MGMT[@]}" "http://127.0.0.1:$GW_PORT/api/management/gateways" \
    --data '{"id":"locked","cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0,"authentication":true}' \
    || log "could not create the 'locked' gateway"
  TOKEN=$(curl -sf -X POST "${MGMT[@]}" "http://127.0.0.1:$GW_PORT/api/management/gateways/locked/tokens" --data '{"name":"load"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["token"])' || true)
  curl -sf -o /dev/null -X POST "${MGMT[@]}" "http://127.0.0.1:$GW_PORT/api/management/gateways" \
    --data '{"id":"guarded","cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0,
      "guardrails":{"prompt":{"S1":"FLAG","S2":"FLAG","S3":"FLAG","S4":"BLOCK","S9":"BLOCK","S10":"FLAG","S11":"FLAG","S12":"FLAG","P1":"BLOCK"},
                    "response":{"S1":"FLAG","S10":"BLOCK","S12":"FLAG"}},
      "dlp":{"enabled":true,"policies":[{"id":"cards","action":"BLOCK","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["credit_card"]},
                                        {"id":"secrets","action":"BLOCK","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["secrets"]},
                                        {"id":"pii","action":"FLAG","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["email"]}]}}' \
    || log "could not create the 'guarded' gateway"
  URL[gateway-auth]="http://127.0.0.1:$GW_PORT/v1/load/locked/openai/chat/completions"; HEADER[gateway-auth]="cf-aig-authorization: Bearer $TOKEN"
  URL[gateway-guard]="http://127.0.0.1:$GW_PORT/v1/load/guarded/openai/chat/completions"; HEADER[gateway-guard]=""
  for target in gateway gateway-auth gateway-guard; do
    if chat_probe "${URL[$target]}" "${HEADER[$target]}"; then
      latency_and_throughput g "$target"
    else
      log "g: $target does not answer 2xx; skipped"
    fi
  done
fi

# :: Step 4: the report.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown) ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo ?))"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu 2>/dev/null | grep 'Model name' | sed 's/Model name:[[:space:]]*//' | head -1)"
  echo "memory (free -g):"
  free -g | sed 's/^/    /'
  echo "dotnet: $(dotnet --version)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "settings: DURATION_S=$DURATION_S WARMUP_S=$WARMUP_S CONNECTIONS='$CONNECTIONS' WRK_THREADS=$WRK_THREADS" \
    "STREAM_CONCURRENCY='$STREAM_CONCURRENCY' STREAM_TOKENS=$STREAM_TOKENS PIN=$PIN" \
    "$([[ $PIN == 1 ]] && echo "GEN_CPUS=$GEN_CPUS SIM_CPUS=$SIM_CPUS GW_CPUS=$GW_CPUS")"
} >"$RAW/hardware.txt"

python3 loadtests/report.py "$RAW" >"$REPORT"
cat "$REPORT"
log "report: $REPORT (raw output in $RAW)"
