// expect: TSG1019 4:11
// A switch on an array compares identities, nothing numeric.
export function f(a: number[], b: number[]): number {
  switch (a) {
    case b:
      return a[0]!;
    default:
      return b[0]!;
  }
}
