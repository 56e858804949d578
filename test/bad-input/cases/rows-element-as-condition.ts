// expect: TSG1052 8:9
// message: 'a' is an object or tuple where a number or a condition is needed
interface P { x: number; y: number }

export function f(ps: P[]): number {
  let s = 0;
  for (const a of ps) {
    if (a) s += a.x;
  }
  return s;
}
