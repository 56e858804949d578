// Fixed bug (found by the fuzzer with --rows, seed 3 program 100; the spread's nested objects now
// count as shared only when no later field replaces them): a deep copy by spreads,
// `{ ...p, pos: { ...p.pos }, vel: { ...p.vel } }` (every nested object copied, as TSG1057's own
// hint suggests), is rejected with TSG1057 "'r' shares nested objects with 'p'" as soon as a nested
// field of the copy is written: in a structure local (f) and in a map copy of an array of objects
// (g, which also gets a second, garbled diagnostic: TSG1040 "for...of over ''r' is not an array").
// The same copy field by field (`{ pos: { ...p.pos }, vel: { ...p.vel }, mass: p.mass }`) is accepted.
// Expected: f = p.pos.x * x * p.vel.y + p.mass, df/dx = p.pos.x * p.vel.y;
// g = ps[0].pos.x * x * ps[1].vel.y + ps[1].mass, dg/dx = ps[0].pos.x * ps[1].vel.y.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "p": "struct" }, "g": { "x": "num", "ps": "rows" } },
  "points": {
    "f": [[0.5, { "pos": { "x": 1.5, "y": -0.5 }, "vel": { "x": 0.25, "y": 2 }, "mass": 1.2 }]],
    "g": [[-1.3, [{ "pos": { "x": 1.5, "y": -0.5 }, "vel": { "x": 0.25, "y": 2 }, "mass": 1.2 }, { "pos": { "x": 0.7, "y": 0.1 }, "vel": { "x": -1, "y": 0.6 }, "mass": 0.8 }]]]
  }
}
*/
type Vec2 = { x: number; y: number };
interface Body { pos: Vec2; vel: Vec2; mass: number }

export function f(x: number, p: Body): number {
  const r = { ...p, pos: { ...p.pos }, vel: { ...p.vel } };
  r.pos.x *= x;
  return r.pos.x * r.vel.y + r.mass;
}

export function g(x: number, ps: Body[]): number {
  const r = ps.map((e) => ({ ...e, pos: { ...e.pos }, vel: { ...e.vel } }));
  for (const e of r) e.pos.x *= x;
  return r[0].pos.x * r[1].vel.y + r[1].mass;
}
