import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(level: Parameters<typeof createLogger>[0]) {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line));
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('when a line is logged, then it is one JSON object with the level name, an ISO time, the fields and msg', () => {
    const { logger, entries } = capture('info');
    logger.info({ flagName: 'f', count: 2 }, 'flags loaded');
    expect(entries()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        flagName: 'f',
        count: 2,
        msg: 'flags loaded',
      },
    ]);
  });

  it('when the level is warn, then debug and info are dropped and warn and error are written', () => {
    const { logger, entries } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(entries().map((entry) => entry.level)).toEqual(['warn', 'error']);
    expect(logger.isLevelEnabled('debug')).toBe(false);
  });

  it('when the level is silent, then nothing is written', () => {
    const { logger, entries } = capture('silent');
    logger.error('e');
    expect(entries()).toEqual([]);
  });

  it('when an error is logged under `error`, then its type, message, code and stack are written', () => {
    const { logger, entries } = capture('info');
    logger.error({ error: Object.assign(new Error('disk full'), { code: 'ENOSPC' }) }, 'write failed');
    expect(entries()[0]!.error).toMatchObject({
      type: 'Error',
      message: 'disk full',
      code: 'ENOSPC',
      stack: expect.stringContaining('disk full'),
    });
  });
});
