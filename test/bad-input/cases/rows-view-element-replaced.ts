// expect: TSG1055 10:11
// message: 'b', a name of an element of 'ps' while 'ps[k]' replaces elements whole
type Vec2 = { x: number; y: number };
interface Body { pos: Vec2; mass: number }

export function f(bodies: Body[], x: number): number {
  const ps = bodies.map((b) => ({ pos: { x: b.pos.x * x, y: b.pos.y }, mass: b.mass }));
  let s = 0;
  for (let k = 0; k < ps.length; k++) {
    const b = ps[1];
    ps[k] = { pos: { x: 1, y: 1 }, mass: 1 };
    s += b.pos.x;
  }
  return s;
}
