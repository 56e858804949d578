// expect: TSG1002 5:3
// message: A call or assignment whose result is lifted out of a do...while condition
export function f(x: number): number {
  let t = x;
  do {
    x *= 0.9;
  } while ((t = t * 0.5) > 0.01);
  return x + t;
}
