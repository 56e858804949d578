// Fixed bug (found by the long --arrays run, seed 1 program 9610; older than the structured-data
// work): the tidy pass added `dt -= 0.2 * dx` into `dt = 1.5 * dt` across `if (x < i) continue;`,
// so the tangent lost the `continue`: f_jvp disagreed with f_grad. Accumulations are no longer
// merged past a statement that may jump.
// Expected at n = 3: f = 1.5^3 x - 0.2 x (1.5^k summed over the iterations that do not continue).
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "n": "int" } },
  "points": { "f": [[0.5, 3], [2.5, 3], [1.5, 4]] }
}
*/
export function f(x: number, n: number): number {
  let t = x;
  for (let i = 0; i < n; i++) {
    t *= 1.5;
    if (x < i) continue;
    t -= 0.2 * x;
  }
  return t;
}
