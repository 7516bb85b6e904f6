/**
 * Growable typed-array columns. Records (messages, attempts) are kept as
 * columns rather than one object each: a million messages then cost a few
 * tens of megabytes and no garbage-collector pressure.
 */
type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array;
type Ctor<T extends TypedArray> = new (n: number) => T;

/**
 * Returns `a` if it can hold index `i`, else a copy 1.5 times as large (not
 * twice: for a million records the spare room of doubling costs tens of MB).
 */
export function ensure<T extends TypedArray>(a: T, i: number, ctor: Ctor<T>): T {
  if (i < a.length) return a;
  let cap = Math.max(16, Math.ceil(a.length * 1.5));
  while (cap <= i) cap = Math.ceil(cap * 1.5);
  const b = new ctor(cap);
  b.set(a);
  return b;
}
