// expect: TSG1022 5:7
// A definite assignment assertion turns off TypeScript's check that y is assigned before it is
// read, which is what makes a declaration without a value sound.
export function f(x: number): number {
  let y!: number;
  if (x > 0) y = x * 2;
  return y;
}
