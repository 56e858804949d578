// expect: TSG1001 4:14
// message: 'throw' statements are not differentiable
export function f(x: number): number {
  if (x > 1) throw new Error("too big");
  return x;
}
