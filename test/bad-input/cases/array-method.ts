// expect: TSG1070 5:7
// message: Array method 'push' is not supported; arrays have a fixed length in tsgrad
export function f(a: number[]): number {
  const out = [0, 1];
  out.push(a[0]);
  return out[0];
}
