// expect: TSG1070 4:16
// message: Array method 'findIndex' is not supported; write a for loop that keeps the index it finds
export function f(xs: number[]): number {
  const i = xs.findIndex((a) => a > 0);
  return i >= 0 ? xs[i] : 0;
}
