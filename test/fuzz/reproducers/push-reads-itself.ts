// BUG (found by the fuzzer with --methods, seed 41 programs 49 and 174, fixed): `ys.push(a, b)`
// is lowered to one store per value, each followed by the length's increment, so a later
// argument that reads the array (`ys.length`, `ys[ys.length - 1]`) sees the earlier arguments
// already pushed; JavaScript evaluates every argument before pushing. Here the generated code's
// value is [x, 1] instead of [x, 0] (and `0 < out.length ? out[out.length - 1] : x * x` picks
// x instead of x * x in g).
// Expected: f(x) = [x, 0], g(x) = [x, x * x] with d/dx of <c, g> = c0 + 2 x c1.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" }, "g": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]], "g": [[0.5], [-1.3]] }
}
*/
export function f(x: number): number[] {
  const out: number[] = [];
  out.push(x, out.length);
  return out;
}

export function g(x: number): number[] {
  const out: number[] = [];
  out.push(x, 0 < out.length ? out[out.length - 1] : x * x);
  return out;
}
