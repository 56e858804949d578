// expect: TSG1051 7:3
// message: would share one object with 'a'
type Vec2 = { x: number; y: number };
export function f(x: number): number {
  const a = { x, y: 1 };
  let b = { x: 0, y: 0 };
  b = a;
  b.x = 5;
  return a.x * b.y;
}
