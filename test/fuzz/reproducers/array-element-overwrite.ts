// BUG (found by the long fuzz run with --arrays: seed 777, program 23743; open): silently wrong
// gradient. The loop writes a[0] and a[1] and reads them back; after the loop `a[1] = x`
// overwrites a[1]. For an array made by `new Float64Array(n)` or `new Array<number>(n).fill(0)`
// the forward sweep does not save the old a[1] before that store (for a literal `[0, 0]` it
// does), so the reverse sweep of the loop reads the overwritten a[1] in `Math.exp(a[i])`.
// f(1.774902): f_grad gives 16.918, the derivative (and f_jvp) is 1.0439; g, the same with a
// vector result, gets the same wrong f_vjp.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" }, "g": { "x": "num" } },
  "points": { "f": [[1.774902], [0.3]], "g": [[1.774902], [0.3]] }
}
*/
export function f(x: number): number {
  const a = new Float64Array(2);
  for (let i = 0; i < 2; i++) {
    a[i] = x;
    x = 1 - Math.exp(a[i]);
  }
  a[1] = x;
  return a[0] + a[1];
}

export function g(x: number): number[] {
  const out = new Array<number>(2).fill(0);
  for (let i = 0; i < 2; i++) {
    out[i] = x;
    x = 1 - Math.exp(out[i]);
  }
  out[1] = x;
  return out;
}
