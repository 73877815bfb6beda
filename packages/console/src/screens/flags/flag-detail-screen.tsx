import { isClientVisible, validateFlag, type EnvironmentConfig, type Flag } from '@switchyard/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { VersionConflictError } from '../../api/problem.js';
import type { StoredFlag } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { draftOf, reapply, sameConfiguration } from '../../flags/flag-draft.js';
import { useFlag } from '../../flags/use-flags.js';
import { flagKey } from '../../live/query-keys.js';
import { ErrorLine } from '../../ui/error-line.js';
import { ListInput } from '../../ui/list-input.js';
import { ProblemList } from '../../ui/problem-list.js';
import { ChangeReview } from './change-review.js';
import { EnvironmentEditor } from './environment-editor.js';
import { EvaluatePreview } from './evaluate-preview.js';
import { GradualPanel } from './gradual-panel.js';
import { KillSwitches } from './kill-switches.js';
import { VariantsEditor } from './variants-editor.js';

/** Problems at these paths show beside their environment, rule or variant; the others below the form. */
const SHOWN_IN_PLACE = /^(environments|variants|offVariant|type)\b/;

/** Someone else saved first: their change (from the version this user read) and what of this user's edits was re-applied. */
interface Conflict {
  read: StoredFlag;
  theirs: StoredFlag;
  bothChanged: string[];
}

/** Screen "Flag detail": state and kill switch per environment, the editor, review before saving, gradual rollouts, preview. */
export default function FlagDetailScreen({ flagName }: { flagName: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const query = useFlag(flagName);
  const server = query.data;
  const [base, setBase] = useState<StoredFlag>();
  const [draft, setDraft] = useState<Flag>();
  const [reviewing, setReviewing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [conflict, setConflict] = useState<Conflict>();
  const [saved, setSaved] = useState<number>();
  const id = useId();

  const edited = base !== undefined && draft !== undefined && !sameConfiguration(draft, draftOf(base));
  // A newer saved flag replaces the form when it holds no edits; with edits, the form says so instead.
  useEffect(() => {
    if (server === undefined) return;
    if (base === undefined || (!edited && server.version !== base.version)) {
      setBase(server);
      setDraft(draftOf(server));
    }
  }, [server]);

  const { whoami } = session;
  const validation = useMemo(
    () =>
      draft === undefined
        ? undefined
        : validateFlag(draft, { limits: whoami.relay.flagLimits, environments: whoami.relay.environments }),
    [draft, whoami],
  );
  const problems = validation !== undefined && !validation.ok ? validation.problems : [];

  if (query.error) return <ErrorLine error={query.error} prefix={`Flag ${flagName} could not be read`} />;
  if (server === undefined || base === undefined || draft === undefined) {
    return (
      <p className="muted" role="status">
        Loading {flagName}…
      </p>
    );
  }

  const changedUnderneath = edited && server.version > base.version;
  const update = (change: Partial<Flag>) => {
    setSaved(undefined);
    setDraft({ ...draft, ...change });
  };
  const setEnvironment = (name: string, config: EnvironmentConfig | undefined) => {
    const environments = { ...draft.environments };
    if (config === undefined) delete environments[name];
    else environments[name] = config;
    update({ environments });
  };
  const adoptTheirs = () => {
    setBase(server);
    setDraft(draftOf(server));
    setConflict(undefined);
    setReviewing(false);
  };
  const reapplyOn = (theirs: StoredFlag) => {
    const merged = reapply(draftOf(base), draft, theirs);
    setConflict({ read: base, theirs, bothChanged: merged.bothChanged });
    setBase(theirs);
    setDraft(merged.flag);
    setReviewing(true);
  };
  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const stored = await session.client.replaceFlag(draft, base.version);
      queryClient.setQueryData(flagKey(flagName), stored);
      setBase(stored);
      setDraft(draftOf(stored));
      setConflict(undefined);
      setReviewing(false);
      setSaved(stored.version);
    } catch (error) {
      if (error instanceof VersionConflictError) {
        const theirs = await session.client.getFlag(flagName);
        queryClient.setQueryData(flagKey(flagName), theirs);
        reapplyOn(theirs);
      } else setSaveError(error);
    } finally {
      setSaving(false);
    }
  };
  const unconfigured = whoami.relay.environments.filter((name) => draft.environments[name] === undefined);

  return (
    <article aria-labelledby={`${id}-title`} className="flag-detail">
      <header className="detail-header">
        <h1 id={`${id}-title`}>{flagName}</h1>
        <p className="muted">
          Version {server.version}, saved {new Date(server.updatedAt).toLocaleString()} ·{' '}
          <Link href={`/flags/${encodeURIComponent(flagName)}/history`}>History</Link> ·{' '}
          <Link href={`/analytics/${encodeURIComponent(flagName)}`}>Analytics</Link>
        </p>
        {!session.canEdit && (
          <p className="notice">You are signed in with a viewer key: this flag is shown read-only.</p>
        )}
      </header>

      <KillSwitches flag={server} />
      <GradualPanel flag={server} />

      {changedUnderneath && !reviewing && (
        <div className="notice warning" role="alert">
          <p>
            Someone else saved this flag (version {base.version} → {server.version}) while you were editing. Your edits
            are kept here, not saved.
          </p>
          <ChangeReview before={draftOf(base)} after={draftOf(server)} label="Their change" />
          <div className="row">
            <button type="button" className="primary" onClick={() => reapplyOn(server)}>
              Re-apply my edits on version {server.version}
            </button>
            <button type="button" onClick={adoptTheirs}>
              Discard my edits
            </button>
          </div>
        </div>
      )}

      {reviewing ? (
        <section className="card review" aria-labelledby={`${id}-review`}>
          <h2 id={`${id}-review`}>Review before saving</h2>
          {conflict && (
            <div className="notice warning" role="alert">
              <p>
                Someone else saved version {conflict.theirs.version} first (you had read version {conflict.read.version}
                ). Nothing was overwritten. Their change:
              </p>
              <ChangeReview before={draftOf(conflict.read)} after={draftOf(conflict.theirs)} label="Their change" />
              <p>
                Your edits are re-applied on their version below
                {conflict.bothChanged.length > 0
                  ? `; you both changed ${conflict.bothChanged.join(', ')}: your version of those is kept, check it`
                  : ''}
                .
              </p>
            </div>
          )}
          <h3>Your change{conflict ? ` on version ${base.version}` : ''}</h3>
          <ChangeReview before={draftOf(base)} after={draft} label="Your change" />
          <ProblemList problems={problems} />
          {saveError !== undefined && <ErrorLine error={saveError} prefix="Not saved" />}
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={() => void save()}
              disabled={saving || problems.length > 0 || !edited}
            >
              {saving ? 'Saving…' : `Save as version ${base.version + 1}`}
            </button>
            <button type="button" onClick={() => setReviewing(false)}>
              Back to editing
            </button>
            {conflict && (
              <button type="button" onClick={adoptTheirs}>
                Discard my edits
              </button>
            )}
          </div>
        </section>
      ) : (
        <form
          className="editor"
          aria-labelledby={`${id}-editor`}
          onSubmit={(event) => {
            event.preventDefault();
            setReviewing(true);
          }}
        >
          <h2 id={`${id}-editor`}>Configuration</h2>
          <fieldset disabled={!session.canEdit} className="plain">
            <legend className="visually-hidden">Flag settings</legend>
            <FlagWideFields flag={draft} visibleByDefault={whoami.relay.clientVisibleByDefault} onChange={update} />
            {Object.entries(draft.environments).map(([name, config]) => (
              <EnvironmentEditor
                key={name}
                name={name}
                config={config}
                problems={problems}
                variants={draft.variants}
                onChange={(next) => setEnvironment(name, next)}
                onRemove={() => setEnvironment(name, undefined)}
              />
            ))}
            {unconfigured.length > 0 && (
              <p className="row">
                {unconfigured.map((name) => (
                  <button
                    key={name}
                    type="button"
                    onClick={() =>
                      setEnvironment(
                        name,
                        structuredClone(draft.environments['*']) ?? {
                          enabled: false,
                          rules: [],
                          fallthrough: { serve: true },
                        },
                      )
                    }
                  >
                    Configure {name} separately
                  </button>
                ))}
              </p>
            )}
            <VariantsEditor flag={draft} problems={problems} onChange={update} />
          </fieldset>
          {session.canEdit && (
            <div className={edited ? 'save-bar sticky' : 'save-bar'}>
              <p aria-live="polite" className={problems.length > 0 ? 'error-line' : 'muted'}>
                {problems.length > 0
                  ? `${problems.length} problem${problems.length === 1 ? '' : 's'} to fix before saving (the relay would refuse this flag).`
                  : edited
                    ? 'Unsaved changes.'
                    : saved !== undefined
                      ? `Saved as version ${saved}.`
                      : 'No changes.'}
              </p>
              <button type="submit" className="primary" disabled={!edited || problems.length > 0}>
                Review changes
              </button>
              {edited && (
                <button type="button" onClick={adoptTheirs}>
                  Discard changes
                </button>
              )}
            </div>
          )}
          <ProblemList problems={problems.filter((problem) => !SHOWN_IN_PLACE.test(problem.path))} />
        </form>
      )}

      <EvaluatePreview flagName={flagName} draft={draft} edited={edited} />
    </article>
  );
}

