/**
 * A sum of floating-point numbers without rounding error until it is read (Shewchuk's algorithm, as in Python's
 * `math.fsum`): `value()` is the exact sum of everything added, rounded once. Capacity figures therefore do not
 * depend on the order in which the database returns records, and merging partial sums loses nothing.
 */
export class ExactSum {
  /** Non-overlapping partial sums in increasing magnitude; their exact total is the sum so far. */
  private readonly partials: number[] = [];

  add(value: number): this {
    let x = value;
    let kept = 0;
    const partials = this.partials;
    for (let index = 0; index < partials.length; index++) {
      let y = partials[index];
      if (Math.abs(x) < Math.abs(y)) {
        const larger = y;
        y = x;
        x = larger;
      }
      const high = x + y;
      const low = y - (high - x);
      if (low !== 0) partials[kept++] = low;
      x = high;
    }
    if (kept + 1 < partials.length) partials.length = kept + 1;
    partials[kept] = x;
    return this;
  }

  /** Adds everything another sum holds, exactly. */
  addSum(other: ExactSum): this {
    for (const partial of other.partials) this.add(partial);
    return this;
  }

  /** The exact sum, correctly rounded to the nearest double. */
  value(): number {
    const partials = this.partials;
    let index = partials.length;
    if (index === 0) return 0;
    let high = partials[--index];
    let low = 0;
    while (index > 0) {
      const x = high;
      const y = partials[--index];
      high = x + y;
      low = y - (high - x);
      if (low !== 0) break;
    }
    // Round half to even correctly when the remaining partials push the tie one way.
    if (index > 0 && ((low < 0 && partials[index - 1] < 0) || (low > 0 && partials[index - 1] > 0))) {
      const y = low * 2;
      const x = high + y;
      if (y === x - high) high = x;
    }
    return high;
  }
}

/** The correctly rounded sum of some numbers. */
export function exactSum(values: Iterable<number>): number {
  const sum = new ExactSum();
  for (const value of values) sum.add(value);
  return sum.value();
}
