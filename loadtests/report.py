#!/usr/bin/env python3
"""Turns one run's raw output (loadtests/results/raw-<date>/) into the markdown report that run.sh prints and saves.

Added latency is target minus direct at the same percentile; the ratio divides the gateway's added latency by YARP's
(design.md §8 asks for <= 1.1 at p50 and p99). A ratio is "n/a" when YARP's added latency is not positive (noise), and "≤ 0" when the gateway's is not."""
import json
import os
import re
import sys

TARGETS = ["direct", "yarp", "gateway", "gateway-cache", "gateway-resilience", "gateway-nobody", "gateway-nolog",
           "gateway-compat", "gateway-anthropic", "gateway-compat-anthropic", "gateway-auth", "gateway-guard"]
GOAL = 1.1


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def load_json(path):
    if not os.path.exists(path):
        return None
    text = read(path).strip()
    if not text:
        return None
    try:
        return json.loads(text.splitlines()[-1])
    except json.JSONDecodeError:
        return None


def load_wrk(path):
    """Requests/sec and the WRK_RESULT line that post.lua prints; latencies in ms."""
    if not os.path.exists(path):
        return None
    text = read(path)
    m = re.search(r"^WRK_RESULT (\{.*\})$", text, re.M)
    if not m:
        return None
    r = json.loads(m.group(1))
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    return {
        "rps": float(rps.group(1)) if rps else r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50_us"] / 1000, "p99": r["p99_us"] / 1000, "p999": r["p999_us"] / 1000,
        "errors": r["errors"] + r["non2xx"],
    }


def ms(v):
    return "–" if v is None else f"{v:.3f}"


def plus(v):
    return "–" if v is None else f"{v:+.3f}"


def ratio(gw, yarp):
    if gw is None or yarp is None:
        return "n/a"
    if gw <= 0:
        return "≤ 0 ✓"
    if yarp <= 0:
        return "n/a"
    r = gw / yarp
    return f"{r:.2f}{' ✓' if r <= GOAL else ' ✗'}"


def added(rows, target, key):
    if target not in rows or "direct" not in rows or rows[target].get(key) is None:
        return None
    return rows[target][key] - rows["direct"][key]


def table(title, rows, cols, extra_cols, note):
    """rows: {target: {key: value}}; cols: [(header, key)] in ms; adds +key vs direct and gateway/YARP ratio columns."""
    out = [f"### {title}", "", note, ""]
    with_ratio = "gateway" in rows and "yarp" in rows
    heads = ["target", "RPS"] + [h for h, _ in cols] + [f"+{h}" for h, _ in extra_cols] \
        + ([f"gw/YARP added {h}" for h, _ in extra_cols] if with_ratio else []) + ["errors"]
    out.append("| " + " | ".join(heads) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(heads) - 1)) + "|")
    for target in TARGETS:
        if target not in rows:
            continue
        r = rows[target]
        cells = [target, f"{r['rps']:,.0f}"] + [ms(r.get(k)) for _, k in cols]
        cells += ["–" if target == "direct" else plus(added(rows, target, k)) for _, k in extra_cols]
        if with_ratio:
            cells += [ratio(added(rows, "gateway", k), added(rows, "yarp", k)) if target == "gateway" else ""
                      for _, k in extra_cols]
        cells.append(str(r["errors"]))
        out.append("| " + " | ".join(cells) + " |")
    if "gateway" in rows and "yarp" in rows:
        out.append("")
        out.append(f"RPS gateway/YARP: {rows['gateway']['rps'] / rows['yarp']['rps']:.2f}; "
                   f"gateway/direct: {rows['gateway']['rps'] / rows['direct']['rps']:.2f}; "
                   f"YARP/direct: {rows['yarp']['rps'] / rows['direct']['rps']:.2f}")
    out.append("")
    return out


def ratios_vs(rows, base, targets, key):
    """One line: each target's figure divided by the base target's (RPS: higher is better; latency: lower)."""
    if base not in rows:
        return []
    parts = [f"{t}/{base} {key}: {rows[t][key] / rows[base][key]:.2f}" for t in targets if t in rows and rows[base][key]]
    if "direct" in rows and rows["direct"][key]:
        parts += [f"{t}/direct {key}: {rows[t][key] / rows['direct'][key]:.2f}" for t in targets if t in rows]
    return ["; ".join(parts), ""] if parts else []


