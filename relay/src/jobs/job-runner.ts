import { createTask, validate, type Logger, type ScheduledTask } from 'node-cron';

/**
 * A recurring job: what to do, and when: on a cron expression (seconds field allowed), or every
 * `everyMs` milliseconds counted from the end of its previous run (for periods under a second).
 */
export type Job<Result = unknown> = {
  name: string;
  run(now: Date): Promise<Result>;
} & ({ cron: string } | { everyMs: number });

export interface JobRun<Result = unknown> {
  startedAt: string;
  finishedAt: string;
  result?: Result;
  error?: string;
}

export interface JobStatus<Result = unknown> {
  name: string;
  /** The cron expression, or "every <n> ms". */
  schedule: string;
  running: boolean;
  lastRun: JobRun<Result> | null;
  nextRunAt: string | null;
}

export class InvalidCronError extends Error {
  readonly code = 'INVALID_CRON';
  constructor(
    readonly jobName: string,
    readonly cron: string,
  ) {
    super(`the ${jobName} job's cron expression "${cron}" is invalid (5 fields, or 6 with seconds first)`);
    this.name = 'InvalidCronError';
  }
}

const quietLogger: Logger = { info() {}, warn() {}, debug() {}, error() {} };

interface Entry {
  job: Job;
  /** A cron job's task. */
  task?: ScheduledTask;
  /** An interval job's pending run, and when it falls. */
  timer?: NodeJS.Timeout;
  nextRunAt?: Date;
  running?: Promise<JobRun>;
  lastRun: JobRun | null;
}

/**
 * Runs the relay's periodic jobs. A run never overlaps the previous run of the same job: a cron
 * tick that comes while it is still running is skipped (node-cron's `noOverlap`), an interval job
 * waits for its run to end before counting to the next, and `runNow()` joins a running run.
 */
export class JobRunner {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;

  constructor(jobs: Job[], logger: Logger = quietLogger) {
    for (const job of jobs) {
      if (!('cron' in job)) {
        this.entries.set(job.name, { job, lastRun: null });
        continue;
      }
      if (!validate(job.cron)) throw new InvalidCronError(job.name, job.cron);
      const task = createTask(job.cron, (context) => this.runNow(job.name, context.date), {
        name: job.name,
        noOverlap: true,
        logger,
        suppressMissedWarning: true,
      });
      this.entries.set(job.name, { job, task, lastRun: null });
    }
  }

  start(): void {
    for (const entry of this.entries.values()) {
      if (entry.task) void entry.task.start();
      else this.scheduleNext(entry);
    }
  }

  /** Stops every job; resolves when the runs in progress have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.timer);
      entry.nextRunAt = undefined;
      await entry.task?.destroy();
      await entry.running;
    }
  }

  /** Runs a job now unless it is running (then waits for that run). */
  runNow(name: string, now: Date = new Date()): Promise<JobRun> {
    const entry = this.entry(name);
    entry.running ??= this.execute(entry.job, now).then((run) => {
      entry.lastRun = run;
      entry.running = undefined;
      return run;
    });
    return entry.running;
  }

  status(name: string): JobStatus {
    const { job, task, running, lastRun, nextRunAt } = this.entry(name);
    return {
      name,
      schedule: 'cron' in job ? job.cron : `every ${job.everyMs} ms`,
      running: running !== undefined,
      lastRun,
      nextRunAt: (task ? task.getNextRun() : nextRunAt)?.toISOString() ?? null,
    };
  }

  private scheduleNext(entry: Entry): void {
    if (this.stopped || 'cron' in entry.job) return;
    const { name, everyMs } = entry.job;
    entry.nextRunAt = new Date(Date.now() + everyMs);
    entry.timer = setTimeout(() => void this.runNow(name).finally(() => this.scheduleNext(entry)), everyMs);
    entry.timer.unref();
  }

  private async execute(job: Job, now: Date): Promise<JobRun> {
    const startedAt = new Date().toISOString();
    try {
      const result = await job.run(now);
      return { startedAt, finishedAt: new Date().toISOString(), result };
    } catch (error) {
      return {
        startedAt,
        finishedAt: new Date().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`no job named ${name}`);
    return entry;
  }
}
