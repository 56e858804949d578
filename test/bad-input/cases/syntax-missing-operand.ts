// expect: TS1109 4:19
// A syntax error: an operand is missing.
export function f(x: number): number {
  return x * (2 + ;
}
