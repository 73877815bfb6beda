import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StoredFlag } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { environmentState } from '../../flags/environment-state.js';
import { flagKey } from '../../live/query-keys.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { ErrorLine } from '../../ui/error-line.js';
import { EnvironmentCell } from './environment-cell.js';

/**
 * The flag's state in every environment of the relay, each with a kill switch: one click, then a
 * confirmation naming the environment. It switches the saved flag (the version on screen), whatever
 * is being edited below.
 */
export function KillSwitches({ flag }: { flag: StoredFlag }) {
  const { client, whoami, canEdit } = useSession();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<{ environment: string; enabled: boolean } | undefined>();
  const toggle = useMutation({
    mutationFn: (change: { environment: string; enabled: boolean }) =>
      client.setEnabled(flag.name, change.environment, change.enabled, flag.version),
    onSuccess: (stored) => {
      queryClient.setQueryData(flagKey(flag.name), stored);
      setAsking(undefined);
    },
  });
  return (
    <section aria-labelledby="kill-switches-title">
      <h2 id="kill-switches-title">State by environment</h2>
      <table className="state-table">
        <thead>
          <tr>
            <th scope="col">Environment</th>
            <th scope="col">State</th>
            {canEdit && <th scope="col">Kill switch</th>}
          </tr>
        </thead>
        <tbody>
          {whoami.relay.environments.map((environment) => {
            const status = environmentState(flag, environment).status;
            const on = status === 'on';
            return (
              <tr key={environment}>
                <th scope="row">{environment}</th>
                <td>
                  <EnvironmentCell flag={flag} environment={environment} />
                </td>
                {canEdit && (
                  <td>
                    {status === 'absent' ? (
                      <span className="muted">No configuration: give it one in the editor below</span>
                    ) : (
                      <button
                        type="button"
                        className={on ? 'danger' : undefined}
                        onClick={() => setAsking({ environment, enabled: !on })}
                      >
                        {on ? `Turn off in ${environment}` : `Turn on in ${environment}`}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {toggle.error && <ErrorLine error={toggle.error} prefix="The switch was not changed" />}
      {asking && (
        <ConfirmDialog
          title={`Turn ${asking.enabled ? 'on' : 'off'} ${flag.name} in ${asking.environment}?`}
          confirmLabel={`Turn ${asking.enabled ? 'on' : 'off'} in ${asking.environment}`}
          danger={!asking.enabled}
          busy={toggle.isPending}
          onConfirm={() => toggle.mutate(asking)}
          onCancel={() => {
            toggle.reset();
            setAsking(undefined);
          }}
        >
          <p>
            {asking.enabled
              ? `Users in ${asking.environment} will be served by the flag's rules again.`
              : `Every user in ${asking.environment} will get the flag's off value at once. Other environments do not change.`}
          </p>
          {toggle.error && <ErrorLine error={toggle.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
