import type { Variant } from '@switchyard/core';
import { SelectField } from '../../ui/select-field.js';

/** What a rule or the fallthrough serves: the weighted split (no choice), or one variant. */
export function VariantSelect(props: {
  label: string;
  value: string | undefined;
  variants: readonly Variant[];
  onChange(variant: string | undefined): void;
}) {
  return (
    <SelectField
      label={props.label}
      value={props.value ?? ''}
      options={[
        { value: '', label: 'the weighted split' },
        ...props.variants.map((variant) => ({ value: variant.name, label: `variant ${variant.name}` })),
      ]}
      onChange={(value) => props.onChange(value === '' ? undefined : value)}
    />
  );
}
