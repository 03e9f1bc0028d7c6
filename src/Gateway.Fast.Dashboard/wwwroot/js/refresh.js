// Live refresh that never piles up: the next load is scheduled only after the previous one has finished, so a slow
// query over a large log store (seconds over a million rows) costs the gateway one query per tab at a time, not one
// more every few seconds. A hidden tab does not refresh at all.

/** Runs `load` every `ms` after the previous run ends, while the tab is visible; returns a function that stops it. */
export function every(ms, load) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    if (document.visibilityState === 'visible') await load();
    if (!stopped) timer = setTimeout(tick, ms);
  };
  timer = setTimeout(tick, ms);
  return () => { stopped = true; clearTimeout(timer); };
}
