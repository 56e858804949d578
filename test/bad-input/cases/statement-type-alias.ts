// expect: TSG1001 4:3
// message: 'type' statements are not differentiable
export function f(x: number): number {
  type T = number;
  const y: T = x;
  return y;
}
