// expect: TSG1070 4:16
// message: Array method 'lastIndexOf' is not supported; write a for loop from the end that keeps the index it finds
export function f(xs: number[]): number {
  const i = xs.lastIndexOf(2);
  return i >= 0 ? xs[i] : 0;
}
