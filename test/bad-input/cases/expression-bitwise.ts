// expect: TSG1002 4:13
// message: The operator '|' is not differentiable
export function f(x: number): number {
  return (x | 0) * x;
}
