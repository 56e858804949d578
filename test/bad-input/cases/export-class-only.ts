// expect: TSG2001 -
// message: export-class-only.ts:5:1 - warning TSG2011: Class 'Spring' is skipped
// A file exporting only a class: the class's warning is printed, then TSG2001.
/** Not differentiated: write energy(k: number, x: number) instead. */
export class Spring {
  k = 2;
  energy(x: number): number {
    return 0.5 * this.k * x * x;
  }
}
