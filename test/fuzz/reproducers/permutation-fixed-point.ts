// BUG (found by the fuzzer with --reassign, `--program 12`, open): a
// destructuring assignment permuting let arrays, one of which keeps its place
// (`[a, b, c] = [a, c, b]`), leaves that array zeroed in the generated code: f_grad's value is 0
// where f returns a[1]. JavaScript leaves a as it was.
// Expected: f(x, v) = x * v[1], with d/dx = v[1] and d/dv = [0, x].
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num", "v": "roVec" } },
  "points": { "f0": [[0.5, [1.5, -0.75]], [-1.3, [0.25, 2]]] }
}
*/
export function f0(x: number, v: readonly number[]): number {
  let a = v.map((e) => e * x);
  let b = a.slice();
  let c = a.slice();
  [a, b, c] = [a, c, b];
  return a[1];
}
