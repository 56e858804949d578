// expect: TSG1002 5:3
// message: lifted out of the condition of a do...while that has a 'continue'
export function f(x: number): number {
  let t = x;
  do {
    if (x > 5) continue;
    x *= 0.9;
  } while ((t = t * 0.5) > 0.01);
  return x + t;
}
