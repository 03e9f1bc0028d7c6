#!/usr/bin/env bash
# A cache HIT's whole-request time at one in flight and a stream's time to first byte (TTFB), for two builds of the
# gateway side by side with the simulator alone (direct) and plain YARP, in alternating rounds on the same machine, each
# with logs on and with `cf-aig-collect-log: false`; plus the gateway process's CPU time per request. For "did this
# change make a HIT or a stream's first byte faster?", where the capacity report's single run per target puts minutes of
# drift between the figures it compares.
#
#   loadtests/first-byte.sh BEFORE_REV [AFTER_REV]          # git revisions (AFTER defaults to the working tree)
#   BEFORE_DLL=… AFTER_DLL=… loadtests/first-byte.sh        # or two published Gateway.Fast.dll
#
# Knobs: ROUNDS (5), STEP_S (3, each measured step), WARMUP_S (20, per target before the first round: tiered JIT),
# STREAM_CONCURRENCY ("1 32"), STREAM_TOKENS (16 events per stream, sent unpaced).
# Prints one line per step, then per target and step the median over rounds of p50, p99 and CPU µs per request.
# Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source loadtests/lib.sh

ROUNDS=${ROUNDS:-5}
STEP_S=${STEP_S:-3}
WARMUP_S=${WARMUP_S:-20}
STREAM_CONCURRENCY=${STREAM_CONCURRENCY:-1 32}
STREAM_TOKENS=${STREAM_TOKENS:-16}
work=$(mktemp -d "${TMPDIR:-/tmp}/gw-first-byte.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  git -C "$root" worktree prune 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

publish() { publish_build "$work" "$@"; } # publish NAME PROJECT [REV] -> $work/NAME/

if [[ -z ${BEFORE_DLL:-} ]]; then
  [[ $# -ge 1 ]] || { echo "usage: $0 BEFORE_REV [AFTER_REV]  (or BEFORE_DLL=… AFTER_DLL=…)" >&2; exit 2; }
  publish before src/Gateway.Fast/Gateway.Fast.csproj "$1"
  publish after src/Gateway.Fast/Gateway.Fast.csproj "${2:-}"
  BEFORE_DLL=$work/before/Gateway.Fast.dll
  AFTER_DLL=$work/after/Gateway.Fast.dll
fi
publish sim src/Gateway.Fast.Simulator/Gateway.Fast.Simulator.csproj
publish yarp loadtests/YarpProxy/YarpProxy.csproj
publish client loadtests/StreamClient/StreamClient.csproj


declare -A url pid
sim_port=$(free_port)
env Logging__LogLevel__Default=Warning Kestrel__Endpoints__h1__Url="http://127.0.0.1:$sim_port" \
  dotnet "$work/sim/Gateway.Fast.Simulator.dll" >"$work/sim.log" 2>&1 &
pids+=($!)
pid[direct]=$!
url[direct]=http://127.0.0.1:$sim_port/v1/chat/completions
wait_http "${url[direct]}"

yarp_port=$(free_port)
env YARP_UPSTREAM="http://127.0.0.1:$sim_port" ASPNETCORE_URLS="http://127.0.0.1:$yarp_port" \
  dotnet "$work/yarp/YarpProxy.dll" >"$work/yarp.log" 2>&1 &
pids+=($!)
pid[yarp]=$!
url[yarp]=http://127.0.0.1:$yarp_port/v1/chat/completions
wait_http "http://127.0.0.1:$yarp_port/health"

for build in before after; do
  dll=$BEFORE_DLL; [[ $build == after ]] && dll=$AFTER_DLL
  port=$(free_port)
  (cd "$(dirname "$dll")" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" GATEWAY_DATA="$work/data-$build" \
    CF_AIG_MANAGEMENT_API_TOKEN=first-byte Logging__LogLevel__Default=Warning \
    Gateway__Providers__openai__BaseUrl="http://127.0.0.1:$sim_port/v1" dotnet "$(basename "$dll")") >"$work/gw-$build.log" 2>&1 &
  pids+=($!)
  pid[$build]=$!
  url[$build]=http://127.0.0.1:$port/v1/first-byte/default/openai/chat/completions
  wait_http "http://127.0.0.1:$port/health"
done

client() { dotnet "$work/client/StreamClient.dll" "$@" 2>/dev/null | tail -1; }
hit_headers=(--header "cf-aig-cache-ttl: 3600")
stream_headers=(--header "x-sim-tokens: $STREAM_TOKENS")
nolog=(--header "cf-aig-collect-log: false")

# step KIND TARGET C LOG: one measured step; prints "KIND TARGET c=C log=LOG p50 p99 cpu_us/req" (times in ms). A HIT
# step times the whole request (the direct target answers the same POST uncached); a stream step the first body byte.
step() {
  local kind=$1 target=$2 c=$3 log=$4 args=()
  if [[ $kind == hit ]]; then
    args=(--plain)
    [[ $target == direct || $target == yarp ]] || args+=("${hit_headers[@]}")
  else
    args=("${stream_headers[@]}")
  fi
  [[ $log == on ]] || args+=("${nolog[@]}")
  local t0 t1 out
  t0=$(cpu_ticks "${pid[$target]}")
  out=$(client --url "${url[$target]}" --concurrency "$c" --duration-s "$STEP_S" --warmup-s 1 "${args[@]}")
  t1=$(cpu_ticks "${pid[$target]}")
  python3 - "$kind" "$target" "$c" "$log" "$t0" "$t1" "$(getconf CLK_TCK)" "$out" <<'PY'
import json, sys
kind, target, c, log, t0, t1, hz, out = sys.argv[1:]
d = json.loads(out)
field = 'ttlb' if kind == 'hit' else 'ttfb'
n = max(d['ok'], 1)
print(f"{kind} {target} c={c} log={log} {d[field + '_p50']:.3f} {d[field + '_p99']:.3f} {(int(t1) - int(t0)) / int(hz) * 1e6 / n:.1f}"
      + (f" errors={d['errors']}" if d['errors'] else ''))
PY
}

# Warm-up: a fresh gateway JITs and runs PGO-instrumented code for its first tens of seconds under load.
for target in before after yarp; do
  client --url "${url[$target]}" --concurrency 8 --duration-s "$WARMUP_S" --warmup-s 0 "${stream_headers[@]}" >/dev/null
  [[ $target == yarp ]] || client --url "${url[$target]}" --plain --concurrency 8 --duration-s "$WARMUP_S" --warmup-s 0 "${hit_headers[@]}" >/dev/null
done

steps=$work/steps.txt
echo "kind target c log p50_ms p99_ms cpu_us/req"
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round, load average $(cut -d' ' -f1 /proc/loadavg)"
  for log in on off; do
    for target in direct before after; do step hit "$target" 1 "$log"; done
    for c in $STREAM_CONCURRENCY; do
      for target in direct yarp before after; do step stream "$target" "$c" "$log"; done
    done
  done | tee -a "$steps"
done

echo
echo "Medians over $ROUNDS rounds (direct and yarp ignore cf-aig-collect-log; added = target minus direct, same step):"
python3 - "$steps" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kind, target, c, log, p50, p99, cpu = line.split()[:7]
    rows.setdefault((kind, c, log), {}).setdefault(target, []).append((float(p50), float(p99), float(cpu)))
print(f"{'step':<22} {'target':<7} {'p50 ms':>8} {'p99 ms':>8} {'added p50':>10} {'added p99':>10} {'cpu us/req':>11}")
for (kind, c, log), targets in sorted(rows.items()):
    med = {t: tuple(statistics.median(x[i] for x in v) for i in range(3)) for t, v in targets.items()}
    base = med.get('direct')
    for t in ('direct', 'yarp', 'before', 'after'):
        if t not in med:
            continue
        p50, p99, cpu = med[t]
        added = f"{p50 - base[0]:10.3f} {p99 - base[1]:10.3f}" if base and t != 'direct' else f"{'-':>10} {'-':>10}"
        print(f"{kind + ' ' + c + ' ' + log:<22} {t:<7} {p50:8.3f} {p99:8.3f} {added} {cpu:11.1f}")
PY
