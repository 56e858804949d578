// expect: TSG1010 4:14
// message: 'Math.random' is not supported
export function f(x: number): number {
  return x * Math.random();
}
