/**
 * Measures a tight loop: `runOnce(i)` is called for i = 0..iterations-1, several rounds; the median
 * round gives ns per call. A checksum of the results keeps the JIT from discarding the work.
 */
export interface LoopResult {
  nsPerOp: number;
  opsPerSecond: number;
  checksum: number;
  /** ns per call of every round, in the order measured. */
  samples: number[];
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

/**
 * Several loops measured side by side: each round runs every loop once, in turn (starting with a
 * different one each round), so load from other processes falls on all of them alike; compare them with `pairedRatio`. Time is this process's CPU
 * time (user + system), not the wall clock, so time spent descheduled on a busy machine is not counted.
 */
export function measureSideBySide(runners: ((i: number) => number)[], iterations: number, rounds = 7): LoopResult[] {
  const checksums = runners.map(() => 0);
  runners.forEach((runOnce, s) => {
    for (let i = 0; i < Math.min(iterations, 20_000); i++) checksums[s]! += runOnce(i);
  });
  const samples: number[][] = runners.map(() => []);
  for (let r = 0; r < rounds; r++) {
    // Each round starts with the next loop: none always runs just after another one's garbage.
    for (let turn = 0; turn < runners.length; turn++) {
      const s = (r + turn) % runners.length;
      const runOnce = runners[s]!;
      let checksum = 0;
      const start = process.cpuUsage();
      for (let i = 0; i < iterations; i++) checksum += runOnce(i);
      const used = process.cpuUsage(start);
      samples[s]!.push(((used.user + used.system) * 1000) / iterations);
      checksums[s]! += checksum;
    }
  }
  return samples.map((list, s) => medianResult(list, checksums[s]!));
}

/** How many times slower `other` is than `base`: the median and range of the ratios of rounds run side by side. */
export function pairedRatio(base: LoopResult, other: LoopResult): { median: number; min: number; max: number } {
  const ratios = base.samples.map((ns, r) => other.samples[r]! / ns).sort((a, b) => a - b);
  return { median: ratios[Math.floor(ratios.length / 2)]!, min: ratios[0]!, max: ratios[ratios.length - 1]! };
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `measureLoop` for asynchronous calls (the OpenFeature server SDK answers with promises), awaited one by one. */
export async function measureAsyncLoop(
  runOnce: (i: number) => Promise<number>,
  iterations: number,
  rounds = 7,
): Promise<LoopResult> {
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
  const sorted = [...samples].sort((a, b) => a - b);
  const nsPerOp = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return { nsPerOp, opsPerSecond: 1e9 / nsPerOp, checksum, samples };
}
