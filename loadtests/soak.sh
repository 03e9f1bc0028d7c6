#!/usr/bin/env bash
# Soak: the gateway under a steady mix of plain, streamed and cached requests (logs with bodies on, the default gateway's
# setting) for SOAK_SECONDS, then SETTLE_SECONDS idle. Every SAMPLE_S it records RSS, managed heap, GC committed memory,
# cache memory (from /health's memory section), the data folder's size, open descriptors and errors into a CSV, then prints
# the growth rates over the last half of the load and the largest gap between two events of a stream (overall and in each
# minute of the load: the first holds the warm-up).
# The same script measures a burst: PLAIN_CONNECTIONS=0 CACHED_CONNECTIONS=0 STREAM_CONCURRENCY=3000 SOAK_SECONDS=30
# SETTLE_SECONDS=60 prints RSS a minute after 3,000 streams end against its level before them; BURSTS=2 runs the load and
# the idle minute twice in the same process and prints both give-backs (the first fills the stores' memory budgets and
# loads what loads lazily; the second shows whether a burst leaves anything more behind).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SOAK_SECONDS=${SOAK_SECONDS:-600}          # load duration
BURSTS=${BURSTS:-1}                        # load + settle rounds in one gateway process
SETTLE_SECONDS=${SETTLE_SECONDS:-60}       # idle sampling after the load (memory given back)
WARMUP_SECONDS=${WARMUP_SECONDS:-20}       # idle sampling before the load (the baseline)
SAMPLE_S=${SAMPLE_S:-10}
PLAIN_CONNECTIONS=${PLAIN_CONNECTIONS:-32} # wrk, non-streamed, logged with bodies
CACHED_CONNECTIONS=${CACHED_CONNECTIONS:-8} # wrk, cf-aig-cache-ttl: identical bodies, so HITs after the first
STREAM_CONCURRENCY=${STREAM_CONCURRENCY:-64} # StreamClient, streamed
STREAM_TOKENS=${STREAM_TOKENS:-64}         # events per stream
TOKENS_PER_SECOND=${TOKENS_PER_SECOND:-100} # the provider's pace: a 10 ms gap between events
SKIP_PUBLISH=${SKIP_PUBLISH:-0}            # 1: reuse loadtests/results/bin from an earlier run
EXTRA_HEADER=${EXTRA_HEADER:-}             # one more "name:value" header on the streams (e.g. cf-aig-collect-log:false)
GATEWAY_DLL=${GATEWAY_DLL:-}               # run this gateway dll (e.g. an older build) instead of publishing src/Gateway.Fast
READY_TIMEOUT_S=${READY_TIMEOUT_S:-30}
TRACE=${TRACE:-0}                          # 1: an EventPipe trace of each .NET process (GC, thread pool, lock waits, the
                                           # gateway's background-work log lines) and TraceGaps' account of the largest gaps
GAP_MS=${GAP_MS:-100}                      # stream gaps at least this long are listed in gaps.csv and attributed

