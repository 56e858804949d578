// expect: TSG1058 7:5
// message: writes into an element of parameter 'ps', which belongs to the caller
type Vec2 = { x: number; y: number };
interface Body { pos: Vec2; vel: Vec2 }
export function step(ps: Body[], dt: number): number {
  for (const p of ps) {
    p.pos.x += p.vel.x * dt;
  }
  return ps[0].pos.x;
}
