import {
  FLAG_VALUE_TYPES,
  type Flag,
  type FlagValueType,
  type JsonValue,
  type Problem,
  type Variant,
} from '@switchyard/core';
import { useEffect, useId, useState } from 'react';
import { ProblemList } from '../../ui/problem-list.js';

/** The flag's type, variants with values and weights (live sum), and the variant served when off. */
export function VariantsEditor(props: {
  flag: Flag;
  problems: readonly Problem[];
  onChange(change: Partial<Flag>): void;
}) {
  const { flag } = props;
  const id = useId();
  const total = flag.variants.reduce((sum, variant) => sum + (Number.isFinite(variant.weight) ? variant.weight : 0), 0);
  const setVariants = (variants: Variant[]) => props.onChange({ variants });
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Variants</h2>
      <div className="field">
        <label htmlFor={`${id}-type`}>Value type</label>
        <select
          id={`${id}-type`}
          value={flag.type}
          onChange={(event) => props.onChange({ type: event.target.value as FlagValueType })}
        >
          {FLAG_VALUE_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <ProblemList problems={props.problems} prefix="type" exact />
      {flag.variants.length === 0 && <p className="muted">No variants: served users get true, others false.</p>}
      {flag.variants.map((variant, index) => (
        <fieldset className="variant row" key={index}>
          <legend>Variant {index + 1}</legend>
          <div className="field">
            <label htmlFor={`${id}-${index}-name`}>Name</label>
            <input
              id={`${id}-${index}-name`}
              value={variant.name}
              onChange={(event) =>
                setVariants(flag.variants.map((v, k) => (k === index ? { ...v, name: event.target.value } : v)))
              }
            />
          </div>
          <ValueField
            id={`${id}-${index}-value`}
            value={variant.value}
            onChange={(value) => setVariants(flag.variants.map((v, k) => (k === index ? { ...v, value } : v)))}
          />
          <div className="field">
            <label htmlFor={`${id}-${index}-weight`}>Weight (%)</label>
            <input
              id={`${id}-${index}-weight`}
              type="number"
              min={0}
              max={100}
              step="any"
              value={variant.weight}
              onChange={(event) =>
                setVariants(
                  flag.variants.map((v, k) =>
                    k === index ? { ...v, weight: event.target.value === '' ? 0 : Number(event.target.value) } : v,
                  ),
                )
              }
            />
          </div>
          <button
            type="button"
            className="link-button"
            onClick={() => setVariants(flag.variants.filter((_, k) => k !== index))}
          >
            Remove variant {variant.name || index + 1}
          </button>
        </fieldset>
      ))}
      {flag.variants.length > 0 && (
        <p className={Math.abs(total - 100) < 1e-9 ? 'muted' : 'error-line'} aria-live="polite">
          Weights add up to {Math.round(total * 1000) / 1000}%.
        </p>
      )}
      <ProblemList problems={props.problems} prefix="variants" />
      <button
        type="button"
        onClick={() =>
          setVariants([
            ...flag.variants,
            { name: `variant-${flag.variants.length + 1}`, value: defaultValue(flag.type), weight: 0 },
          ])
        }
      >
        Add variant
      </button>
      {flag.variants.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-off`}>When off, serve</label>
          <select
            id={`${id}-off`}
            value={flag.offVariant ?? ''}
            onChange={(event) =>
              props.onChange({ offVariant: event.target.value === '' ? undefined : event.target.value })
            }
          >
            <option value="">{flag.type === 'boolean' ? 'false' : "the caller's default"}</option>
            {flag.variants.map((variant) => (
              <option key={variant.name} value={variant.name}>
                variant {variant.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <ProblemList problems={props.problems} prefix="offVariant" />
    </section>
  );
}

/** A variant's value as JSON text; text that is not JSON is kept as typed and sent as a string. */
function ValueField({ id, value, onChange }: { id: string; value: JsonValue; onChange(value: JsonValue): void }) {
  const [text, setText] = useState(JSON.stringify(value));
  useEffect(() => {
    if (textValue(text) !== JSON.stringify(value)) setText(JSON.stringify(value));
  }, [value]);
  return (
    <div className="field grow">
      <label htmlFor={id}>Value (JSON)</label>
      <input
        id={id}
        className="mono"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onChange(JSON.parse(textValue(event.target.value)) as JsonValue);
        }}
      />
    </div>
  );
}

function textValue(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}

function defaultValue(type: FlagValueType): JsonValue {
  return type === 'boolean' ? true : type === 'number' ? 0 : type === 'object' ? {} : '';
}
