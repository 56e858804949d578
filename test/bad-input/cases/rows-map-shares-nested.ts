// expect: TSG1057 6:27
// The spread copies each particle's top level only: pos is shared with the caller's objects.
type Vec2 = { x: number; y: number };
interface Body { pos: Vec2; m: number }
export function f(bodies: Body[]): number {
  const copy = bodies.map((b) => ({ ...b }));
  copy[0].pos.x += 1;
  return copy[0].pos.x * copy[0].m;
}
