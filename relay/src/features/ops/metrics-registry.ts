/**
 * A minimal Prometheus registry (text exposition format 0.0.4), written by hand so the relay needs
 * no metrics dependency. Label values are resolved to a cell once (`labels(...)`), so counting on a
 * hot path is a map lookup and an addition.
 */

interface Metric {
  render(): string;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((name, i) => `${name}="${escapeLabel(values[i] ?? '')}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

export interface CounterCell {
  inc(amount?: number): void;
}

export class Counter implements Metric {
  private readonly cells = new Map<string, { values: string[]; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
  ) {}

  labels(...values: string[]): CounterCell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { values, value: 0 };
      this.cells.set(key, cell);
    }
    const target = cell;
    return { inc: (amount = 1) => void (target.value += amount) };
  }

  inc(values: string[] = [], amount = 1): void {
    this.labels(...values).inc(amount);
  }

  /** The current value for these label values (0 when never counted). */
  get(values: string[] = []): number {
    return this.cells.get(values.join('\u0000'))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const cell of this.cells.values())
      lines.push(`${this.name}${labelText(this.labelNames, cell.values)} ${cell.value}`);
    return lines.join('\n');
  }
}

interface HistogramCell {
  values: string[];
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  private readonly cells = new Map<string, HistogramCell>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {}

  observe(values: string[], value: number): void {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { values, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.cells.set(key, cell);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) cell.counts[i]! += 1;
    cell.sum += value;
    cell.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const cell of this.cells.values()) {
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket${labelText(this.labelNames, cell.values, `le="${bound}"`)} ${cell.counts[i]}`);
      });
      lines.push(`${this.name}_bucket${labelText(this.labelNames, cell.values, 'le="+Inf"')} ${cell.count}`);
      lines.push(`${this.name}_sum${labelText(this.labelNames, cell.values)} ${cell.sum}`);
      lines.push(`${this.name}_count${labelText(this.labelNames, cell.values)} ${cell.count}`);
    }
    return lines.join('\n');
  }
}

/** A value read when scraped (e.g. how many flags the cache holds). */
export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}

  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`].join('\n');
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }

  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  gauge(name: string, help: string, read: () => number): Gauge {
    return this.add(new Gauge(name, help, read));
  }

  render(): string {
    return `${this.metrics.map((metric) => metric.render()).join('\n')}\n`;
  }

  private add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
}