def client_rows(raw, prefix, prefix_key):
    rows = {}
    for target in TARGETS:
        j = load_json(os.path.join(raw, f"{prefix}-{target}.json"))
        if j is None:
            continue
        row = {"rps": j["rps"], "errors": j["errors"]}
        for name in ("ttfb", "ttlb", "headers"):
            for p in ("p50", "p90", "p99", "p999"):
                row[f"{name}_{p}"] = j.get(f"{name}_{p}")
        row["p50"], row["p99"], row["p999"] = row[f"{prefix_key}_p50"], row[f"{prefix_key}_p99"], row[f"{prefix_key}_p999"]
        rows[target] = row
    return rows


def main(raw):
    files = os.listdir(raw)
    out = ["# Gateway.Fast load test", ""]
    out += ["```", read(os.path.join(raw, "hardware.txt")).rstrip(), "```", ""]
    out += ["> **Caveat.** The load generator, the simulator and the proxy under test share this machine's CPUs. On a small "
            "machine (2 cores) they compete, so absolute RPS and tail latency are mostly a measure of contention; compare "
            "targets only within this run. Ratios are the result, absolute numbers are not. Set `PIN=1` to pin the "
            "load generator and the servers to separate CPUs with `taskset`.", ""]
    skipped = os.path.join(raw, "skipped.txt")
    if os.path.exists(skipped):
        for line in read(skipped).splitlines():
            target, _, why = line.partition(" ")
            out.append(f"**{target}: {why}** — skipped in every scenario.")
        out.append("")

    rows = client_rows(raw, "a", "ttlb")
    if rows:
        out += table("a. Added latency, one request in flight (non-streaming, zero-latency simulator)", rows,
                     [("p50", "p50"), ("p90", "ttlb_p90"), ("p99", "p99"), ("p99.9", "p999")],
                     [("p50", "p50"), ("p99", "p99"), ("p99.9", "p999")],
                     "StreamClient `--plain --concurrency 1`, whole-request latency in ms. Goal: gateway/YARP ≤ 1.1 at p50 and p99.")

    conns = sorted({int(m.group(1)) for f in files if (m := re.match(r"b-c(\d+)-\w+\.txt$", f))})
    for c in conns:
        rows = {}
        for target in TARGETS:
            r = load_wrk(os.path.join(raw, f"b-c{c}-{target}.txt"))
            if r:
                rows[target] = r
        if rows:
            out += table(f"b. Throughput, wrk {c} connections (non-streaming)", rows,
                         [("p50", "p50"), ("p99", "p99"), ("p99.9", "p999")],
                         [("p50", "p50"), ("p99", "p99")],
                         "wrk `--latency` with `post.lua`; latency in ms (p99.9 from wrk's histogram via `done()`).")

    concs = sorted({int(m.group(1)) for f in files if (m := re.match(r"c-c(\d+)-\w+\.json$", f))})
    for c in concs:
        rows = client_rows(raw, f"c-c{c}", "ttfb")
        if rows:
            out += table(f"c. Streaming, {c} in flight (SSE, x-sim-tokens)", rows,
                         [("TTFB p50", "ttfb_p50"), ("TTFB p99", "ttfb_p99"), ("TTFB p99.9", "ttfb_p999"),
                          ("TTLB p50", "ttlb_p50"), ("TTLB p99", "ttlb_p99")],
                         [("TTFB p50", "ttfb_p50"), ("TTFB p99", "ttfb_p99")],
                         "StreamClient, ms from send to first body byte (TTFB) and to the end of the stream (TTLB). "
                         "Goal: added TTFB p99 < 0.1 ms.")

    rows = client_rows(raw, "d-a", "ttlb")
    if rows:
        out += table("d. Resilience layer, one request in flight: cache HIT and limiter + retry settings vs plain gateway", rows,
                     [("p50", "p50"), ("p90", "ttlb_p90"), ("p99", "p99"), ("p99.9", "p999")],
                     [("p50", "p50"), ("p99", "p99")],
                     "`gateway-cache` sends `cf-aig-cache-ttl: 3600` (all requests identical: HITs after the first); "
                     "`gateway-resilience` goes through a gateway with a sliding rate limit that never trips and "
                     "retry settings (healthy upstream). Goal: a HIT answers faster than direct (negative +p50).")
        out += ratios_vs(rows, "gateway", ["gateway-cache", "gateway-resilience"], "p50")
    rows = {t: r for t in TARGETS if (r := load_wrk(os.path.join(raw, f"d-b-{t}.txt")))}
    if rows:
        out += table("d. Resilience layer, wrk 64 connections", rows,
                     [("p50", "p50"), ("p99", "p99"), ("p99.9", "p999")], [("p50", "p50"), ("p99", "p99")],
                     "wrk `--latency`; same targets as above.")
        out += ratios_vs(rows, "gateway", ["gateway-cache", "gateway-resilience"], "rps")

    rows = client_rows(raw, "e-a", "ttlb")
    if rows:
        out += table("e. Request logging, one request in flight: logs with bodies (default), without bodies, off", rows,
                     [("p50", "p50"), ("p90", "ttlb_p90"), ("p99", "p99"), ("p99.9", "p999")],
                     [("p50", "p50"), ("p99", "p99")],
                     "`gateway` logs every request with both bodies (the default `collect_logs`); `gateway-nobody` sends "
                     "`cf-aig-collect-log-payload: false`; `gateway-nolog` sends `cf-aig-collect-log: false`.")
    rows = {t: r for t in TARGETS if (r := load_wrk(os.path.join(raw, f"e-b-{t}.txt")))}
    if rows:
        out += table("e. Request logging, wrk 64 connections", rows,
                     [("p50", "p50"), ("p99", "p99"), ("p99.9", "p999")], [("p50", "p50"), ("p99", "p99")],
                     "Goal: logging costs under 5% of RPS (gateway/gateway-nolog ≥ 0.95).")
        out += ratios_vs(rows, "gateway-nolog", ["gateway", "gateway-nobody"], "rps")

    rows = client_rows(raw, "f-a", "ttlb")
    if rows:
        out += table("f. Unified API, one request in flight: /compat vs passthrough", rows,
                     [("p50", "p50"), ("p90", "ttlb_p90"), ("p99", "p99"), ("p99.9", "p999")],
                     [("p50", "p50"), ("p99", "p99")],
                     "`gateway-compat` sends OpenAI's body with `model: openai/gpt-4o-mini` (only model changes); "
                     "`gateway-compat-anthropic` sends an OpenAI body with `model: anthropic/…`, translated to Messages and "
                     "back; `gateway-anthropic` is the same call as native Anthropic passthrough.")
        out += ratios_vs(rows, "gateway", ["gateway-compat"], "p50")
        out += ratios_vs(rows, "gateway-anthropic", ["gateway-compat-anthropic"], "p50")
    rows = {t: r for t in TARGETS if (r := load_wrk(os.path.join(raw, f"f-b-{t}.txt")))}
    if rows:
        out += table("f. Unified API, wrk 64 connections", rows,
                     [("p50", "p50"), ("p99", "p99"), ("p99.9", "p999")], [("p50", "p50"), ("p99", "p99")],
                     "Same targets as above.")
        out += ratios_vs(rows, "gateway", ["gateway-compat"], "rps")
        out += ratios_vs(rows, "gateway-anthropic", ["gateway-compat-anthropic"], "rps")
    rows = client_rows(raw, "f-c", "ttfb")
    if rows:
        out += table("f. Unified API, streamed, one in flight: Anthropic through /compat vs passthrough", rows,
                     [("TTFB p50", "ttfb_p50"), ("TTFB p99", "ttfb_p99"), ("TTLB p50", "ttlb_p50"), ("TTLB p99", "ttlb_p99")],
                     [("TTFB p50", "ttfb_p50"), ("TTFB p99", "ttfb_p99")],
                     "StreamClient, x-sim-tokens; the translated stream is re-framed chunk by chunk.")
        out += ratios_vs(rows, "gateway-anthropic", ["gateway-compat-anthropic"], "ttfb_p50")

    rows = client_rows(raw, "g-a", "ttlb")
    if rows:
        out += table("g. Access control, one request in flight: gateway token, guardrails + DLP, vs the plain gateway", rows,
                     [("p50", "p50"), ("p90", "ttlb_p90"), ("p99", "p99"), ("p99.9", "p999")],
                     [("p50", "p50"), ("p99", "p99")],
                     "`gateway-auth` goes through an authenticated gateway with `cf-aig-authorization`; `gateway-guard` "
                     "through one with prompt and response guardrails and request and response DLP (nothing matches).")
        out += ratios_vs(rows, "gateway", ["gateway-auth", "gateway-guard"], "p50")
    rows = {t: r for t in TARGETS if (r := load_wrk(os.path.join(raw, f"g-b-{t}.txt")))}
    if rows:
        out += table("g. Access control, wrk 64 connections", rows,
                     [("p50", "p50"), ("p99", "p99"), ("p99.9", "p999")], [("p50", "p50"), ("p99", "p99")],
                     "Same targets as above.")
        out += ratios_vs(rows, "gateway", ["gateway-auth", "gateway-guard"], "rps")

    out += ["### Command lines", "", "```", read(os.path.join(raw, "commands.txt")).rstrip(), "```", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
