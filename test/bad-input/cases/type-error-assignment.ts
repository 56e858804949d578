// expect: TS2322 4:9
// A type error: a number assigned to a string.
export function f(x: number): number {
  const s: string = x;
  return x;
}
