// Fixed bug (found by the fuzzer with --structs, seed 7100 program 5065): a helper returning a
// structure called in an argument of a call of itself (`h(y, h(x, ...))`): the inner inlining
// bound the helper's parameters (the same symbols) after the outer one had, so the outer body
// read the inner arguments: a wrong value. Arguments are now all evaluated before binding.
// Expected: f(x, y) = x*y + y^2, df/dx = y, df/dy = x + 2y.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "y": "num" } },
  "points": { "f": [[0.5, 1.5], [-1.3, 0.7]] }
}
*/
type Vec3 = { x: number; y: number; z: number };

function h(p0: number, r: Vec3): Vec3 {
  return { x: p0 * r.x, y: p0, z: r.z };
}

export function f(x: number, y: number): number {
  const s = h(y, h(x, { x: 1, y: x, z: y }));
  return s.x + s.y * s.z;
}
