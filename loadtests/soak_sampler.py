#!/usr/bin/env python3
"""Soak sampler and report for loadtests/soak.sh.

sample GATEWAY_URL DATA_DIR CSV INTERVAL_S PID: every INTERVAL_S seconds appends one row to CSV (elapsed seconds, RSS from
/proc/PID/status, managed heap, GC committed and cache memory from /health's memory section (0 for a build without it), the data folder's size on disk, open descriptors, and
the gateway's 5xx answers and upstream errors from /metrics, RSS minus GC committed (native memory, stacks, code) and
the thread count) until it is killed.
report CSV LOAD_START_S LOAD_END_S CLIENT_OUTPUT...: prints the growth rates over the last half of the load (least-squares
slope, MiB/min; for RSS also the slope of each minute's lowest sample, the floor left after collections), memory before the load, at its end and at the last sample, the clients' errors and largest event gap,
and (for a gaps .csv among the outputs) the largest gap in each minute of the load.
bursts CSV START,END...: for each load window (soak.sh with BURSTS > 1), RSS and managed heap just before it, at its end
and at the last sample before the next one, and how far that last RSS is from the level before the window.
"""
import json
import os
import re
import sys
import time
import urllib.request

MIB = 1024 * 1024
COLUMNS = ["elapsed_s", "rss_mib", "heap_mib", "gc_committed_mib", "cache_mib", "data_mib", "fds", "gateway_5xx", "upstream_errors",
           "native_mib", "threads"]


def data_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass  # a segment removed between listing and stat
    return total


def metric_sum(text, name, label_filter=""):
    total = 0.0
    for match in re.finditer(r"^%s\{([^}]*)\} (\S+)$" % re.escape(name), text, re.M):
        if label_filter in match.group(1):
            total += float(match.group(2))
    return total


def proc_status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def resident_mib(pid):
    return round(proc_status(pid, "VmRSS") / 1024, 1)


def sample(url, data, csv_path, interval, pid):
    start = time.monotonic()
    with open(csv_path, "w") as out:
        out.write(",".join(COLUMNS) + "\n")
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as r:
                    health = json.load(r)
                with urllib.request.urlopen(url + "/metrics", timeout=5) as r:
                    metrics = r.read().decode()
                memory = health.get("memory") or {"managed_heap_bytes": 0, "gc_committed_bytes": 0, "cache_bytes": 0}
                fds = health.get("descriptors") or {"open": len(os.listdir(f"/proc/{pid}/fd"))}
                row = [
                    round(time.monotonic() - start, 1),
                    resident_mib(pid),
                    round(memory["managed_heap_bytes"] / MIB, 1),
                    round(memory["gc_committed_bytes"] / MIB, 1),
                    round(memory["cache_bytes"] / MIB, 1),
                    round(data_size(data) / MIB, 1),
                    fds["open"],
                    int(metric_sum(metrics, "gateway_requests_total", 'status_class="5xx"')),
                    int(metric_sum(metrics, "gateway_upstream_errors_total")),
                ]
                # What is resident beyond the GC's memory: native heaps, thread stacks, code (RSS - GC committed).
                row += [round(row[1] - row[3], 1), proc_status(pid, "Threads")]
            except Exception as e:  # a stalled /health is itself a finding: keep the row, mark it
                row = [round(time.monotonic() - start, 1)] + [""] * (len(COLUMNS) - 1)
                print(f"sample failed: {e}", file=sys.stderr)
            out.write(",".join(str(v) for v in row) + "\n")
            out.flush()
            time.sleep(max(0.0, interval - (time.monotonic() - start) % interval))


def slope_per_min(points):
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return 60 * sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else float("nan")


