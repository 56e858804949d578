// expect: TSG1029 3:11
export function f(x: number): number {
  return (x as number) * 2;
}
