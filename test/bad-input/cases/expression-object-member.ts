// expect: TSG1012 4:10
// message: instead of 'Number.EPSILON'
export function f(x: number): number {
  return Number.EPSILON * x;
}
