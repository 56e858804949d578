// expect: TSG1058 10:31
// message: copy the array first
type Vec2 = { x: number; y: number };
interface Body { pos: Vec2; vel: Vec2 }
function drift(b: Body, dt: number): void {
  b.pos.x += b.vel.x * dt;
}
export function step(ps: Body[], dt: number): number {
  let s = 0;
  for (const p of ps) { drift(p, dt); s += p.pos.x; }
  return s;
}
