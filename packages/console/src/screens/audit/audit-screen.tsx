import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useSession } from '../../auth/session.js';
import { AUDIT_KEY } from '../../live/query-keys.js';
import { ConfigDiffView } from '../../ui/config-diff-view.js';
import { errorText } from '../../ui/error-text.js';
import { SelectField } from '../../ui/select-field.js';
import { timeText } from '../../ui/time-text.js';
import '../../ui/data-table.css';
import './audit.css';
import type { AuditEntry } from '@switchyard/protocol';
import { ACTIONS } from './audit-api.js';
import { NO_FILTER, readMatchingEntries, type AuditFilterInput } from './audit-filter.js';

/** Entries the screen shows before asking for more; pages are read until this many match or none remain. */
const SHOWN_STEP = 50;
/** How often the open log is read again (besides on each flag event). */
const REFRESH_MS = 5_000;

/** Screen "Audit log": every change, newest first, filtered by flag, actor, action and time, read page after page. */
export default function AuditScreen() {
  const session = useSession();
  const id = useId();
  const [draft, setDraft] = useState<AuditFilterInput>(NO_FILTER);
  const [filter, setFilter] = useState<AuditFilterInput>(NO_FILTER);
  const [wanted, setWanted] = useState(SHOWN_STEP);
  const pageSize = Math.min(200, session.whoami.relay.maxPageSize);
  // One read from the newest entry on, page after page, until `wanted` match, so the list is always one consistent
  // pass (the previous list stays shown meanwhile). Read again on each flag event, and every few seconds: the relay
  // writes an entry just after announcing the change, and key changes announce nothing.
  const entries = useQuery({
    queryKey: [...AUDIT_KEY, filter, wanted],
    queryFn: () => readMatchingEntries(session.client, filter, wanted, pageSize),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(draft);
    setWanted(SHOWN_STEP);
  }

  const shown = entries.data?.entries ?? [];
  const exhausted = entries.data?.complete ?? false;
  const reading = entries.isFetching;
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Audit log</h1>
      <p className="screen-intro">
        Every change to flags and API keys, newest first: who, when, what, and the configuration before and after.
      </p>
      <form className="form-row audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={`${id}-flag`}>Flag</label>
          <input
            id={`${id}-flag`}
            value={draft.flag}
            onChange={(event) => setDraft({ ...draft, flag: event.target.value })}
            placeholder="any flag"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>Actor</label>
          <input
            id={`${id}-actor`}
            value={draft.actor}
            onChange={(event) => setDraft({ ...draft, actor: event.target.value })}
            placeholder="key name or id"
          />
        </div>
        <SelectField
          label="Action"
          value={draft.action}
          options={[
            { value: '', label: 'any action' },
            ...Object.entries(ACTIONS).map(([value, label]) => ({ value, label })),
          ]}
          onChange={(action) => setDraft({ ...draft, action })}
        />
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="datetime-local"
            value={draft.from}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="datetime-local"
            value={draft.to}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          />
        </div>
        <div className="filter-buttons">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTER);
              setFilter(NO_FILTER);
              setWanted(SHOWN_STEP);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {entries.isError && (
        <p className="error-line" role="alert">
          {errorText(entries.error)}
        </p>
      )}
      <p role="status" className="muted">
        {entries.isPending
          ? 'Loading…'
          : `${shown.length === 0 ? 'No' : `Showing ${shown.length}`} ${shown.length === 1 ? 'entry' : 'entries'}${exhausted ? (shown.length === 0 ? ' match.' : ', every matching entry.') : reading ? ', reading older entries…' : '.'}`}
      </p>
      {shown.length > 0 && (
        <ol className="audit-entries">
          {shown.map((entry) => (
            <AuditEntryItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
      {!exhausted && !entries.isPending && (
        <button type="button" onClick={() => setWanted(wanted + SHOWN_STEP)} disabled={reading}>
          Show older entries
        </button>
      )}
    </section>
  );
}

function AuditEntryItem({ entry }: { entry: AuditEntry }) {
  const hasConfiguration = entry.before !== undefined || entry.after !== undefined;
  return (
    <li className="card audit-entry">
      <div className="audit-line">
        <strong>{ACTIONS[entry.action] ?? entry.action}</strong>
        {entry.flagName !== undefined && (
          <>
            {' '}
            <Link href={`/flags/${encodeURIComponent(entry.flagName)}`}>{entry.flagName}</Link>
          </>
        )}
        {keyText(entry) !== undefined && <span>{keyText(entry)}</span>}
        {entry.environment !== undefined && <span className="badge">{entry.environment}</span>}
      </div>
      <div className="muted">
        <time dateTime={entry.at}>{timeText(entry.at)}</time> by {entry.actor}
        {entry.actorRole !== undefined && ` (${entry.actorRole}${entry.actorKeyId ? `, key ${entry.actorKeyId}` : ''})`}
      </div>
      {hasConfiguration && entry.flagName !== undefined && (
        <details>
          <summary>What changed</summary>
          <ConfigDiffView
            before={entry.before ?? {}}
            after={entry.after ?? {}}
            emptyText="No change of configuration (only its version)."
          />
        </details>
      )}
    </li>
  );
}

/** For API key entries: the key's name and role, from the record the entry holds (its environment is the entry's). */
function keyText(entry: AuditEntry): string | undefined {
  if (!entry.action.startsWith('api-key.')) return undefined;
  const key = (entry.after ?? entry.before) as { name?: unknown; role?: unknown } | undefined;
  if (typeof key?.name !== 'string') return undefined;
  return `"${key.name}" (${String(key.role)})`;
}
