// expect: TSG1021 4:12
// message: Array method 'reverse' is not supported
export function f(a: number[]): number {
  return a.reverse()[0];
}
