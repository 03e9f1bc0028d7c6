#!/usr/bin/env bash
# Two builds of the gateway, one after the other on the same machine and the same simulator, in alternating rounds:
# requests per second, p50 and p99 (wrk), and the gateway process's CPU time per request (user + system, from
# /proc/PID/stat). For "did this change make the request path slower?", where one run of run.sh per build would put
# minutes of drift between the two.
#
#   loadtests/compare-builds.sh BEFORE_REV [AFTER_REV]      # git revisions (AFTER defaults to the working tree)
#   BEFORE_DLL=… AFTER_DLL=… loadtests/compare-builds.sh    # or two published Gateway.Fast.dll
#
# Knobs: ROUNDS (3), DURATION_S (10), WARMUP_S (3), CONNECTIONS (16), WRK_THREADS (1), BODY (loadtests/bodies/chat.json).
# Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source loadtests/lib.sh

ROUNDS=${ROUNDS:-3}
DURATION_S=${DURATION_S:-10}
WARMUP_S=${WARMUP_S:-3}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
BODY=${BODY:-loadtests/bodies/chat.json}
work=$(mktemp -d "${TMPDIR:-/tmp}/gw-compare.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  git -C "$root" worktree prune 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install -y wrk)" >&2; exit 1; }

publish() { # publish NAME REV -> $work/NAME/Gateway.Fast.dll (REV empty: the working tree)
  publish_build "$work" "$1" src/Gateway.Fast/Gateway.Fast.csproj "$2"
  echo "$work/$1/Gateway.Fast.dll"
}

if [[ -z ${BEFORE_DLL:-} ]]; then
  [[ $# -ge 1 ]] || { echo "usage: $0 BEFORE_REV [AFTER_REV]  (or BEFORE_DLL=… AFTER_DLL=…)" >&2; exit 2; }
  BEFORE_DLL=$(publish before "$1")
  AFTER_DLL=$(publish after "${2:-}")
fi
dotnet publish src/Gateway.Fast.Simulator/Gateway.Fast.Simulator.csproj -c Release -o "$work/sim" --nologo -v q >"$work/publish-sim.log" 2>&1


sim_port=$(free_port)
(cd "$work/sim" && exec env Logging__LogLevel__Default=Warning dotnet Gateway.Fast.Simulator.dll --urls "http://127.0.0.1:$sim_port") \
  >"$work/sim.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$sim_port/v1/models"

hz=$(getconf CLK_TCK)
cat >"$work/row.py" <<'PY'
import json, sys
build, rnd, hz, t0, t1 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
line = next(l for l in sys.stdin if l.startswith('WRK_RESULT '))
r = json.loads(line[len('WRK_RESULT '):])
n = max(r['requests'], 1)
print(f"{build:<7} {rnd:<6} {r['requests'] / (r['duration_us'] / 1e6):10.0f} {r['p50_us'] / 1000:9.3f} {r['p99_us'] / 1000:9.3f} "
      f"{(t1 - t0) / hz * 1e6 / n:12.1f}" + (f"  errors={r['errors']} non2xx={r['non2xx']}" if r['errors'] or r['non2xx'] else ''))
PY
printf '%-7s %-6s %10s %9s %9s %12s\n' build round rps p50_ms p99_ms cpu_us/req
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    dll=$BEFORE_DLL; [[ $build == after ]] && dll=$AFTER_DLL
    port=$(free_port)
    data=$work/data-$build-$round
    (cd "$(dirname "$dll")" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" GATEWAY_DATA="$data" \
      CF_AIG_MANAGEMENT_API_TOKEN=compare-token Logging__LogLevel__Default=Warning \
      Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$sim_port/v1" dotnet "$(basename "$dll")") >"$work/gw-$build-$round.log" 2>&1 &
    gw=$!
    pids+=("$gw")
    wait_http "http://127.0.0.1:$port/health"
    url="http://127.0.0.1:$port/v1/compare/default/openai/chat/completions"
    WRK_BODY=$BODY wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP_S}s" -s loadtests/post.lua "$url" >/dev/null
    before_ticks=$(cpu_ticks "$gw")
    out=$(WRK_BODY=$BODY wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION_S}s" -s loadtests/post.lua "$url")
    after_ticks=$(cpu_ticks "$gw")
    kill "$gw"; wait "$gw" 2>/dev/null || true
    python3 "$work/row.py" "$build" "$round" "$hz" "$before_ticks" "$after_ticks" <<<"$out"
  done
done
