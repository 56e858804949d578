/**
 * What every example shares around its numerical core: the reduced size under `CI=true`,
 * progress output, and the final checks of the stated result.
 *
 * Each check prints one line
 *
 *     result: <what> = <value> (required <= <bound>) ok
 *
 * and a failed one sets a non-zero exit status, so `npm run examples` and the tests fail when an
 * example no longer reaches what its README promises.
 */

/** True under `CI=true` (or `CI=1`): the examples then run a smaller problem. */
export const reduced: boolean = process.env.CI === "true" || process.env.CI === "1";

/** `full` normally, `ci` when running reduced. */
export function pick<T>(full: T, ci: T): T {
  return reduced ? ci : full;
}

/** Prints the result line for `value` against `bound`; a failed check sets the exit status to 1. */
export function check(what: string, value: number, op: "<=" | ">=", bound: number): boolean {
  const ok = op === "<=" ? value <= bound : value >= bound;
  console.log(`result: ${what} = ${formatNumber(value)} (required ${op} ${bound}) ${ok ? "ok" : "FAILED"}`);
  if (!ok) process.exitCode = 1;
  return ok;
}

/** A compact, parseable rendering: 4 significant digits, exponent form for small values. */
export function formatNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude < 1e-3 || magnitude >= 1e6 ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}

/**
 * A progress line: on a terminal it is redrawn in place (`\r`) on every update; otherwise (a
 * pipe, a CI log) every `every`-th update and the last one are printed as ordinary lines
 * (none when `every` is 0).
 */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private lastLength = 0;

  constructor(
    private readonly total: number,
    private readonly every: number,
  ) {}

  update(done: number, text: string): void {
    const width = 24;
    const filled = Math.round((width * done) / this.total);
    const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(done).padStart(String(this.total).length)}/${this.total}`;
    const line = `${bar}  ${text}`;
    if (this.tty) {
      process.stdout.write(`\r${line}${" ".repeat(Math.max(0, this.lastLength - line.length))}`);
      this.lastLength = line.length;
      if (done === this.total) process.stdout.write("\n");
    } else if (this.every > 0 && (done % this.every === 0 || done === this.total)) {
      console.log(line);
    }
  }

  /** Prints `text` on its own line without breaking the progress line. */
  log(text: string): void {
    if (this.tty && this.lastLength > 0) process.stdout.write(`\r${" ".repeat(this.lastLength)}\r`);
    console.log(text);
  }
}

/** Milliseconds since the previous call (or since the stopwatch was created). */
export function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    return elapsed;
  };
}
