// expect: TSG2002 -
// args: --fn g
// message: --fn 'g' names no exported differentiable function
export function f(x: number): number {
  return x * x;
}
