import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../../auth/session.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { errorText } from '../../ui/error-text.js';
import { QueryStatus } from '../../ui/query-status.js';
import { timeText } from '../../ui/time-text.js';
import '../../ui/data-table.css';
import type { ApiKeyView } from '@switchyard/protocol';
import { listApiKeys, revokeApiKey } from './api-keys-api.js';
import { CreateKeyForm } from './create-key-form.js';

const KEYS_QUERY = ['api-keys'] as const;

/** Screen "API keys" (admins only): every key, a form to create one, revoke with confirmation. */
export default function ApiKeysScreen() {
  const session = useSession();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: KEYS_QUERY, queryFn: () => listApiKeys(session.client) });
  const [revoking, setRevoking] = useState<ApiKeyView | undefined>();
  const revoke = useMutation({
    mutationFn: (key: ApiKeyView) => revokeApiKey(session.client, key.id),
    onSuccess: async (_answer, key) => {
      setRevoking(undefined);
      if (key.id === session.whoami.key.id) {
        session.signOut();
        return;
      }
      await queryClient.invalidateQueries({ queryKey: KEYS_QUERY });
    },
  });

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">API keys</h1>
      <p className="screen-intro">
        Keys for people (admin, editor, viewer) and for applications (server, client). The relay keeps only a hash of
        each.
      </p>
      <CreateKeyForm
        environments={session.whoami.relay.environments}
        onCreated={() => queryClient.invalidateQueries({ queryKey: KEYS_QUERY })}
      />
      <h2>Keys</h2>
      <QueryStatus query={keys} />
      {keys.data && (
        <table className="data-table">
          <caption className="visually-hidden">API keys, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Environment</th>
              <th scope="col">Key starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <td data-label="Name">
                  <span>
                    {key.name}
                    {key.id === session.whoami.key.id && <span className="muted"> (you)</span>}
                  </span>
                </td>
                <td data-label="Role">{key.role}</td>
                <td data-label="Environment">{key.environment ?? 'all'}</td>
                <td data-label="Key starts with">
                  <code>{key.hint}</code>
                </td>
                <td data-label="Created">{timeText(key.createdAt)}</td>
                <td data-label="Last used">{timeText(key.lastUsedAt)}</td>
                <td data-label="Status">
                  {key.revokedAt !== undefined ? (
                    <span className="badge revoked">revoked {timeText(key.revokedAt)}</span>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        revoke.reset();
                        setRevoking(key);
                      }}
                      aria-label={`Revoke ${key.name} (${key.hint})`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking !== undefined && (
        <ConfirmDialog
          title={`Revoke the key "${revoking.name}"?`}
          confirmLabel="Revoke key"
          danger
          busy={revoke.isPending}
          error={revoke.isError ? errorText(revoke.error) : undefined}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>
            Everything using <code>{revoking.hint}</code> ({revoking.role}
            {revoking.environment ? `, ${revoking.environment}` : ''}) is refused from now on. This cannot be undone.
            {revoking.id === session.whoami.key.id && (
              <strong> It is the key you are signed in with: you will be signed out.</strong>
            )}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
