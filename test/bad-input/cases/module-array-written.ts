// expect: TSG1018 6:10
// message: 'SCALE' is a module-level variable that can change
// A module-level array that some function of the file writes is not a constant table.
const SCALE = [1, 2];
export function f(x: number): number {
  return SCALE[0] * x;
}
export function reset(): void {
  SCALE[0] = 3;
}
