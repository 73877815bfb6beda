// Preloaded (NODE_OPTIONS=--require) into a relay that should believe it runs SWITCHYARD_TEST_CLOCK_OFFSET_MS
// in the past: seeds flags that are old enough for the stale-flag report. Only the sample data uses it.
const offset = Number(process.env.SWITCHYARD_TEST_CLOCK_OFFSET_MS);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
