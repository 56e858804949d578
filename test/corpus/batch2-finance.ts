// Trial corpus, batch 2: finance written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

export interface CashFlow {
  amount: number;
  years: number;
}

// Mirrors: NPV helpers in TS finance utilities: reduce over cash-flow objects destructured in the callback, a compounding-mode string with a default.
export function npv(rate: number, flows: CashFlow[], compounding: "annual" | "continuous" = "annual"): number {
  return flows.reduce(
    (acc, { amount, years }) => acc + amount * (compounding === "continuous" ? Math.exp(-rate * years) : (1 + rate) ** -years),
    0,
  );
}

// Mirrors: a Bond class in fixed-income code: readonly constructor parameter properties, a numeric-literal-union frequency, a getter, price from a yield.
export class Bond {
  constructor(
    readonly face: number,
    readonly couponRate: number,
    readonly maturity: number,
    readonly frequency: 1 | 2 | 4 | 12 = 2,
  ) {}

  get periods(): number {
    return Math.round(this.maturity * this.frequency);
  }

  price(yieldRate: number): number {
    const coupon = (this.face * this.couponRate) / this.frequency;
    const y = yieldRate / this.frequency;
    let pv = 0;
    for (let k = 1; k <= this.periods; k++) pv += coupon / (1 + y) ** k;
    return pv + this.face / (1 + y) ** this.periods;
  }
}
