// expect: TSG1050 5:3
// message: writes into parameter 'p', which belongs to the caller
type Vec2 = { x: number; y: number };
export function f(p: Vec2): number {
  p.x *= 2;
  return p.x + p.y;
}
