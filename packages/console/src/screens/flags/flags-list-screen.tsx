import { isClientVisible } from '@switchyard/core';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useSession } from '../../auth/session.js';
import { useAllFlags, useStaleFlagNames } from '../../flags/use-flags.js';
import { ErrorLine } from '../../ui/error-line.js';
import { Pager } from '../../ui/pager.js';
import { EnvironmentCell } from './environment-cell.js';
import { facetsOf, filterFlags, NO_FILTERS, type FlagFilters } from './flag-filters.js';

/** Flags shown per page: thousands of flags stay responsive because only a page is in the DOM. */
const PAGE_SIZE = 50;

/** Screen "Flags": every flag with its state per environment, searchable and filterable. */
export function FlagsListScreen() {
  const { whoami } = useSession();
  const flags = useAllFlags();
  const [filters, setFilters] = useState<FlagFilters>(NO_FILTERS);
  const [page, setPage] = useState(0);
  const deferred = useDeferredValue(filters);
  const stale = useStaleFlagNames(filters.staleOnly);
  const id = useId();
  const all = flags.data ?? [];
  const facets = useMemo(() => facetsOf(all), [all]);
  const shown = useMemo(() => filterFlags(all, deferred, stale.data), [all, deferred, stale.data]);
  const environments = deferred.environment === '' ? whoami.relay.environments : [deferred.environment];
  const pageCount = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pageCount - 1);
  const rows = shown.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const update = (change: Partial<FlagFilters>) => {
    setFilters((before) => ({ ...before, ...change }));
    setPage(0);
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Flags</h1>
      <form className="filters" role="search" aria-label="Filter flags" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Search by name</label>
          <input
            id={`${id}-name`}
            type="search"
            value={filters.name}
            onChange={(event) => update({ name: event.target.value })}
          />
        </div>
        <Choice
          id={`${id}-tag`}
          label="Tag"
          value={filters.tag}
          options={facets.tags}
          onChange={(tag) => update({ tag })}
        />
        <Choice
          id={`${id}-owner`}
          label="Owner"
          value={filters.owner}
          options={facets.owners}
          onChange={(owner) => update({ owner })}
        />
        <Choice
          id={`${id}-env`}
          label="Environment"
          value={filters.environment}
          options={whoami.relay.environments}
          onChange={(environment) => update({ environment })}
        />
        <div className="field checkbox-field">
          <input
            id={`${id}-stale`}
            type="checkbox"
            checked={filters.staleOnly}
            onChange={(event) => update({ staleOnly: event.target.checked })}
          />
          <label htmlFor={`${id}-stale`}>Stale only</label>
        </div>
      </form>
      {stale.error && <ErrorLine error={stale.error} prefix="The stale-flags report is not available" />}
      {flags.error && <ErrorLine error={flags.error} prefix="The flags could not be read" />}
      {flags.isPending ? (
        <p className="muted" role="status">
          Loading flags…
        </p>
      ) : (
        <>
          <p className="muted" role="status" aria-live="polite">
            {shown.length === all.length ? `${all.length} flags` : `${shown.length} of ${all.length} flags match`}
          </p>
          {rows.length > 0 && (
            <table className="flag-table">
              <caption className="visually-hidden">Flags and their state in each environment</caption>
              <thead>
                <tr>
                  <th scope="col">Flag</th>
                  {environments.map((environment) => (
                    <th scope="col" key={environment}>
                      {environment}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((flag) => (
                  <tr key={flag.name}>
                    <th scope="row" className="flag-name-cell">
                      <Link href={`/flags/${encodeURIComponent(flag.name)}`}>{flag.name}</Link>
                      {flag.description !== '' && <span className="flag-description">{flag.description}</span>}
                      <span className="flag-meta">
                        {flag.owner && <span>owner {flag.owner}</span>}
                        {!isClientVisible(flag, whoami.relay.clientVisibleByDefault) && (
                          <span className="tag" title="Client keys (browsers) do not see this flag">
                            server only
                          </span>
                        )}
                        {flag.tags.map((tag) => (
                          <span className="tag" key={tag}>
                            {tag}
                          </span>
                        ))}
                      </span>
                    </th>
                    {environments.map((environment) => (
                      <td key={environment} data-label={environment}>
                        <EnvironmentCell flag={flag} environment={environment} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager page={current} pageCount={pageCount} onPage={setPage} label="Flag pages" />
        </>
      )}
    </section>
  );
}

function Choice(props: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">All</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}
