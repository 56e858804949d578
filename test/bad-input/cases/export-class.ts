// expect: TSG2011 5:1
// args: --fn Particle
// message: Class 'Particle' is skipped: it has no public method with a body
// An exported class asked for by name whose only method is private: nothing to differentiate.
export class Particle {
  constructor(public x: number, public v: number) {}
  private energy(): number {
    return 0.5 * this.v * this.v;
  }
}
