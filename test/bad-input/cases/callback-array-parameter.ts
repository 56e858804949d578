// expect: TSG1071 4:30
// message: a callback's parameter for the array itself is not supported
export function f(xs: number[]): number {
  return xs.reduce((s, x, i, arr) => s + arr[i] * x, 0);
}
