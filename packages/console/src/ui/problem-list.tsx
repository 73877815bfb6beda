import type { Problem } from '@switchyard/core';

/** Validation problems whose path starts with `prefix` (all when none), as the relay would word them. */
export function ProblemList({
  problems,
  prefix,
  exact,
}: {
  problems: readonly Problem[];
  prefix?: string;
  exact?: boolean;
}) {
  const shown =
    prefix === undefined
      ? problems
      : problems.filter((p) =>
          exact
            ? p.path === prefix
            : p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`),
        );
  if (shown.length === 0) return null;
  return (
    <ul className="problems">
      {shown.map((problem, index) => (
        <li key={`${problem.path}-${index}`} className="error-line">
          {problem.message}
        </li>
      ))}
    </ul>
  );
}
