// expect: TSG1021 4:12
// message: Array method 'reduce' is not supported
export function f(a: number[]): number {
  return a.reduce((s, v) => s + v * v, 0);
}
