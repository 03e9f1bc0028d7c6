#!/usr/bin/env bash
# The capacity report: publishes the simulator, plain YARP, the gateway and loadtests/Capacity, starts the servers on free
# loopback ports, describes the targets (direct, YARP, the gateway with logs on and off, its cache HIT path, /compat
# translated to Anthropic, guardrails + DLP on) and runs Capacity, which writes loadtests/report/ (README.md, PNG charts,
# capacity.json). `--quick` takes about two minutes after publishing; the full run about twelve on two cores.
# See loadtests/README.md ("Capacity report").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

QUICK=()
STREAMS_ONLY=0
RESTART_SERVERS=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=(--quick) ;;
    --streams-only) STREAMS_ONLY=1 ;; # only the streams-at-scale scenario, for direct and the gateway
    --restart-servers) RESTART_SERVERS=1 ;; # internal: what Capacity runs between stream levels with FRESH_PER_LEVEL=1
    *) echo "usage: loadtests/capacity.sh [--quick] [--streams-only]" >&2; exit 2 ;;
  esac
done

OUT=${OUT:-$ROOT/loadtests/report}            # where the report is written
SKIP_PUBLISH=${SKIP_PUBLISH:-0}               # 1: reuse loadtests/results/bin from an earlier run
STREAM_GAP_MS=${STREAM_GAP_MS:-100}           # the simulator's gap between stream events (10 = a fast model's pace)
STREAM_OPEN_RATE=${STREAM_OPEN_RATE:-2000}    # new streams per second while a level ramps up
STREAM_LEVELS=${STREAM_LEVELS:-}              # e.g. 1000,5000,10000 (default: the plan's)
ONLY=${ONLY:-}                                # e.g. direct,gateway: measure only these targets
FRESH_PER_LEVEL=${FRESH_PER_LEVEL:-0}         # 1: start the simulator and the gateway afresh before every stream level
STREAM_HOLD_SECONDS=${STREAM_HOLD_SECONDS:-}  # how long a level's streams are held together (default: the plan's)
GATEWAY_ENV=${GATEWAY_ENV:-}                  # extra NAME=value settings for the gateway, e.g. DOTNET_GCConserveMemory=5
UPSTREAM_H2C=${UPSTREAM_H2C:-0}               # 1: the gateway calls the simulator over cleartext HTTP/2 (as https providers over h2)
READY_TIMEOUT_S=${READY_TIMEOUT_S:-30}

RESULTS=$ROOT/loadtests/results
BIN=$RESULTS/bin
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
RAW=${CAPACITY_RAW:-$RESULTS/capacity-$STAMP}
mkdir -p "$BIN" "$RAW"
log() { printf '[capacity.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
BEGAN=$SECONDS

# :: The servers: started here, and again between stream levels with FRESH_PER_LEVEL=1.
PIDS=()
start() { # start NAME command... -> PID_NAME
  local name=$1
  shift
  "$@" >>"$RAW/$name.log" 2>&1 &
  PIDS+=($!)
  printf -v "PID_$name" '%s' "$!"
}

wait_ready() { # wait_ready NAME URL [BODYFILE] -> 0 once a GET (or a POST of BODYFILE) answers 2xx
  local name=$1 url=$2 body=${3:-} pid_var="PID_$1"
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    kill -0 "${!pid_var}" 2>/dev/null || { log "$name exited (see $RAW/$name.log)"; return 1; }
    if [[ -n $body ]]; then
      curl -sf -o /dev/null --max-time 2 -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$url" && return 0
    else
      curl -sf -o /dev/null --max-time 2 "$url" && return 0
    fi
    sleep 0.2
  done
  log "$name not ready after ${READY_TIMEOUT_S}s"
  return 1
}

start_simulator() {
  # A second endpoint that speaks only HTTP/2 (Kestrel takes cleartext HTTP/2 with prior knowledge only on such an
  # endpoint), for UPSTREAM_H2C=1.
  start simulator env Logging__LogLevel__Default=Warning Kestrel__Endpoints__h1__Url="http://127.0.0.1:$SIM_PORT" \
    Kestrel__Endpoints__h2c__Url="http://127.0.0.1:$SIM_H2C_PORT" Kestrel__Endpoints__h2c__Protocols=Http2 \
    dotnet "$BIN/simulator/Gateway.Fast.Simulator.dll"
  wait_ready simulator "http://127.0.0.1:$SIM_PORT/v1/chat/completions" loadtests/bodies/chat.json || exit 1
  echo "$PID_simulator" >"$RAW/pid.simulator"
}

start_gateway() { # start_gateway DATA_FOLDER
  local upstream=$SIM_PORT h2c=()
  if [[ $UPSTREAM_H2C == 1 ]]; then
    # Streams share HTTP/2 connections upstream, so each needs one descriptor (the client's), not two: Kestrel's cap,
    # which assumes two, is raised to what the limit allows with one.
    upstream=$SIM_H2C_PORT
    h2c=(Gateway__UpstreamCleartextHttp2=true Gateway__Server__MaxConcurrentConnections=$(($(ulimit -n) - 1024)))
  fi
  # shellcheck disable=SC2086 # GATEWAY_ENV is a list of NAME=value words
  start gateway env ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" GATEWAY_DATA="$1" CF_AIG_MANAGEMENT_API_TOKEN=capacity \
    Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$upstream/v1" Gateway__Providers__anthropic__BaseUrl="http://127.0.0.1:$upstream" \
    Logging__LogLevel__Default=Warning "${h2c[@]}" $GATEWAY_ENV dotnet "$BIN/gateway/Gateway.Fast.dll"
  wait_ready gateway "http://127.0.0.1:$GW_PORT/health" || exit 1
  echo "$PID_gateway" >"$RAW/pid.gateway"
}

# Stops the simulator and the gateway, starts both on the same ports (the gateway on an empty data folder) and prints
# process=pid for each once they answer, so a stream level starts from new processes, not the last level's leftovers.
# The servers outlive this run of the script; the first run's cleanup stops them by the pids in $RAW/pid.*.
if [[ $RESTART_SERVERS == 1 ]]; then
  for name in simulator gateway; do
    pid=$(cat "$RAW/pid.$name")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null || kill -9 "$pid" # still draining after 30 s
  done
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  start_simulator
  start_gateway "$GW_DATA/$(date +%s%N)"
  # The warm-up a long-running gateway has had: the stream path's code compiled, and the token counter's tables (~38 MB,
  # loaded in the background by the first stream without usage) in memory before the level reads its "before" RSS.
  for _ in $(seq 50); do
    curl -sf -o /dev/null --max-time 5 -X POST -H 'Content-Type: application/json' --data-binary @loadtests/bodies/chat-stream.json \
      "http://127.0.0.1:$GW_PORT/v1/capacity/default/openai/chat/completions" || true
  done
  sleep 5
  echo "simulator=$PID_simulator"
  echo "gateway=$PID_gateway"
  exit 0
fi

for tool in dotnet curl python3 git; do
  command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }
