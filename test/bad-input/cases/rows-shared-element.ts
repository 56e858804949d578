// expect: TSG1051 8:3
// qs[0] = ps[1] makes one object with two places in JavaScript; tsgrad keeps separate numbers,
// so writing through one would not show through the other: refused.
type Vec2 = { x: number; y: number };
export function f(xs: Vec2[]): number {
  const ps = xs.map((p) => ({ x: p.x, y: p.y }));
  const qs = ps.map((p) => ({ x: p.x * 2, y: p.y }));
  qs[0] = ps[1];
  ps[1].x = 5;
  return qs[0].x;
}
