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
    for (let index = 0; index < this.partials.length; index++) {
      let y = this.partials[index];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const high = x + y;
      const low = y - (high - x);
      if (low !== 0) this.partials[kept++] = low;
      x = high;
    }
    this.partials.length = kept;
    this.partials.push(x);
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