done

# Every held stream is a socket in the client and the simulator and two in the gateway: take the hard limit, which the
# servers started below inherit. The report states each process's limit and the streams it allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
log "open-file limit: $(ulimit -n)"

source loadtests/lib.sh

# :: Step 1: publish (Release).
for pair in simulator:src/Gateway.Fast.Simulator/Gateway.Fast.Simulator.csproj yarp:loadtests/YarpProxy/YarpProxy.csproj \
  gateway:src/Gateway.Fast/Gateway.Fast.csproj capacity:loadtests/Capacity/Capacity.csproj; do
  name=${pair%%:*} project=${pair#*:}
  if [[ $SKIP_PUBLISH != 1 ]]; then
    log "publishing $project"
    dotnet publish "$project" -c Release -o "$BIN/$name" --nologo -v q >"$RAW/publish-$name.log" 2>&1 \
      || { log "publish of $project failed (see $RAW/publish-$name.log)"; exit 1; }
  fi
done
PUBLISHED=$SECONDS

# :: Step 2: start the simulator, YARP and the gateway (its own data folder); stop them on exit.
GW_DATA=$(mktemp -d)
cleanup() {
  local pid
  # Servers a restart between stream levels started are not this shell's children: their pids are in files.
  for pid in $(cat "$RAW"/pid.* 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$GW_DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SIM_PORT=$(free_port) SIM_H2C_PORT=$(free_port) YARP_PORT=$(free_port) GW_PORT=$(free_port)
start_simulator
start yarp env YARP_UPSTREAM="http://127.0.0.1:$SIM_PORT" ASPNETCORE_URLS="http://127.0.0.1:$YARP_PORT" \
  dotnet "$BIN/yarp/YarpProxy.dll"
start_gateway "$GW_DATA/0"
wait_ready yarp "http://127.0.0.1:$YARP_PORT/health" || exit 1

# :: Step 3: a gateway with guardrails (every prompt category, P1 blocking) and DLP on requests and responses whose rules
# never match the load's text, as run.sh's scenario g: what the checks cost on the path that passes them.
curl -sf -o /dev/null -X POST -H "Authorization: Bearer capacity" -H 'Content-Type: application/json' \
  "http://127.0.0.1:$GW_PORT/api/management/gateways" \
  --data '{"id":"guarded","cache_invalidate_on_update":false,"cache_ttl":0,"collect_logs":true,"rate_limiting_interval":0,"rate_limiting_limit":0,
    "guardrails":{"prompt":{"S1":"FLAG","S2":"FLAG","S3":"FLAG","S4":"BLOCK","S9":"BLOCK","S10":"FLAG","S11":"FLAG","S12":"FLAG","P1":"BLOCK"},
                  "response":{"S1":"FLAG","S10":"BLOCK","S12":"FLAG"}},
    "dlp":{"enabled":true,"policies":[{"id":"cards","action":"BLOCK","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["credit_card"]},
                                      {"id":"secrets","action":"BLOCK","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["secrets"]},
                                      {"id":"pii","action":"FLAG","check":["REQUEST","RESPONSE"],"enabled":true,"profiles":["email"]}]}}' \
  || { log "could not create the 'guarded' gateway"; exit 1; }

# :: Step 4: the targets. PIDs name the process whose CPU and memory are charged (the simulator for direct).
GW="http://127.0.0.1:$GW_PORT/v1/capacity"
python3 - "$RAW/targets.json" <<PY
import json, sys
sim, yarp, gw = $PID_simulator, $PID_yarp, $PID_gateway
gw_fds = 1 if "$UPSTREAM_H2C" == "1" else 2  # descriptors per held stream: h2c streams share upstream connections
chat, stream = "loadtests/bodies/chat.json", "loadtests/bodies/chat-stream.json"
targets = [
  dict(name="direct", head_to_head=True, description="the simulator alone (the baseline)", url="http://127.0.0.1:$SIM_PORT/v1/chat/completions",
       pid=sim, process="simulator", body=chat, streams=True, stream_body=stream, stream_ttfb=True),
  dict(name="yarp", head_to_head=True, description="plain YARP forwarder", url="http://127.0.0.1:$YARP_PORT/v1/chat/completions",
       pid=yarp, process="yarp", upstream_pid=sim, body=chat, stream_body=stream, stream_ttfb=True),
  dict(name="gateway", head_to_head=True, description="gateway, logs with bodies on (the default)", url="$GW/default/openai/chat/completions",
       pid=gw, process="gateway", upstream_pid=sim, body=chat, streams=True, stream_body=stream, stream_ttfb=True,
       health_url="http://127.0.0.1:$GW_PORT/health", descriptors_per_stream=gw_fds),
  dict(name="gateway-nolog", head_to_head=True, description="gateway, cf-aig-collect-log: false", url="$GW/default/openai/chat/completions",
       pid=gw, process="gateway", upstream_pid=sim, body=chat, headers={"cf-aig-collect-log": "false"}),
  dict(name="gateway-cache", head_to_head=True, description="gateway, cache HIT (cf-aig-cache-ttl, identical requests)",
       url="$GW/default/openai/chat/completions", pid=gw, process="gateway", upstream_pid=sim, body=chat, headers={"cf-aig-cache-ttl": "3600"}),
  dict(name="gateway-compat", description="gateway /compat: an OpenAI body to an Anthropic model, translated both ways",
       url="$GW/default/compat/chat/completions", pid=gw, process="gateway", upstream_pid=sim, body="loadtests/bodies/chat-compat-anthropic.json"),
  dict(name="gateway-guard", description="gateway with guardrails and DLP on requests and responses",
       url="$GW/guarded/openai/chat/completions", pid=gw, process="gateway", upstream_pid=sim, body=chat),
]
json.dump(targets, open(sys.argv[1], "w"), indent=2)
PY

for probe in "$GW/default/compat/chat/completions loadtests/bodies/chat-compat-anthropic.json" \
  "$GW/guarded/openai/chat/completions loadtests/bodies/chat.json"; do
  set -- $probe
  curl -sf -o /dev/null --max-time 5 -X POST -H 'Content-Type: application/json' --data-binary @"$2" "$1" \
    || { log "$1 does not answer 2xx; stopping"; exit 1; }
done

# :: Step 5: measure and write the report.
COMMIT=$(git rev-parse --short HEAD)$([[ -z $(git status --porcelain --untracked-files=no -- src loadtests/Capacity) ]] || echo -dirty)
COMMAND="loadtests/capacity.sh${QUICK:+ --quick}$([[ $STREAMS_ONLY != 1 ]] || echo ' --streams-only')"
ARGS=(run --targets "$RAW/targets.json" --out "$OUT" --commit "$COMMIT" --command "$COMMAND"
  --stream-gap-ms "$STREAM_GAP_MS" --stream-open-rate "$STREAM_OPEN_RATE" "${QUICK[@]}")
[[ -z $STREAM_LEVELS ]] || ARGS+=(--stream-levels "$STREAM_LEVELS")
[[ -z $ONLY ]] || ARGS+=(--only "$ONLY")
[[ $STREAMS_ONLY != 1 ]] || ARGS+=(--streams-only)
[[ -z $STREAM_HOLD_SECONDS ]] || ARGS+=(--stream-hold-seconds "$STREAM_HOLD_SECONDS")
if [[ $FRESH_PER_LEVEL == 1 ]]; then
  printf -v RESTART 'CAPACITY_RAW=%q SIM_PORT=%q SIM_H2C_PORT=%q GW_PORT=%q GW_DATA=%q GATEWAY_ENV=%q UPSTREAM_H2C=%q %q --restart-servers' \
    "$RAW" "$SIM_PORT" "$SIM_H2C_PORT" "$GW_PORT" "$GW_DATA" "$GATEWAY_ENV" "$UPSTREAM_H2C" "$ROOT/loadtests/capacity.sh"
  ARGS+=(--restart-command "$RESTART")
fi
dotnet "$BIN/capacity/Capacity.dll" "${ARGS[@]}" 2> >(tee "$RAW/capacity.log" >&2)
log "done: $OUT/README.md (publishing $((PUBLISHED - BEGAN)) s, measuring $((SECONDS - PUBLISHED)) s; logs in $RAW)"
