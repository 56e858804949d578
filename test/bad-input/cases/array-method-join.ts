// expect: TSG1070 4:16
// message: Array method 'join' is not supported; strings are not differentiable
export function f(xs: number[]): number {
  const s = xs.join(",");
  return s.length;
}
