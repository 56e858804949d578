// expect: TSG1006 4:3
// message: move 'g' to the top level
export function f(x: number): number {
  function g(u: number): number {
    return 2 * u;
  }
  return g(x);
}
