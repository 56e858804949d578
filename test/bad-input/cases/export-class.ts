// expect: TSG2011 5:1
// args: --fn Particle
// message: Class 'Particle' is skipped: classes are not differentiated yet
// An exported class asked for by name: classes are not differentiated yet.
export class Particle {
  constructor(public x: number, public v: number) {}
  energy(): number {
    return 0.5 * this.v * this.v;
  }
}
