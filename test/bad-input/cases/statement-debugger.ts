// expect: TSG1001 4:3
// message: 'debugger' statements are not differentiable
export function f(x: number): number {
  debugger;
  return x;
}
