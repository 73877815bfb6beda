/**
 * Measures a tight loop: `runOnce(i)` is called for i = 0..iterations-1, several rounds; the median
 * round gives ns per call. A checksum of the results keeps the JIT from discarding the work.
 */
export interface LoopResult {
  nsPerOp: number;
  opsPerSecond: number;
  checksum: number;
}

export function measureLoop(runOnce: (i: number) => number, iterations: number, rounds = 7): LoopResult {
  let checksum = 0;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) checksum += runOnce(i);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) checksum += runOnce(i);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return medianResult(samples, checksum);
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `measureLoop` for asynchronous calls (the OpenFeature server SDK answers with promises), awaited one by one. */
export async function measureAsyncLoop(runOnce: (i: number) => Promise<number>, iterations: number, rounds = 7): Promise<LoopResult> {
  let checksum = 0;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) checksum += await runOnce(i);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) checksum += await runOnce(i);
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return medianResult(samples, checksum);
}

function medianResult(samples: number[], checksum: number): LoopResult {
  samples.sort((a, b) => a - b);
  const nsPerOp = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
  return { nsPerOp, opsPerSecond: 1e9 / nsPerOp, checksum };
}
