import { useId } from 'react';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

/** A labelled <select> in a form row's field: the label names it for screen readers and tests. */
export function SelectField(props: {
  label: string;
  value: string;
  options: ReadonlyArray<SelectOption | string>;
  onChange(value: string): void;
  describedBy?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-describedby={props.describedBy}
      >
        {props.options.map((option) => {
          const { value, label, disabled } =
            typeof option === 'string' ? { value: option, label: option, disabled: false } : option;
          return (
            <option key={value} value={value} disabled={disabled}>
              {label}
            </option>
          );
        })}
      </select>
    </div>
  );
}
