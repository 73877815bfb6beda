import { useEffect, useState } from 'react';

/**
 * A text field holding a list (comma- or line-separated), keeping what is typed as typed (a trailing
 * comma stays) while the list it means goes to `onChange`.
 */
export function ListInput(props: {
  id: string;
  values: readonly string[];
  separator: ',' | '\n';
  onChange(values: string[]): void;
  describedBy?: string;
}) {
  const joiner = props.separator === ',' ? ', ' : '\n';
  const [text, setText] = useState(props.values.join(joiner));
  useEffect(() => {
    if (!sameList(split(text, props.separator), props.values)) setText(props.values.join(joiner));
    // Only a change from outside (another list) resets the text.
  }, [props.values]);
  const change = (next: string) => {
    setText(next);
    props.onChange(split(next, props.separator));
  };
  const common = { id: props.id, value: text, 'aria-describedby': props.describedBy, spellCheck: false };
  return props.separator === ',' ? (
    <input {...common} onChange={(event) => change(event.target.value)} />
  ) : (
    <textarea {...common} rows={4} onChange={(event) => change(event.target.value)} />
  );
}

function split(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
