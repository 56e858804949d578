// expect: TSG1012 7:7
// message: 'Shape' cannot be read in numeric code
class Shape {}

export function f(x: number): number {
  let s = x;
  if (Shape) s *= 2;
  return s;
}
