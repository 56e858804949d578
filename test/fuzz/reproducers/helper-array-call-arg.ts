// BUG (found by the fuzzer with --reassign, `--program 4`, open): a helper returning an array,
// called with a call among its number arguments (`relax(v, g(x))`), fails to compile: TSG9001
// "Internal error ... no adjoint for expression call". With the call's value in a const first
// (`const t = g(x); relax(v, t)`) it compiles. Not special to let arrays: a const result fails too.
// Expected: f(x, v) = x * x * v[1], with d/dx = 2 x v[1] and d/dv = [0, x * x].
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num", "v": "roVec" } },
  "points": { "f0": [[0.5, [1.5, -0.75]], [-1.3, [0.25, 2]]] }
}
*/
function g(p0: number): number {
  return p0 * p0;
}

function relax(xs: readonly number[], p0: number): number[] {
  const out = xs.map((e) => e * p0);
  return out;
}

export function f0(x: number, v: readonly number[]): number {
  const ys = relax(v, g(x));
  return ys[1];
}
