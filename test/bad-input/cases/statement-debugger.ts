// expect: TSG1001 5:3
// message: 'debugger' statements are not differentiable
// not: 'last'
export function f(x: number): number {
  debugger;
  return x;
}
