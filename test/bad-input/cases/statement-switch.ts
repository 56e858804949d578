// expect: TSG1019 3:3
export function f(x: number): number {
  switch (Math.sign(x)) {
    case 1:
      return x;
    default:
      return -x;
  }
}
