// Fixed bug (found by the fuzzer with --methods, seed 53 program 2462): the tidy pass merged
// `dr0_pos_x[i] = dmass_new; dmass_new = 0; ...; dr0_pos_x[i] += dpos_x_new` into one store
// after the reset, so the adjoint of `mass: r0[i].pos.x` was lost (mergeElementWrites moved the
// stored value past a write of what it reads).
// Expected: every field ends equal to x, pos.y twice, so f(x) = 2x and df/dx = 2.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "w": "f64", "ps": "rows" } },
  "points": { "f": [[0.5, [0.3, -1.2, 2], [{ "pos": { "x": 1.5, "y": -0.5 }, "vel": { "x": 0.25, "y": 2 }, "mass": 1.2 }, { "pos": { "x": -0.4, "y": 1 }, "vel": { "x": -0.9, "y": -1.3 }, "mass": 0.5 }]]] }
}
*/
type Vec2 = { x: number; y: number };
interface Body {
  pos: Vec2;
  vel: Vec2;
  mass: number;
}

export function f(x: number, w: Float64Array, ps: Body[]): number {
  const r0 = ps.map(() => ({ pos: { x: x, y: x }, vel: { x: x, y: x }, mass: x }));
  for (let i = 0; i < 2; i++) {
    r0[i] = { pos: { ...r0[i].pos, y: w.reduceRight((c, e) => c, r0[(i + 1) % r0.length].mass) }, vel: { x: 1, y: 1 }, mass: r0[i].pos.x };
  }
  return r0[0].pos.y + r0[1].pos.y;
}
