// expect: TSG1005 3:3
export function f(x: number): number {
  class Box {}
  return x;
}
