// BUG (found by the fuzzer with --structs, seed 7001 program 269, open): a call inside an object
// literal passed to a helper in a do-while condition is rejected with TSG1002 ("A call or
// assignment whose result is lifted out of a do...while condition is not differentiable"), placed
// at `do`; the same call as a number argument (`h0(h1(x))`), or the same condition in a `while`
// loop, is accepted.
// Expected: the condition h0(1, { x: x + 1, y: x }) = x + 1 < x is false, so the body runs once:
// f(x) = x, df/dx = 1.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
type Vec2 = { x: number; y: number };

function h0(p0: number, u: Vec2): number {
  return p0 * u.x;
}

function h1(p0: number): number {
  return p0 + 1;
}

export function f(x: number): number {
  let k = 0;
  do {
    k++;
  } while (k < 2 && h0(1, { x: h1(x), y: x }) < x);
  return x * k;
}
