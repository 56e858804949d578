// expect: TSG1012 3:10
export function f(x: number): number {
  return { a: x }.a;
}
