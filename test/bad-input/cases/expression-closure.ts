// expect: TSG1006 4:11
// message: move 'g' to the top level
export function f(x: number): number {
  let g = (u: number): number => u * 2;
  return g(x);
}
