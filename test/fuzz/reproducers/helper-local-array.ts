// BUG (found by the fuzzer with --arrays, open): the reverse routine of a called function with a
// local array allocates the array's adjoint from the array itself (`const da = new
// Float64Array(a.length)`), but the array only exists in the forward routine:
// ReferenceError: a is not defined, whenever f_grad (or g_grad) runs.
// Expected: f(x) = x^2 has df/dx = 2x; g(x) = x^2 + 2 has dg/dx = 2x.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" }, "g": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]], "g": [[0.5], [-1.3]] }
}
*/
function h(p: number): number {
  const a = new Float64Array(2);
  a[0] = p * p;
  return a[0];
}

function k(p: number): number {
  const b = [p * p, 2];
  return b[0] + b[1];
}

export function f(x: number): number {
  return h(x);
}

export function g(x: number): number {
  return k(x);
}
