// expect: TSG1010 4:10
// message: 'Math.fround' is not supported
export function f(x: number): number {
  return Math.fround(x);
}
