/**
 * The tape used by generated reverse-mode code.
 *
 * The forward sweep pushes what the reverse sweep will need (overwritten values, loop trip
 * counts); the reverse sweep pops them in the opposite order. Two typed-array stacks, one of
 * doubles for values and one of 32-bit integers for control, grow geometrically and are reused
 * between calls, so a gradient evaluated in a loop allocates nothing once the tape is warm.
 */
export class Tape {
  /** Values saved by forward sweeps, bottom first. Only `[0, top)` is meaningful. */
  values: Float64Array;
  /** Number of values on the stack. */
  top = 0;
  /** Control entries (trip counts, loop ends), bottom first. Only `[0, intTop)` is meaningful. */
  ints: Int32Array;
  /** Number of control entries on the stack. */
  intTop = 0;
  /**
   * Arrays replaced by a new one while the reverse sweep still needs them (a local array
   * created inside a loop): the forward sweep keeps the old array itself, not a copy.
   */
  objects: unknown[] = [];
  /** Number of arrays on the stack. */
  objectTop = 0;

  constructor(initialValues = 1024, initialInts = 256) {
    this.values = new Float64Array(Math.max(16, initialValues));
    this.ints = new Int32Array(Math.max(16, initialInts));
  }

  push(x: number): void {
    if (this.top === this.values.length) this.growValues();
    this.values[this.top++] = x;
  }

  /** `push(a); push(b)` with one capacity check (generated code joins the pushes of a run of statements). */
  push2(a: number, b: number): void {
    if (this.top + 2 > this.values.length) this.growValues();
    const values = this.values;
    const top = this.top;
    values[top] = a;
    values[top + 1] = b;
    this.top = top + 2;
  }

  push3(a: number, b: number, c: number): void {
    if (this.top + 3 > this.values.length) this.growValues();
    const values = this.values;
    const top = this.top;
    values[top] = a;
    values[top + 1] = b;
    values[top + 2] = c;
    this.top = top + 3;
  }

  push4(a: number, b: number, c: number, d: number): void {
    if (this.top + 4 > this.values.length) this.growValues();
    const values = this.values;
    const top = this.top;
    values[top] = a;
    values[top + 1] = b;
    values[top + 2] = c;
    values[top + 3] = d;
    this.top = top + 4;
  }

  pop(): number {
    return this.values[--this.top]!;
  }

  pushInt(n: number): void {
    if (this.intTop === this.ints.length) this.growInts();
    this.ints[this.intTop++] = n;
  }

  popInt(): number {
    return this.ints[--this.intTop]!;
  }

  pushObject(array: unknown): void {
    this.objects[this.objectTop++] = array;
  }

  popObject<T>(): T {
    const array = this.objects[--this.objectTop] as T;
    // Drop the reference so the array can be collected once the reverse sweep is done with it.
    this.objects[this.objectTop] = undefined;
    return array;
  }

  /**
   * Records the elements of an array and its length (a checkpointed loop's state: the loop may
   * grow the array by `push` before it is restored).
   */
  pushArray(xs: ArrayLike<number>): void {
    const n = xs.length;
    while (this.top + n + 1 > this.values.length) this.growValues();
    const values = this.values;
    const top = this.top;
    for (let i = 0; i < n; i++) values[top + i] = xs[i]!;
    values[top + n] = n;
    this.top = top + n + 1;
  }

  /** Gives the array back the length and elements `pushArray` recorded. */
  popArray(xs: { length: number; [i: number]: number }): void {
    const values = this.values;
    const n = values[--this.top]!;
    const top = (this.top -= n);
    // (A typed array's length never changes; a plain array's may have grown or shrunk.)
    if (xs.length !== n) xs.length = n;
    for (let i = 0; i < n; i++) xs[i] = values[top + i]!;
  }

  /** `pushArray` for each row of a matrix, and the rows themselves (the loop may add or remove some). */
  pushRows(rows: readonly ArrayLike<number>[]): void {
    this.pushObject(rows.slice());
    for (const row of rows) this.pushArray(row);
  }

  /** Undoes `pushRows`. */
  popRows<Row extends { length: number; [i: number]: number }>(rows: Row[]): void {
    const saved = this.popObject<Row[]>();
    rows.length = saved.length;
    for (let r = saved.length - 1; r >= 0; r--) {
      rows[r] = saved[r]!;
      this.popArray(saved[r]!);
    }
  }

  /** Empties the stacks (after an exception left entries behind, say). Keeps the memory. */
  clear(): void {
    this.top = 0;
    this.intTop = 0;
    this.objects.fill(undefined, 0, this.objectTop);
    this.objectTop = 0;
  }

  /** Bytes the stacks hold now (what automatic checkpointing, `--tape-budget`, compares with its budget). */
  bytesUsed(): number {
    return this.top * 8 + this.intTop * 4;
  }

  /** Bytes currently reserved by the two stacks. */
  get reservedBytes(): number {
    return this.values.byteLength + this.ints.byteLength;
  }

  private growValues(): void {
    const next = new Float64Array(this.values.length * 2);
    next.set(this.values);
    this.values = next;
  }

  private growInts(): void {
    const next = new Int32Array(this.ints.length * 2);
    next.set(this.ints);
    this.ints = next;
  }
}

/** The tape shared by all generated code in a program (gradients never run concurrently). */
export const tape: Tape = new Tape();
