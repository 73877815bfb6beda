import type { Command } from 'commander';
import { clientCommand, examples, runWith, type ConnectionOptions } from '../cli-context.js';
import { parsePositiveInt } from '../flag-input.js';
import type { Output } from '../output.js';
import { isObject } from '../relay-client.js';

interface AnalyticsOptions extends ConnectionOptions {
  name: string;
  days: number;
}

/** Days of analytics asked for when --days is not given (the seed's example). */
const DEFAULT_DAYS = 7;

export function registerAnalyticsCommand(program: Command): void {
  const command = clientCommand(program, 'analytics', { env: true })
    .description("show a flag's usage: evaluations, enabled share, variants and outcomes over recent days")
    .requiredOption('--name <name>', 'flag name')
    .option('--days <n>', `how many days back (default ${DEFAULT_DAYS})`, parsePositiveInt, DEFAULT_DAYS);
  examples(command, ['switchyard analytics --name my-feature --days 7', 'switchyard analytics --name checkout-test --env production --json']);
  command.action(
    runWith<AnalyticsOptions>(async ({ api, out, env }, options) => {
      const report = await api.analytics(options.name, options.days, env);
      if (out.jsonMode) return out.json(report);
      out.line(out.bold(`${options.name}: last ${options.days} day(s)`));
      printReport(out, report);
    }),
  );
}

/**
 * Prints whatever the analytics report holds without hard-coding its fields: numbers and text
 * as aligned fields, lists of records as tables, nested records as indented blocks.
 */
export function printReport(out: Output, report: Record<string, unknown>): void {
  const scalars: [string, string][] = [];
  const sections: [string, unknown][] = [];
  for (const [key, value] of Object.entries(report)) {
    if (isObject(value) || (Array.isArray(value) && value.some(isObject))) sections.push([key, value]);
    else scalars.push([humanKey(key), formatScalar(value)]);
  }
  if (scalars.length > 0) out.fields(scalars);
  for (const [key, value] of sections) {
    out.line();
    out.line(out.bold(humanKey(key)));
    if (Array.isArray(value)) printRecords(out, value.filter(isObject));
    else printNested(out, value as Record<string, unknown>);
  }
}

function printNested(out: Output, record: Record<string, unknown>): void {
  const values = Object.values(record);
  if (values.length > 0 && values.every(isObject)) {
    const rows = Object.entries(record).map(([name, value]) => ({ name, ...(value as Record<string, unknown>) }));
    return printRecords(out, rows);
  }
  out.fields(Object.entries(record).map(([key, value]) => [humanKey(key), formatScalar(value)]));
}

function printRecords(out: Output, rows: Record<string, unknown>[]): void {
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  out.table(
    keys.map((key) => ({ header: humanKey(key).toUpperCase(), value: (row: Record<string, unknown>) => formatScalar(row[key]) })),
    rows,
    '(none)',
  );
}

function humanKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function formatScalar(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
