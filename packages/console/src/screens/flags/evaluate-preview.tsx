import { evaluateFlag, toEvaluationContext, type Flag, type JsonValue, type UserContext } from '@switchyard/core';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { EvaluateAnswer } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { ErrorLine } from '../../ui/error-line.js';

const CONTEXT_FIELDS = ['userId', 'email', 'role', 'plan', 'country'] as const;

/**
 * "Evaluate for this user context": the relay's answer for the saved flag (its evaluate endpoint),
 * and, while there are unsaved edits, what the edited flag would answer (@switchyard/core, in the browser).
 */
export function EvaluatePreview({ flagName, draft, edited }: { flagName: string; draft: Flag; edited: boolean }) {
  const { client, whoami } = useSession();
  const id = useId();
  const [environment, setEnvironment] = useState(whoami.relay.defaultEnvironment);
  const [fields, setFields] = useState<Record<string, string>>({ userId: 'user-123' });
  const [attributes, setAttributes] = useState('{}');
  const [attributesError, setAttributesError] = useState<string | undefined>();
  const evaluation = useMutation({
    mutationFn: (userContext: UserContext) => client.evaluate({ flagName, environment, userContext }),
  });
  const [draftResult, setDraftResult] = useState<EvaluateAnswer | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let parsed: Record<string, JsonValue>;
    try {
      parsed = JSON.parse(attributes === '' ? '{}' : attributes) as Record<string, JsonValue>;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      setAttributesError(undefined);
    } catch {
      setAttributesError('Attributes must be a JSON object, like {"age": 25}.');
      return;
    }
    const userContext: UserContext = { attributes: parsed };
    for (const field of CONTEXT_FIELDS) if (fields[field]) userContext[field] = fields[field];
    evaluation.mutate(userContext);
    const local = evaluateFlag(draft, flagName, environment, toEvaluationContext(userContext));
    setDraftResult(edited ? { ...local, value: local.value ?? null } : undefined);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Evaluate for a user</h2>
      <form className="evaluate-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-env`}>Environment</label>
          <select id={`${id}-env`} value={environment} onChange={(event) => setEnvironment(event.target.value)}>
            {whoami.relay.environments.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </div>
        {CONTEXT_FIELDS.map((field) => (
          <div className="field" key={field}>
            <label htmlFor={`${id}-${field}`}>{field}</label>
            <input
              id={`${id}-${field}`}
              value={fields[field] ?? ''}
              onChange={(event) => setFields({ ...fields, [field]: event.target.value })}
            />
          </div>
        ))}
        <div className="field grow">
          <label htmlFor={`${id}-attrs`}>Other attributes (JSON)</label>
          <input
            id={`${id}-attrs`}
            className="mono"
            value={attributes}
            onChange={(event) => setAttributes(event.target.value)}
            spellCheck={false}
          />
        </div>
        <button type="submit" className="primary">
          Evaluate
        </button>
      </form>
      {attributesError && (
        <p className="error-line" role="alert">
          {attributesError}
        </p>
      )}
      {evaluation.error && <ErrorLine error={evaluation.error} prefix="The relay could not evaluate" />}
      <div aria-live="polite">
        {evaluation.data && <ResultView title="Saved flag (the relay's answer)" result={evaluation.data} />}
        {evaluation.data && draftResult && <ResultView title="With your unsaved edits" result={draftResult} />}
      </div>
    </section>
  );
}

function ResultView({ title, result }: { title: string; result: EvaluateAnswer }) {
  return (
    <dl className="result">
      <div className="result-title">{title}</div>
      <dt>Value</dt>
      <dd className="mono">{result.value === null ? "null (the caller's default)" : JSON.stringify(result.value)}</dd>
      <dt>Variant</dt>
      <dd>{result.variant ?? '—'}</dd>
      <dt>Reason</dt>
      <dd>
        {result.reason}
        {result.ruleIndex !== undefined
          ? ` (rule ${result.ruleIndex + 1}${result.ruleName ? ` “${result.ruleName}”` : ''})`
          : ''}
        {result.errorCode ? `: ${result.errorCode} ${result.errorMessage ?? ''}` : ''}
      </dd>
    </dl>
  );
}
