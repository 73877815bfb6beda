import { OPERATOR_VALUES, OPERATORS, type Operator, type TargetingRule } from '@switchyard/core';
import { useId } from 'react';
import { ListInput } from '../../ui/list-input.js';

/** Operators in words, for the menu; the value sent is the operator itself. */
const OPERATOR_WORDS: Record<Operator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  greater_than: '>',
  greater_than_or_equal: '≥',
  less_than: '<',
  less_than_or_equal: '≤',
  semver_equals: 'version =',
  semver_greater_than: 'version >',
  semver_less_than: 'version <',
  date_before: 'date before',
  date_after: 'date after',
  exists: 'exists',
  not_exists: 'does not exist',
};

/** One condition of an attribute rule: attribute, operator, values (comma-separated), negate, case. */
export function ConditionEditor(props: {
  condition: TargetingRule;
  label: string;
  onChange(condition: TargetingRule): void;
  onRemove(): void;
}) {
  const { condition } = props;
  const id = useId();
  const arity = OPERATOR_VALUES[condition.operator]?.arity ?? 'some';
  const set = (change: Partial<TargetingRule>) => props.onChange({ ...condition, ...change });
  return (
    <fieldset className="condition">
      <legend>{props.label}</legend>
      <div className="field">
        <label htmlFor={`${id}-attr`}>Attribute</label>
        <input
          id={`${id}-attr`}
          value={condition.attribute}
          onChange={(event) => set({ attribute: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-op`}>Operator</label>
        <select
          id={`${id}-op`}
          value={condition.operator}
          onChange={(event) => {
            const operator = event.target.value as Operator;
            set({ operator, values: OPERATOR_VALUES[operator].arity === 'none' ? [] : condition.values });
          }}
        >
          {OPERATORS.map((operator) => (
            <option key={operator} value={operator}>
              {OPERATOR_WORDS[operator]}
            </option>
          ))}
        </select>
      </div>
      {arity !== 'none' && (
        <div className="field grow">
          <label htmlFor={`${id}-values`}>{arity === 'one' ? 'Value' : 'Values (comma-separated)'}</label>
          <ListInput
            id={`${id}-values`}
            values={condition.values.map(String)}
            separator=","
            onChange={(values) => set({ values })}
          />
        </div>
      )}
      <div className="field checkbox-field">
        <input
          id={`${id}-negate`}
          type="checkbox"
          checked={condition.negate === true}
          onChange={(event) => set({ negate: event.target.checked || undefined })}
        />
        <label htmlFor={`${id}-negate`}>Negate</label>
      </div>
      <div className="field checkbox-field">
        <input
          id={`${id}-case`}
          type="checkbox"
          checked={condition.caseInsensitive === true}
          onChange={(event) => set({ caseInsensitive: event.target.checked || undefined })}
        />
        <label htmlFor={`${id}-case`}>Ignore case</label>
      </div>
      <button type="button" className="link-button" onClick={props.onRemove}>
        Remove {props.label.toLowerCase()}
      </button>
    </fieldset>
  );
}
