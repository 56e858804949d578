// expect: TSG1072 10:10
// message: passes 'path', an array that grows by push, to a function before its last push
type Vec2 = { x: number; y: number };
function last(ps: Vec2[]): number { return ps[ps.length - 1].x; }
export function f(a: number, n: number): number {
  const path: Vec2[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    path.push({ x: a * i, y: a });
    s += last(path);
  }
  return s;
}
