// expect: TSG1008 5:11
// A switch on strings: strings stay out of numeric functions.
export function f(x: number): number {
  let y = x;
  switch (x.toFixed(0)) {
    case "1":
      y = 2 * x;
      break;
  }
  return y;
}
