// expect: TSG1019 8:7
// t is declared in case 0 and used in case 1 (the cases share one block in JavaScript).
export function f(x: number, mode: number): number {
  switch (mode) {
    case 0:
      let t = x * 2;
    case 1:
      t = x * 3;
      return t * x;
  }
  return x;
}
