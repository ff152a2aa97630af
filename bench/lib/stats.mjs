// Small numeric helpers for the round results.

/** Median of the finite numbers in `values`, or null when there are none. */
export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Sum of the numbers in `values` (missing ones count as 0). */
export function sum(values) {
  return values.reduce((acc, v) => acc + (v ?? 0), 0);
}

/** `list` rotated left by `by` places, so each round starts its sequence at a different scenario. */
export function rotate(list, by) {
  const k = ((by % list.length) + list.length) % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