/** Description, owner, tags and whether client keys see the flag (unset: the relay's default). */
function FlagWideFields({
  flag,
  visibleByDefault,
  onChange,
}: {
  flag: Flag;
  visibleByDefault: boolean;
  onChange(change: Partial<Flag>): void;
}) {
  const id = useId();
  return (
    <div className="row">
      <div className="field grow">
        <label htmlFor={`${id}-description`}>Description</label>
        <input
          id={`${id}-description`}
          value={flag.description}
          onChange={(event) => onChange({ description: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-owner`}>Owner</label>
        <input
          id={`${id}-owner`}
          value={flag.owner ?? ''}
          onChange={(event) => onChange({ owner: event.target.value === '' ? undefined : event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tags`}>Tags (comma-separated)</label>
        <ListInput id={`${id}-tags`} values={flag.tags} separator="," onChange={(tags) => onChange({ tags })} />
      </div>
      <div className="field checkbox-field">
        <label>
          <input
            type="checkbox"
            checked={isClientVisible(flag, visibleByDefault)}
            onChange={(event) => onChange({ clientVisible: event.target.checked })}
            aria-describedby={`${id}-visible-hint`}
          />
          Visible to browsers (client keys)
        </label>
        <span id={`${id}-visible-hint`} className="muted">
          {flag.clientVisible === undefined
            ? `Relay default (${visibleByDefault ? 'visible' : 'hidden'}).`
            : 'Set on this flag.'}
        </span>
      </div>
    </div>
  );
}
