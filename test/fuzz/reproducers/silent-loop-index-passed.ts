// Fixed bug (found by the fuzzer with --hvp --methods, seed 10 program 21; not about --hvp): a
// helper's search loop (`r0.some(...)` steering an empty `if`), run plainly since loops without
// reverse work became silent, still had its index passed on to the helper's reverse routine
// (`tape.push(j)` after the loop that declares `j`: ReferenceError: j is not defined).
// Expected: f0 = 1, every derivative 0.
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num", "v": "roVec", "pair": "struct", "ps": "rows" } },
  "points": { "f0": [[-1.618943, [0.375379, 0.893147, -1.211179], [0.125579, 1.512801], [[-1.256779, 0.894481], [0.268854, -1.955619]]]] }
}
*/
type Vec2 = { x: number; y: number };
type Pair = [number, number];
interface Body {
  pos: Vec2;
  vel: Vec2;
  mass: number;
}

function h0(p0: number, u: Body, d: number): number {
  if (d <= 0) {
  }
  return 1;
}

function h1(p0: number, p1: number, p2: number, rs: Pair[], d: number): number {
  if (d <= 0) {
  }
  const r0: Pair[] = rs.map((e1) => [p0, p0]);
  if (r0.some((e2) => e2[1] <= 1)) {
  }
  return p0;
}

export const f0 = (x: number, v: readonly number[], pair: [w0: number, w1: number], ps: [number, number][]) => h0(1, { pos: { x: 1, y: x }, vel: { x: x, y: 1 }, mass: h1(1, x, 1, ps, 0) }, 2);
