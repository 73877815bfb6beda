import type { Variant } from '@switchyard/core';
import { useId } from 'react';

/** What a rule or the fallthrough serves: the weighted split (no choice), or one variant. */
export function VariantSelect(props: {
  label: string;
  value: string | undefined;
  variants: readonly Variant[];
  onChange(variant: string | undefined): void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value ?? ''}
        onChange={(event) => props.onChange(event.target.value === '' ? undefined : event.target.value)}
      >
        <option value="">the weighted split</option>
        {props.variants.map((variant) => (
          <option key={variant.name} value={variant.name}>
            variant {variant.name}
          </option>
        ))}
      </select>
    </div>
  );
}
