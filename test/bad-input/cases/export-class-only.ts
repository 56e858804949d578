// expect: TSG2001 -
// message: export-class-only.ts:5:1 - warning TSG2011: Class 'Spring' is skipped
// A file exporting only a class without methods (a setter is no method): its warning, then TSG2001.
/** Not differentiated: write energy(x: number) as a method, or energy(k: number, x: number). */
export class Spring {
  k = 2;
  set stiffness(value: number) {
    this.k = value;
  }
}
