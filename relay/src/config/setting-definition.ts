/** One setting, `key`, of type `Value`: where it is read from, what it defaults to, how its text is checked. */
export interface SettingOf<Key extends string, Value> {
  key: Key;
  env: string;
  /** The `switchyard serve` option, without its value placeholder. */
  flag: string;
  /** Placeholder shown in `--help`; absent for on/off switches that take `true|false`. */
  valueName: string;
  description: string;
  default: Value;
  parse(text: string, source: string): Value;
  /** Hidden from `--help` defaults and logs (secrets). */
  secret?: boolean;
}
