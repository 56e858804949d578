// expect: TSG1033 4:10
// message: Calls of 'Math.max'
export function f(x: number): number {
  return Math.max() + x;
}
