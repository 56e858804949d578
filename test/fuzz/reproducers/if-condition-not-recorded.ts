// BUG (found by the fuzzer, open): silently wrong gradients. An `if` whose body does no
// derivative work but overwrites a variable (`q = -1`) saves the old value on the tape inside
// the branch, yet its outcome is not recorded where the reverse sweep needs it: in a loop (one
// outcome per iteration) or in a helper's forward/reverse routine pair. The reverse sweep then
// tests a `condition` that is always false, never restores `q`, and replays earlier branches
// with the overwritten value.
// - f(0.5, 4) = x^3 = 0.125: f_grad gives df/dx = 1.625, the derivative is 3x^2 = 0.75.
// - g(0.5) = 0.5: g_grad gives 2 (the derivative is 1) and leaves one value on the tape.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "q": "num" }, "g": { "x": "num" } },
  "points": { "f": [[0.5, 4], [0.7, 2]], "g": [[0.5], [-1.2]] }
}
*/
export function f(x: number, q: number): number {
  let s = x;
  for (let i = 0; i < 3; i++) {
    if (q < 0) {
      s = s * x;
    }
    if (q > 0) {
      q = -1;
    }
  }
  return s;
}

function h(p: number, q: number): number {
  if (q < 0) {
    return p;
  }
  if (q > 0) {
    q = -1;
  }
  return p;
}

export function g(x: number): number {
  return h(x, 4);
}
