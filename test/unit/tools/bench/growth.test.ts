import { growthExponent } from "../../../../tools/bench/growth";

describe("growthExponent", () => {
  it("finds the exponent of a power law: 1 for linear growth, 2 for quadratic", () => {
    const sizes = [100, 500, 1000, 2000];
    expect(growthExponent(sizes.map((size) => ({ size, value: 0.03 * size })))).toBeCloseTo(1, 10);
    expect(growthExponent(sizes.map((size) => ({ size, value: 2e-6 * size ** 2 })))).toBeCloseTo(2, 10);
    // A fixed cost beside a linear one reads as growing slower than linearly over these sizes.
    expect(growthExponent(sizes.map((size) => ({ size, value: 5 + 0.01 * size })))).toBeLessThan(1);
  });

  it("gives nothing without two sizes, or with a value missing or not positive", () => {
    expect(growthExponent([{ size: 100, value: 3 }])).toBeUndefined();
    expect(growthExponent([{ size: 100, value: 3 }, { size: 100, value: 4 }])).toBeUndefined();
    expect(growthExponent([{ size: 100, value: 3 }, { size: 500, value: Number.NaN }])).toBeUndefined();
    expect(growthExponent([{ size: 100, value: 3 }, { size: 500, value: 0 }])).toBeUndefined();
  });
});