def report(csv_path, load_start, load_end, clients):
    rows = read_rows(csv_path)
    header = list(rows[0]) if rows else []
    load_start, load_end = float(load_start), float(load_end)
    during = [r for r in rows if load_start <= r["elapsed_s"] <= load_end]
    tail = [r for r in during if r["elapsed_s"] >= load_start + (load_end - load_start) / 2]
    before = [r for r in rows if r["elapsed_s"] < load_start]
    print(f"samples: {len(rows)} (load from {load_start:.0f} s to {load_end:.0f} s; growth over the last half of the load)")
    columns = [("rss_mib", "RSS"), ("heap_mib", "managed heap"), ("gc_committed_mib", "GC committed"), ("native_mib", "RSS - GC"),
               ("cache_mib", "cache"), ("data_mib", "data folder")]
    for column, label in [(c, l) for c, l in columns if c in header]:
        rate = slope_per_min([(r["elapsed_s"], r[column]) for r in tail])
        first = before[-1][column] if before else float("nan")
        end = during[-1][column] if during else float("nan")
        last = rows[-1][column] if rows else float("nan")
        print(f"  {label:13s} growth {rate:+8.2f} MiB/min   before load {first:8.1f}  end of load {end:8.1f}  last sample {last:8.1f} MiB")
    floor = minute_minima(tail, "rss_mib")
    if len(floor) >= 2:
        # Between two collections RSS also holds garbage the GC has not collected yet (its budgets, DATAS resizing):
        # each minute's lowest sample follows what stays after collections, so a leak shows in both lines.
        print(f"  RSS floor     growth {slope_per_min(floor):+8.2f} MiB/min   (each minute's lowest sample, over the same half)")
    if before and rows:
        pre, last = before[-1]["rss_mib"], rows[-1]["rss_mib"]
        print(f"  RSS at the last sample is {100 * (last - pre) / pre:+.0f} % of its level before the load")
    if rows:
        threads = f"threads: max {max(r['threads'] for r in rows):.0f}, last {rows[-1]['threads']:.0f}; " if "threads" in header else ""
        print(f"  {threads}descriptors: max {max(r['fds'] for r in rows):.0f}; gateway 5xx: {rows[-1]['gateway_5xx']:.0f}; "
              f"upstream errors: {rows[-1]['upstream_errors']:.0f}")
    for path in clients:
        if path.endswith(".csv"):
            report_gaps(path)
            continue
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("WRK_RESULT "):
                r = json.loads(line[len("WRK_RESULT "):])
                print(f"  {os.path.basename(path)}: {r['requests']} requests, errors {r['errors']}, non-2xx {r['non2xx']}, "
                      f"p99 {r['p99_us'] / 1000:.1f} ms, max {r['max_us'] / 1000:.1f} ms")
            elif line.startswith("{"):
                r = json.loads(line)
                print(f"  {os.path.basename(path)}: {r['ok']} streams, errors {r['errors']}, events {r['events']}, "
                      f"largest gap between two events {r.get('max_event_gap_ms')} ms, ttfb p99 {r.get('ttfb_p99')} ms")


def minute_minima(rows, column):
    """(time, value) of each whole minute's lowest sample of COLUMN, the minutes counted from the first row."""
    if not rows:
        return []
    start, minutes = rows[0]["elapsed_s"], {}
    for r in rows:
        minute = int((r["elapsed_s"] - start) // 60)
        if minute not in minutes or r[column] < minutes[minute][1]:
            minutes[minute] = (r["elapsed_s"], r[column])
    last = int((rows[-1]["elapsed_s"] - start) // 60)
    return [minutes[m] for m in sorted(minutes) if m < last or rows[-1]["elapsed_s"] - start >= 60 * (last + 1) - 1]


def read_rows(csv_path):
    rows = []
    with open(csv_path) as f:
        header = f.readline().strip().split(",")
        for line in f:
            values = line.strip().split(",")
            if all(values[1:]):
                rows.append(dict(zip(header, map(float, values))))
    return rows


def report_bursts(csv_path, windows):
    rows = read_rows(csv_path)
    windows = [tuple(map(float, w.split(","))) for w in windows]
    for i, (start, end) in enumerate(windows):
        until = windows[i + 1][0] if i + 1 < len(windows) else float("inf")
        before = [r for r in rows if r["elapsed_s"] < start]
        during = [r for r in rows if start <= r["elapsed_s"] <= end]
        after = [r for r in rows if end < r["elapsed_s"] < until]
        if not (before and after):
            print(f"  burst {i + 1}: not enough samples")
            continue
        pre, peak, last = before[-1], max(during + after, key=lambda r: r["rss_mib"]), after[-1]
        print(f"  burst {i + 1}: RSS {pre['rss_mib']:.0f} MiB before, {peak['rss_mib']:.0f} at its height, {last['rss_mib']:.0f} "
              f"{last['elapsed_s'] - end:.0f} s after it ({100 * (last['rss_mib'] - pre['rss_mib']) / pre['rss_mib']:+.0f} %); "
              f"managed heap {pre['heap_mib']:.0f} / {peak['heap_mib']:.0f} / {last['heap_mib']:.0f} MiB")


def report_gaps(path):
    """The largest gap between two events of a stream in each minute of the load (from StreamClient's --gaps-file): the
    first minute holds the warm-up (JIT, the GC sizing its budgets), the rest is the steady state."""
    try:
        with open(path) as f:
            f.readline()
            gaps = [tuple(map(float, line.split(","))) for line in f if line.strip()]
    except OSError:
        return
    if not gaps:
        print("  stream gaps: none over the threshold")
        return
    start = min(end - ms for end, ms in gaps)
    minutes = {}
    for end, ms in gaps:
        minute = int((end - ms - start) / 60000)
        count, largest = minutes.get(minute, (0, 0.0))
        minutes[minute] = (count + 1, max(largest, ms))
    print("  stream gaps over the threshold, by minute of load (count, largest ms): "
          + ", ".join(f"{m + 1}: {c} / {g:.0f}" for m, (c, g) in sorted(minutes.items())))


if __name__ == "__main__":
    if len(sys.argv) >= 7 and sys.argv[1] == "sample":
        sample(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6])
    elif len(sys.argv) >= 5 and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "bursts":
        report_bursts(sys.argv[2], sys.argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
