// Number formats, fixed to en-US so a screenshot reads the same everywhere.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

export const count = n => integer.format(n ?? 0);
export const rate = (part, whole) => whole ? percent.format(part / whole) : '–';
export const ms = n => n === null || n === undefined ? '–' : `${integer.format(n)} ms`;

/** Dollars with enough digits that a cheap request is not shown as $0.00. */
export function usd(n) {
  if (n === null || n === undefined) return '–';
  if (n === 0) return '$0';
  const digits = Math.abs(n) >= 1 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(Math.abs(n))) + 1);
  return `$${n.toFixed(digits)}`;
}

/** 2026-12-07 01:36:33 in the browser's zone: sortable, and the same in every locale. */
export function time(iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : `${localInput(d).replace('T', ' ')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** A value for <input type="datetime-local"> in the browser's zone. */
export function localInput(date) {
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
