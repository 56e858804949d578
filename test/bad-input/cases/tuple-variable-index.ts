// expect: TSG1053 6:12
// message: tuple elements are read with a constant index
export function f(p: [number, number, number]): number {
  let s = 0;
  for (let i = 0; i < 3; i++) {
    s += p[i] ** 2;
  }
  return s;
}
