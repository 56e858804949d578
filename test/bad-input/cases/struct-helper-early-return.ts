// expect: TSG1054 10:10
// message: it must end with its only return statement
type Vec2 = { x: number; y: number };
function normalize(v: Vec2): Vec2 {
  const n = Math.hypot(v.x, v.y);
  if (n === 0) return v;
  return { x: v.x / n, y: v.y / n };
}
export function f(a: Vec2): number {
  return normalize(a).x;
}
