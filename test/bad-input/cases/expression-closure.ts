// expect: TSG1006 4:13
// message: move 'g' to the top level
export function f(x: number): number {
  const g = (u: number): number => u * 2;
  return g(x);
}