RESULTS=$ROOT/loadtests/results
BIN=$RESULTS/bin
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
RAW=$RESULTS/soak-$STAMP
mkdir -p "$BIN" "$RAW"
log() { printf '[soak %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in dotnet wrk curl python3; do
  command -v "$tool" >/dev/null || { log "missing $tool (wrk: apt-get install -y wrk)"; exit 1; }
done
source loadtests/lib.sh

# :: Step 1: publish (Release) what run.sh publishes, into the same folder.
PROJECTS="simulator:src/Gateway.Fast.Simulator/Gateway.Fast.Simulator.csproj streamclient:loadtests/StreamClient/StreamClient.csproj"
PROJECTS+=" gateway:src/Gateway.Fast/Gateway.Fast.csproj"
[[ $TRACE == 1 ]] && PROJECTS+=" tracegaps:loadtests/TraceGaps/TraceGaps.csproj"
for pair in $PROJECTS; do
  name=${pair%%:*} project=${pair#*:}
  if [[ $SKIP_PUBLISH != 1 && ! ( $name == gateway && -n $GATEWAY_DLL ) ]]; then
    log "publishing $project"
    dotnet publish "$project" -c Release -o "$BIN/$name" --nologo -v q >"$RAW/publish-$name.log" 2>&1 \
      || { log "publish of $project failed (see $RAW/publish-$name.log)"; exit 1; }
  fi
done

# :: Step 2: simulator, gateway (its own data folder), sampler.
PIDS=()
GW_DATA=$(mktemp -d)
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$GW_DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A process started with traced LABEL writes RAW/LABEL.nettrace from its start to its exit (the runtime's own EventPipe
# file, no attach): GC start and pauses (0x1), lock waits (0x4000) with their stacks, thread-pool injections (0x10000),
# and the Gateway.Fast log lines (Debug: how long each checkpoint, sweep or memory trim took). At exit the runtime adds
# a rundown of its methods, so the stacks have names.
traced() {
  if [[ $TRACE == 1 ]]; then
    echo env DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath="$RAW/$1.nettrace" \
      DOTNET_EventPipeConfig="Microsoft-Windows-DotNETRuntime:0x14001:4,Microsoft-Extensions-Logging:0x4:5:FilterSpecs=Gateway.Fast:Debug"
  fi
}

SIM_PORT=$(free_port)
$(traced simulator) env Logging__LogLevel__Default=Warning dotnet "$BIN/simulator/Gateway.Fast.Simulator.dll" --urls "http://127.0.0.1:$SIM_PORT" \
  >"$RAW/simulator.log" 2>&1 &
PIDS+=($!)
GW_PORT=$(free_port)
$(traced gateway) env ASPNETCORE_URLS="http://127.0.0.1:$GW_PORT" GATEWAY_DATA="$GW_DATA" Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$SIM_PORT/v1" \
  Logging__LogLevel__Default=Warning dotnet "${GATEWAY_DLL:-$BIN/gateway/Gateway.Fast.dll}" >"$RAW/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
GW=http://127.0.0.1:$GW_PORT
for _ in $(seq $((READY_TIMEOUT_S * 10))); do curl -sf -o /dev/null "$GW/health" && break; sleep 0.1; done
curl -sf -o /dev/null "$GW/health" || { log "the gateway did not answer /health (see $RAW/gateway.log)"; exit 1; }
URL=$GW/v1/soak/default/openai/chat/completions

python3 loadtests/soak_sampler.py sample "$GW" "$GW_DATA" "$RAW/samples.csv" "$SAMPLE_S" "$GW_PID" 2>"$RAW/sampler.log" &
PIDS+=($!)
SAMPLER_START=$(date +%s.%N)
log "gateway pid $GW_PID on $GW, data in $GW_DATA; idle for ${WARMUP_SECONDS} s"
sleep "$WARMUP_SECONDS"

# :: Step 3: the mixed load, all three at once for SOAK_SECONDS.
WINDOWS=()
for burst in $(seq "$BURSTS"); do
  LOAD_START=$(python3 -c "import time; print(round(time.time() - $SAMPLER_START, 1))")
  log "load: $PLAIN_CONNECTIONS plain + $CACHED_CONNECTIONS cached (wrk) + $STREAM_CONCURRENCY streams for $SOAK_SECONDS s"
  LOADS=()
  CLIENTS=()
  if ((PLAIN_CONNECTIONS > 0)); then
    WRK_BODY=$ROOT/loadtests/bodies/chat.json WRK_HEADER="" wrk -t1 -c"$PLAIN_CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 30s \
      -s loadtests/post.lua "$URL" >"$RAW/plain.txt" 2>&1 &
    LOADS+=($!); CLIENTS+=("$RAW/plain.txt")
  fi
  if ((CACHED_CONNECTIONS > 0)); then
    WRK_BODY=$ROOT/loadtests/bodies/chat.json WRK_HEADER="cf-aig-cache-ttl: 3600" wrk -t1 -c"$CACHED_CONNECTIONS" -d"${SOAK_SECONDS}s" \
      --timeout 30s -s loadtests/post.lua "$URL" >"$RAW/cached.txt" 2>&1 &
    LOADS+=($!); CLIENTS+=("$RAW/cached.txt")
  fi
  if ((STREAM_CONCURRENCY > 0)); then
    $(traced streamclient) dotnet "$BIN/streamclient/StreamClient.dll" --url "$URL" --concurrency "$STREAM_CONCURRENCY" \
      --duration-s "$SOAK_SECONDS" --gaps-file "$RAW/gaps.csv" --gap-threshold-ms "$GAP_MS" --warmup 0 --timeout-s 120 --body loadtests/bodies/chat-stream.json --label streams \
      --header "x-sim-tokens:$STREAM_TOKENS" --header "x-sim-tokens-per-second:$TOKENS_PER_SECOND" \
      ${EXTRA_HEADER:+--header "$EXTRA_HEADER"} >"$RAW/streams.json" 2>"$RAW/streams.err" &
    LOADS+=($!); CLIENTS+=("$RAW/streams.json" "$RAW/gaps.csv")
  fi
  for pid in "${LOADS[@]}"; do wait "$pid" || log "a load client exited with an error (see $RAW)"; done
  LOAD_END=$(python3 -c "import time; print(round(time.time() - $SAMPLER_START, 1))")

  # :: Step 4: idle (after each round), then the report.
  log "load done; idle for ${SETTLE_SECONDS} s"
  sleep "$SETTLE_SECONDS"
  sleep 1
  WINDOWS+=("$LOAD_START,$LOAD_END")
done
{
  echo "# soak $STAMP on $(nproc) CPUs ($(uname -r)); $PLAIN_CONNECTIONS plain + $CACHED_CONNECTIONS cached + $STREAM_CONCURRENCY streams"
  echo "# ($STREAM_TOKENS events at $TOKENS_PER_SECOND/s: the provider's gap is $((1000 / TOKENS_PER_SECOND)) ms) for $SOAK_SECONDS s, then $SETTLE_SECONDS s idle"
  python3 loadtests/soak_sampler.py report "$RAW/samples.csv" "$LOAD_START" "$LOAD_END" "${CLIENTS[@]}"
  if ((BURSTS > 1)); then python3 loadtests/soak_sampler.py bursts "$RAW/samples.csv" "${WINDOWS[@]}"; fi
} | tee "$RAW/report.txt"
if [[ $TRACE == 1 && -f $RAW/gaps.csv ]]; then
  cleanup # the servers write the end of their traces as they exit
  PIDS=()
  dotnet "$BIN/tracegaps/TraceGaps.dll" --gaps "$RAW/gaps.csv" --min-gap-ms "$GAP_MS" \
    gateway="$RAW/gateway.nettrace" simulator="$RAW/simulator.nettrace" streamclient="$RAW/streamclient.nettrace" | tee -a "$RAW/report.txt"
fi
log "samples: $RAW/samples.csv"
