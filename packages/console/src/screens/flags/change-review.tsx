import type { Flag } from '@switchyard/core';
import { useSession } from '../../auth/session.js';
import { environmentImpacts, variantShareMoved } from '../../flags/affected-share.js';
import { canonicalJson } from '../../flags/flag-draft.js';
import { DiffView } from './diff-view.js';

/** What a change does: the configuration diff, and the share of users it affects where that can be computed. */
export function ChangeReview({ before, after, label }: { before: Flag; after: Flag; label: string }) {
  const { whoami } = useSession();
  const impacts = environmentImpacts(before, after, whoami.relay.environments);
  const moved =
    canonicalJson(before.variants) === canonicalJson(after.variants)
      ? 0
      : variantShareMoved(before.variants, after.variants);
  return (
    <div className="change-review">
      {(impacts.length > 0 || moved > 0) && (
        <ul className="impacts">
          {impacts.map((impact) => (
            <li key={impact.environment}>
              <strong>{impact.environment}</strong>: {shareWords(impact.before)} → {shareWords(impact.after)} of users
              served
              {impact.affected === undefined
                ? ' (the share depends on who the users are: lists or attribute rules)'
                : impact.affected === 0
                  ? ' (the same share; rules or variants differ)'
                  : `: about ${round(impact.affected)}% of users affected`}
            </li>
          ))}
          {moved > 0 && <li>Variant weights: about {round(moved)}% of served users get another variant.</li>}
        </ul>
      )}
      <DiffView
        before={canonicalJson({ ...before, version: undefined })}
        after={canonicalJson({ ...after, version: undefined })}
        label={label}
      />
    </div>
  );
}

function shareWords(share: number | undefined): string {
  return share === undefined ? 'some' : `${round(share)}%`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
