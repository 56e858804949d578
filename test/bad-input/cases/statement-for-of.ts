// expect: TSG1001 5:3
// message: 'for...of' statements are not differentiable
export function f(x: number): number {
  let s = 0;
  for (const v of [1, 2]) {
    s += v * x;
  }
  return s;
}
