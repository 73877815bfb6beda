/** How long a provider may be without the relay before it says so. */
export interface DisconnectGraceOptions {
  /** Without the relay for this long, the provider reports STALE (evaluations go on). 0: at once. */
  staleAfterMs: number;
  /** Without the relay for this long, the provider reports ERROR (evaluations still go on). */
  errorAfterMs: number;
}

export interface DisconnectGraceCallbacks {
  stale(): void;
  error(): void;
}

/** Timers as both browsers and Node have them (this package is typed without DOM or Node). */
type Timer = unknown;
const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
};

/**
 * The clocks both providers run while the relay is away: STALE after `staleAfterMs`, ERROR after
 * `errorAfterMs`, both counted from the moment the link was lost. `clear` when it is back.
 */
export class DisconnectGrace {
  private staleTimer: Timer | undefined;
  private errorTimer: Timer | undefined;

  constructor(
    private readonly options: DisconnectGraceOptions,
    private readonly callbacks: DisconnectGraceCallbacks,
  ) {}

  /** Whether the clocks run: the link was lost and has not come back. */
  get running(): boolean {
    return this.errorTimer !== undefined;
  }

  /** The link was lost; further calls until `clear` keep the clocks of the first. */
  start(): void {
    if (this.running) return;
    this.errorTimer = unref(timers.setTimeout(() => this.callbacks.error(), this.options.errorAfterMs));
    if (this.options.staleAfterMs <= 0) this.callbacks.stale();
    else this.staleTimer = unref(timers.setTimeout(() => this.callbacks.stale(), this.options.staleAfterMs));
  }

  clear(): void {
    timers.clearTimeout(this.staleTimer);
    timers.clearTimeout(this.errorTimer);
    this.staleTimer = undefined;
    this.errorTimer = undefined;
  }
}

/** In Node, a grace timer alone must not keep the process alive; browsers have no `unref`. */
function unref(timer: Timer): Timer {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
