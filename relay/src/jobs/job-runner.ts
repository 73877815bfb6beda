import { createTask, validate, type Logger, type ScheduledTask } from 'node-cron';

/** A recurring job: a cron expression (seconds field allowed) and what to do. */
export interface Job<Result = unknown> {
  name: string;
  cron: string;
  run(now: Date): Promise<Result>;
}

export interface JobRun<Result = unknown> {
  startedAt: string;
  finishedAt: string;
  result?: Result;
  error?: string;
}

export interface JobStatus<Result = unknown> {
  name: string;
  cron: string;
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

/**
 * Runs the relay's cron jobs. A run never overlaps the previous run of the same job: a tick that
 * comes while it is still running is skipped (node-cron's `noOverlap`, plus our own guard for
 * `runNow()`).
 */
export class JobRunner {
  private readonly entries = new Map<
    string,
    { job: Job; task: ScheduledTask; running?: Promise<JobRun>; lastRun: JobRun | null }
  >();

  constructor(jobs: Job[], logger: Logger = quietLogger) {
    for (const job of jobs) {
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
    for (const { task } of this.entries.values()) void task.start();
  }

  async stop(): Promise<void> {
    for (const entry of this.entries.values()) {
      await entry.task.destroy();
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
    const { job, task, running, lastRun } = this.entry(name);
    return {
      name,
      cron: job.cron,
      running: running !== undefined,
      lastRun,
      nextRunAt: task.getNextRun()?.toISOString() ?? null,
    };
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

  private entry(name: string) {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`no job named ${name}`);
    return entry;
  }
}
