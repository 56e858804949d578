// expect: TSG1001 4:3
// message: 'interface' statements are not differentiable
export function f(x: number): number {
  interface P { a: number }
  return x;
}
