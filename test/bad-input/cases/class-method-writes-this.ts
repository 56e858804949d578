// expect: TSG1080 14:5
// also: TSG1080 15:5
// A method that changes its object, called from a differentiated method: the caller would have
// to see the change, which tsgrad does not model yet.
export class Body {
  constructor(public x: number, public v: number) {}

  step(dt: number): void {
    this.x += this.v * dt;
  }

  travel(dt: number): number {
    const start = this.x;
    this.step(dt);
    this.step(dt);
    return this.x - start;
  }
}
