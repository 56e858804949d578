// expect: TSG1051 10:18
// also: TSG1057 11:5
// message: would share one object with 'ps[i]' while a field of one of them is written
// A map callback returning the element itself from a branch shares it, as JavaScript does: a
// write into the new array would be a write into the old one.
type Vec2 = { x: number; y: number };
interface Particle { pos: Vec2; vel: Vec2; mass: number; fixed: boolean }
export function f(ps: Particle[], dt: number): number {
  const next = ps.map((p) => {
    if (p.fixed) return p;
    return { ...p, pos: { x: p.pos.x + p.vel.x * dt, y: p.pos.y } };
  });
  next[0].pos.x = 1;
  return next[0].pos.x + ps[0].pos.x;
}
