import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { ApiKeyRole } from '@switchyard/protocol';
import { useSession } from '../../auth/session.js';
import { errorText } from '../../ui/error-text.js';
import { SelectField } from '../../ui/select-field.js';
import { createApiKey, ENVIRONMENT_ROLES, ROLE_DESCRIPTIONS } from './api-keys-api.js';

const ROLES: ApiKeyRole[] = ['viewer', 'editor', 'admin', 'server', 'client'];

/** Creates a key: name, role, environment (server and client keys); then shows its secret once, with a copy button. */
export function CreateKeyForm({ environments, onCreated }: { environments: string[]; onCreated(): void }) {
  const session = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('viewer');
  const [environment, setEnvironment] = useState(session.whoami.relay.defaultEnvironment);
  const [created, setCreated] = useState<{ name: string; key: string } | undefined>();
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const needsEnvironment = ENVIRONMENT_ROLES.has(role);
  const create = useMutation({
    mutationFn: () =>
      createApiKey(session.client, { name: name.trim(), role, ...(needsEnvironment ? { environment } : {}) }),
    onSuccess: (answer) => {
      setCreated({ name: answer.name, key: answer.key });
      setCopied(undefined);
      setName('');
      onCreated();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  async function copy(key: string) {
    try {
      await navigator.clipboard.writeText(key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <>
      <h2 id={`${id}-title`}>Create a key</h2>
      <form className="form-row" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={128}
            placeholder="checkout-service"
          />
        </div>
        <SelectField
          label="Role"
          value={role}
          options={ROLES}
          onChange={(value) => setRole(value as ApiKeyRole)}
          describedBy={`${id}-role-help`}
        />
        {needsEnvironment && (
          <SelectField label="Environment" value={environment} options={environments} onChange={setEnvironment} />
        )}
        <button type="submit" className="primary" disabled={create.isPending || name.trim() === ''}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <p id={`${id}-role-help`} className="muted">
        {role}: {ROLE_DESCRIPTIONS[role]}.
      </p>
      {create.isError && (
        <p className="error-line" role="alert">
          {errorText(create.error)}
        </p>
      )}
      {created !== undefined && (
        <div className="notice" role="region" aria-label="New API key">
          <p>
            <strong>The key "{created.name}", shown this once.</strong> Copy it now: the relay keeps only its hash and
            cannot show it again.
          </p>
          <div className="secret-box">
            <label htmlFor={`${id}-secret`} className="visually-hidden">
              The new key
            </label>
            <input
              id={`${id}-secret`}
              className="mono"
              readOnly
              value={created.key}
              onFocus={(event) => event.target.select()}
            />
            <button type="button" onClick={() => void copy(created.key)}>
              Copy
            </button>
            <button type="button" onClick={() => setCreated(undefined)}>
              Done
            </button>
          </div>
          <p role="status" className={copied === 'failed' ? 'error-line' : 'ok-line'}>
            {copied === 'yes'
              ? 'Copied to the clipboard.'
              : copied === 'failed'
                ? 'The browser refused the clipboard: select the key and copy it.'
                : ''}
          </p>
        </div>
      )}
    </>
  );
}
