// expect: TSG1021 4:14
// message: Array method 'indexOf' is not supported
export function f(a: number[]): number {
  return a[a.indexOf(2)];
}
