// expect: TSG1050 11:13
// message: 'integrate(p, dt)' writes into parameter 'p', which belongs to the caller
// A helper may write into its caller's local variables, not into the caller's own parameters.
type Vec2 = { x: number; y: number };
type Body = { pos: Vec2; vel: Vec2 };
function integrate(b: Body, dt: number): void {
  b.pos.x += b.vel.x * dt;
  b.pos.y += b.vel.y * dt;
}
export function f(p: Body, dt: number): number {
  integrate(p, dt);
  return p.pos.x;
}
