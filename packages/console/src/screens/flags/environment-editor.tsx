import type { EnvironmentConfig, Problem, Variant } from '@switchyard/core';
import { useId } from 'react';
import { ProblemList } from '../../ui/problem-list.js';
import { RuleEditor, withoutUndefined } from './rule-editor.js';
import { VariantSelect } from './variant-select.js';

/** One environment's configuration: on/off, its ordered rules, and what everyone else gets. */
export function EnvironmentEditor(props: {
  name: string;
  config: EnvironmentConfig;
  problems: readonly Problem[];
  variants: readonly Variant[];
  onChange(config: EnvironmentConfig): void;
  onRemove(): void;
}) {
  const { config, name } = props;
  const id = useId();
  const path = `environments.${name}`;
  const title = name === '*' ? 'Every other environment (*)' : name;
  const set = (change: Partial<EnvironmentConfig>) => props.onChange({ ...config, ...change });
  const setRules = (rules: EnvironmentConfig['rules']) => set({ rules });
  return (
    <section className="card environment-editor" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <div className="field checkbox-field">
        <input
          id={`${id}-enabled`}
          type="checkbox"
          checked={config.enabled}
          onChange={(event) => set({ enabled: event.target.checked })}
        />
        <label htmlFor={`${id}-enabled`}>Enabled in {title}</label>
      </div>
      <ProblemList problems={props.problems} prefix={path} exact />
      {config.rules.map((rule, index) => (
        <RuleEditor
          key={index}
          rule={rule}
          index={index}
          count={config.rules.length}
          path={`${path}.rules[${index}]`}
          problems={props.problems}
          variants={props.variants}
          onChange={(next) => setRules(config.rules.map((r, k) => (k === index ? next : r)))}
          onMove={(offset) => {
            const rules = [...config.rules];
            const [moved] = rules.splice(index, 1);
            rules.splice(index + offset, 0, moved!);
            setRules(rules);
          }}
          onRemove={() => setRules(config.rules.filter((_, k) => k !== index))}
        />
      ))}
      <button type="button" onClick={() => setRules([...config.rules, { strategy: 'percentage', percentage: 0 }])}>
        Add rule to {title}
      </button>
      <fieldset className="fallthrough">
        <legend>Everyone no rule serves (fallthrough)</legend>
        <div className="field checkbox-field">
          <input
            id={`${id}-serve`}
            type="checkbox"
            checked={config.fallthrough.serve}
            onChange={(event) =>
              set({ fallthrough: withoutUndefined({ ...config.fallthrough, serve: event.target.checked }) })
            }
          />
          <label htmlFor={`${id}-serve`}>Serve them</label>
        </div>
        {props.variants.length > 0 && config.fallthrough.serve && (
          <VariantSelect
            label="Fallthrough serves"
            value={config.fallthrough.variant}
            variants={props.variants}
            onChange={(variant) => set({ fallthrough: withoutUndefined({ ...config.fallthrough, variant }) })}
          />
        )}
        <ProblemList problems={props.problems} prefix={`${path}.fallthrough`} />
      </fieldset>
      <button type="button" className="link-button" onClick={props.onRemove}>
        Remove the configuration of {title}
      </button>
    </section>
  );
}
