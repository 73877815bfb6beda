import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useSession } from '../../auth/session.js';
import { flagKey } from '../../live/query-keys.js';
import { ConfigDiffView } from '../../ui/config-diff-view.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { errorText } from '../../ui/error-text.js';
import { QueryStatus } from '../../ui/query-status.js';
import { timeText } from '../../ui/time-text.js';
import { ACTIONS } from '../audit/audit-api.js';
import { flagVersions, rollBack, type FlagVersion } from './history-api.js';
import './history.css';

/** Screen "History and rollback": every version of a flag, newest first, with who, when and what changed; roll back to any. */
export default function HistoryScreen({ flagName }: { flagName: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const pageSize = session.whoami.relay.maxPageSize;
  const history = useQuery({
    queryKey: [...flagKey(flagName), 'history'],
    queryFn: () => flagVersions(session.client, flagName, pageSize),
  });
  const [target, setTarget] = useState<FlagVersion | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const current = history.data?.[0];
  const rollback = useMutation({
    mutationFn: (version: FlagVersion) =>
      rollBack(session.client, flagName, version.flag.version, current!.flag.version),
    onSuccess: async (stored, version) => {
      setTarget(undefined);
      setDone(`Rolled back to version ${version.flag.version}: the flag is now at version ${stored.version}.`);
      await queryClient.invalidateQueries({ queryKey: flagKey(flagName) });
    },
  });

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">History and rollback: {flagName}</h1>
      <p className="screen-intro">
        <Link href={`/flags/${encodeURIComponent(flagName)}`}>Back to the flag</Link> · Every saved version, newest
        first. Rolling back saves the old configuration as a new version; nothing is erased.
      </p>
      <QueryStatus query={history} />
      <p role="status" className="ok-line">
        {done ?? ''}
      </p>
      {history.data && (
        <ol className="versions">
          {history.data.map((version, index) => (
            <li key={version.flag.version} className="card version">
              <h2 className="version-title">
                Version {version.flag.version}
                {index === 0 && <span className="badge active">current</span>}
              </h2>
              <p className="muted">
                <time dateTime={version.flag.updatedAt}>{timeText(version.flag.updatedAt)}</time>
                {version.change !== undefined
                  ? ` · ${ACTIONS[version.change.action] ?? version.change.action} by ${version.change.actor}${version.change.actorRole ? ` (${version.change.actorRole})` : ''}`
                  : ' · author not in the audit log'}
              </p>
              {index < history.data.length - 1 ? (
                <ConfigDiffView
                  before={history.data[index + 1]!.flag}
                  after={version.flag}
                  emptyText="No change of configuration."
                />
              ) : (
                <p className="muted">First version.</p>
              )}
              {session.canEdit && index > 0 && (
                <button
                  type="button"
                  onClick={() => {
                    rollback.reset();
                    setDone(undefined);
                    setTarget(version);
                  }}
                >
                  Roll back to version {version.flag.version}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {target !== undefined && current !== undefined && (
        <ConfirmDialog
          title={`Roll back ${flagName} to version ${target.flag.version}?`}
          confirmLabel={`Roll back to version ${target.flag.version}`}
          busy={rollback.isPending}
          error={rollback.isError ? errorText(rollback.error) : undefined}
          onConfirm={() => rollback.mutate(target)}
          onCancel={() => setTarget(undefined)}
        >
          <p>
            Version {current.flag.version + 1} will have the configuration of version {target.flag.version}. What
            changes from the current version {current.flag.version}:
          </p>
          <ConfigDiffView
            before={current.flag}
            after={target.flag}
            emptyText="Nothing: the configuration is the same."
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
