import { pino, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config/settings.js';

/** The relay's logger: pino. Hot paths check `isLevelEnabled('debug')` before building fields. */
export type Logger = PinoLogger;

/** Where log lines go instead of stdout (tests): one JSON object per call, without the newline. */
export type LogSink = (line: string) => void;

/**
 * Structured JSON logs (pino), one object per line: `{"level","time",...fields,"msg"}` with the level
 * as its name (`"info"`), the time as ISO 8601, and an `error` field as name, message, code and stack.
 * `level` is SWITCHYARD_LOG_LEVEL (debug, info, warn, error or silent).
 */
export function createLogger(level: LogLevel, sink?: LogSink): Logger {
  const options = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { error: pino.stdSerializers.err },
  };
  if (sink === undefined) return pino(options);
  return pino(options, { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) });
}
