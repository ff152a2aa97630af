/** Whether a value is a promise or another thenable: what a store call, or a config's `store`, may give instead of a value. */
export function isPending(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}
