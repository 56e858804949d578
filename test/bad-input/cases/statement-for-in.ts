// expect: TSG1001 5:3
// message: 'for...in' statements are not differentiable
export function f(x: number): number {
  let s = 0;
  for (const k in [1, 2]) {
    s += x;
  }
  return s;
}
