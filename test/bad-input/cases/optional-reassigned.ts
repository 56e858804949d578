// expect: TSG1035 4:30
// message: Optional parameter 'scale' is assigned again
// An optional parameter holds undefined or a number: assigning it again is not supported.
export function f(x: number, scale?: number): number {
  scale = scale ?? 1;
  return x * scale;
}
