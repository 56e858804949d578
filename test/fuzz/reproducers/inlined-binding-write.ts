// BUG (found by the fuzzer with --structs, seed 7001 program 107, open): a helper returning a
// structure (so inlined where it is called) that reassigns a number bound by its destructured
// parameter (`y = y * 2` for `{ x, y }: Vec2`) is rejected with TSG1050 "'y' writes into parameter
// '{ x, y }', which belongs to the caller", although `y` is a local copy (the caller's object is
// not written); the same helper returning a number, or an exported function, is accepted.
// Expected: f(a) = h({ x: a, y: 3 }).x + .y = 6a + 6, df/da = 6.
/* fuzz-reproducer
{
  "entries": { "f": { "a": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
type Vec2 = { x: number; y: number };

function h({ x, y }: Vec2): Vec2 {
  y = y * 2;
  return { x: x * y, y };
}

export function f(a: number): number {
  const s = h({ x: a, y: 3 });
  return s.x + s.y;
}
