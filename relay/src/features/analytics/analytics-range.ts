import { z } from 'zod';
import type { Granularity } from '@switchyard/protocol';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A query's time window, widened to whole hours: `from` inclusive, `to` exclusive. */
export interface AnalyticsRange {
  from: string;
  to: string;
}

/** Query fields of a time window: `days=N` (the last N days up to now) or `start`/`end` (ISO 8601; `end` defaults to now). */
export function rangeFields(maxDays: number) {
  return {
    days: z.coerce.number().int().min(1).max(maxDays).optional(),
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
  };
}

/** The checks of `rangeFields` that involve several fields, for `superRefine`. */
export function checkRange(maxDays: number) {
  return (query: RangeQuery, context: z.RefinementCtx): void => {
    if (query.days !== undefined && (query.start !== undefined || query.end !== undefined)) {
      context.addIssue({ code: 'custom', path: ['days'], message: 'give either days or start/end, not both' });
    }
    if (query.end !== undefined && query.start === undefined) {
      context.addIssue({ code: 'custom', path: ['start'], message: 'end needs a start' });
    }
    if (query.start && query.end && Date.parse(query.start) >= Date.parse(query.end)) {
      context.addIssue({ code: 'custom', path: ['end'], message: 'must lie after start' });
    }
    if (query.start && query.end === undefined && Date.parse(query.start) > Date.now()) {
      context.addIssue({
        code: 'custom',
        path: ['start'],
        message: 'lies in the future: give an end after it, or an earlier start',
      });
    }
    if (query.start && spanDays(query.start, query.end) > maxDays) {
      context.addIssue({
        code: 'custom',
        path: ['start'],
        message: `the range may cover at most ${maxDays} days (SWITCHYARD_ANALYTICS_MAX_DAYS)`,
      });
    }
  };
}

function spanDays(start: string, end: string | undefined): number {
  return ((end ? Date.parse(end) : Date.now()) - Date.parse(start)) / DAY_MS;
}

export interface RangeQuery {
  days?: number | undefined;
  start?: string | undefined;
  end?: string | undefined;
}

/** `defaultDays` applies when the query names neither `days` nor `start`. */
export function resolveRange(query: RangeQuery, now: number, defaultDays = 7): AnalyticsRange {
  const end = query.end ? Date.parse(query.end) : now;
  const start = query.start ? Date.parse(query.start) : end - (query.days ?? defaultDays) * DAY_MS;
  return {
    from: new Date(Math.floor(start / HOUR_MS) * HOUR_MS).toISOString(),
    to: new Date(Math.ceil((end + 1) / HOUR_MS) * HOUR_MS).toISOString(),
  };
}

/** The time-series slot holding `hourStart`. */
export function slotOf(hourStart: string, granularity: Granularity): string {
  if (granularity === 'hour') return hourStart;
  return `${hourStart.slice(0, 10)}T00:00:00.000Z`;
}

/** Every slot start from the one holding `from` up to `to`, ascending. */
export function slotsOf(range: AnalyticsRange, granularity: Granularity): string[] {
  const step = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const slots: string[] = [];
  for (let ms = Date.parse(slotOf(range.from, granularity)); ms < Date.parse(range.to); ms += step) {
    slots.push(new Date(ms).toISOString());
  }
  return slots;
}
