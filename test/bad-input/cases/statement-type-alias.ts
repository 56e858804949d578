// expect: TSG1001 5:3
// not: 'typeAlias'
// message: statements are not differentiable
export function f(x: number): number {
  type T = number;
  const y: T = x;
  return y;
}
