import {
  DEFAULT_GRADUAL_PERIOD_SECONDS,
  ROLLOUT_STRATEGIES,
  type Problem,
  type RolloutRule,
  type RolloutStrategy,
  type Variant,
} from '@switchyard/core';
import { useId } from 'react';
import { ListInput } from '../../ui/list-input.js';
import { ProblemList } from '../../ui/problem-list.js';
import { ConditionEditor } from './condition-editor.js';
import { PercentageField } from './percentage-field.js';
import { VariantSelect } from './variant-select.js';

const STRATEGY_WORDS: Record<RolloutStrategy, string> = {
  percentage: 'Percentage of users',
  user_list: 'List of users',
  user_attribute: 'Users matching attributes',
  gradual: 'Gradual rollout',
};

export interface RuleEditorProps {
  rule: RolloutRule;
  index: number;
  count: number;
  /** The rule's path in the flag, for its problems: `environments.production.rules[0]`. */
  path: string;
  problems: readonly Problem[];
  variants: readonly Variant[];
  onChange(rule: RolloutRule): void;
  onMove(offset: -1 | 1): void;
  onRemove(): void;
}

/** One rule: its strategy and the fields of that strategy, the variant it serves, its name. */
export function RuleEditor(props: RuleEditorProps) {
  const { rule } = props;
  const id = useId();
  const set = (change: Partial<RolloutRule>) => props.onChange(withoutUndefined({ ...rule, ...change }));
  const title = `Rule ${props.index + 1}${rule.name ? ` “${rule.name}”` : ''}`;
  return (
    <fieldset className="rule card">
      <legend>{title}</legend>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-strategy`}>Strategy</label>
          <select
            id={`${id}-strategy`}
            value={rule.strategy}
            onChange={(event) => props.onChange(ruleFor(event.target.value as RolloutStrategy, rule))}
          >
            {ROLLOUT_STRATEGIES.map((strategy) => (
              <option key={strategy} value={strategy}>
                {STRATEGY_WORDS[strategy]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>Rule name (optional)</label>
          <input
            id={`${id}-name`}
            value={rule.name ?? ''}
            onChange={(event) => set({ name: event.target.value === '' ? undefined : event.target.value })}
          />
        </div>
        {props.variants.length > 0 && (
          <VariantSelect
            label="Serves"
            value={rule.variant}
            variants={props.variants}
            onChange={(variant) => set({ variant })}
          />
        )}
      </div>
      {(rule.strategy === 'percentage' || rule.strategy === 'gradual') && (
        <PercentageField
          label={rule.strategy === 'gradual' ? 'Current percentage' : 'Percentage'}
          value={rule.percentage ?? 0}
          onChange={(percentage) => set({ percentage })}
        />
      )}
      {rule.strategy === 'user_list' && (
        <div className="field">
          <label htmlFor={`${id}-users`}>User ids (one per line)</label>
          <ListInput
            id={`${id}-users`}
            values={rule.userIds ?? []}
            separator={'\n'}
            onChange={(userIds) => set({ userIds })}
          />
        </div>
      )}
      {rule.strategy === 'user_attribute' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-match`}>Users must match</label>
            <select
              id={`${id}-match`}
              value={rule.match ?? 'all'}
              onChange={(event) => set({ match: event.target.value as 'all' | 'any' })}
            >
              <option value="all">all conditions</option>
              <option value="any">any condition</option>
            </select>
          </div>
          {(rule.targetingRules ?? []).map((condition, index) => (
            <ConditionEditor
              key={index}
              label={`Condition ${index + 1}`}
              condition={condition}
              onChange={(next) =>
                set({
                  targetingRules: (rule.targetingRules ?? []).map((c, k) => (k === index ? withoutUndefined(next) : c)),
                })
              }
              onRemove={() => set({ targetingRules: (rule.targetingRules ?? []).filter((_, k) => k !== index) })}
            />
          ))}
          <button
            type="button"
            onClick={() =>
              set({
                targetingRules: [...(rule.targetingRules ?? []), { attribute: 'plan', operator: 'equals', values: [] }],
              })
            }
          >
            Add condition
          </button>
          <PercentageField
            label="Share of matching users"
            value={rule.percentage ?? 100}
            onChange={(percentage) => set({ percentage: percentage === 100 ? undefined : percentage })}
          />
        </>
      )}
      {rule.strategy === 'gradual' && <GradualFields rule={rule} onChange={set} />}
      <ProblemList problems={props.problems} prefix={props.path} />
      <div className="rule-actions">
        <button type="button" disabled={props.index === 0} onClick={() => props.onMove(-1)}>
          Move up<span className="visually-hidden"> {title}</span>
        </button>
        <button type="button" disabled={props.index === props.count - 1} onClick={() => props.onMove(1)}>
          Move down<span className="visually-hidden"> {title}</span>
        </button>
        <button type="button" onClick={props.onRemove}>
          Remove<span className="visually-hidden"> {title}</span>
        </button>
      </div>
    </fieldset>
  );
}

function GradualFields({ rule, onChange }: { rule: RolloutRule; onChange(change: Partial<RolloutRule>): void }) {
  const id = useId();
  const number = (text: string) => (text === '' ? undefined : Number(text));
  return (
    <div className="row">
      <div className="field">
        <label htmlFor={`${id}-inc`}>Step (% added per period)</label>
        <input
          id={`${id}-inc`}
          type="number"
          min={0}
          max={100}
          step="any"
          value={rule.gradualIncrement ?? ''}
          onChange={(event) => onChange({ gradualIncrement: number(event.target.value) })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-period`}>Period (hours)</label>
        <input
          id={`${id}-period`}
          type="number"
          min={0}
          step="any"
          value={(rule.gradualPeriodSeconds ?? DEFAULT_GRADUAL_PERIOD_SECONDS) / 3600}
          onChange={(event) => {
            const hours = number(event.target.value);
            onChange({ gradualPeriodSeconds: hours === undefined ? undefined : Math.round(hours * 3600) });
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-max`}>Maximum %</label>
        <input
          id={`${id}-max`}
          type="number"
          min={0}
          max={100}
          step="any"
          value={rule.maxPercentage ?? 100}
          onChange={(event) => onChange({ maxPercentage: number(event.target.value) })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-start`}>Start (ISO 8601)</label>
        <input
          id={`${id}-start`}
          value={rule.startDate ?? ''}
          onChange={(event) => onChange({ startDate: event.target.value === '' ? undefined : event.target.value })}
        />
      </div>
    </div>
  );
}

/** A rule of another strategy, keeping the name, variant and bucketing of the one it replaces. */
function ruleFor(strategy: RolloutStrategy, previous: RolloutRule): RolloutRule {
  const kept = withoutUndefined({ name: previous.name, variant: previous.variant, bucketBy: previous.bucketBy });
  switch (strategy) {
    case 'percentage':
      return { ...kept, strategy, percentage: previous.percentage ?? 0 };
    case 'user_list':
      return { ...kept, strategy, userIds: [] };
    case 'user_attribute':
      return { ...kept, strategy, targetingRules: [{ attribute: 'plan', operator: 'equals', values: [] }] };
    case 'gradual':
      return {
        ...kept,
        strategy,
        percentage: previous.percentage ?? 0,
        gradualIncrement: 10,
        maxPercentage: 100,
        startDate: new Date().toISOString(),
      };
  }
}

/** Drops keys set to undefined, so the flag sent (and diffed) has no empty fields. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
