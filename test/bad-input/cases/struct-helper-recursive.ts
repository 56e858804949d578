// expect: TSG1054 6:13
// message: it calls itself
type Vec2 = { x: number; y: number };
function halve(v: Vec2, n: number): Vec2 {
  if (n <= 0) return v;
  const h = halve(v, n - 1);
  return { x: h.x / 2, y: h.y / 2 };
}
export function f(a: Vec2): number {
  return halve(a, 3).x;
}
