import { useId } from 'react';

/** A percentage as a slider and a number field side by side, both labelled. */
export function PercentageField(props: { label: string; value: number; onChange(value: number): void }) {
  const id = useId();
  return (
    <div className="field percentage-field">
      <label htmlFor={`${id}-number`}>{props.label}</label>
      <div className="percentage-inputs">
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={props.value}
          aria-label={`${props.label} (slider)`}
          onChange={(event) => props.onChange(Number(event.target.value))}
        />
        <input
          id={`${id}-number`}
          type="number"
          min={0}
          max={100}
          step="any"
          value={props.value}
          onChange={(event) => props.onChange(event.target.value === '' ? 0 : Number(event.target.value))}
        />
        <span aria-hidden="true">%</span>
      </div>
    </div>
  );
}
