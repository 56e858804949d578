// expect: TSG1035 5:3
// message: 'scale' is optional (a number or undefined) and is assigned again
// An optional parameter holds undefined or a number: assigning it again is not supported.
export function f(x: number, scale?: number): number {
  scale = scale ?? 1;
  return x * scale;
}
