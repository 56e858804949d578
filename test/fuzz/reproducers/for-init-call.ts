// BUG (found by the fuzzer, open): a call in a `for` initializer is lifted into the loop head.
// tsgrad emits `for (const g_result = g_forward(x), let t = g_result; ...)` in the forward sweep
// and `for (const g_result = g_tangent(x, dx), const dg_result = ..., let t = ...; ...)` in f_jvp,
// which do not parse; in f_grad's own copy `t` becomes a `const` and `t += 0.5` throws.
// Expected: the call hoisted before the loop (or a diagnostic), and derivatives that check.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.3], [-0.8]] }
}
*/
function g(u: number): number {
  return u * u;
}

export function f(x: number): number {
  let s = 0;
  for (let t = g(x); t < 2; t += 0.5) {
    s += t;
  }
  return s;
}
