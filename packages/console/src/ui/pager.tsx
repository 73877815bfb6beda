/** Previous/next page buttons with "Page n of m"; nothing when there is one page. */
export function Pager(props: { page: number; pageCount: number; onPage(page: number): void; label: string }) {
  if (props.pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" disabled={props.page === 0} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <span>
        Page {props.page + 1} of {props.pageCount}
      </span>
      <button type="button" disabled={props.page >= props.pageCount - 1} onClick={() => props.onPage(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}
