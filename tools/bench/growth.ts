/**
 * How a cost grows with the fleet's size: the exponent k of cost ≈ c·N^k, fitted by least squares
 * on log N and log cost. Linear growth is k ≈ 1; a checkpoint rewritten whole after every step
 * makes the bytes written grow as k ≈ 2.
 */
export interface Sample {
  size: number;
  value: number;
}

/** The fitted exponent, or undefined with fewer than two sizes or a value that is not positive. */
export function growthExponent(samples: Sample[]): number | undefined {
  const points = samples.filter((sample) => sample.size > 0 && sample.value > 0).map((sample) => [Math.log(sample.size), Math.log(sample.value)]);
  if (points.length < 2 || points.length < samples.length) return undefined;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const spread = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  if (spread === 0) return undefined;
  return points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / spread;
}
