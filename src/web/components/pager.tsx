/** Previous / next for a paged list, with where we are in it. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <span className="pager-status">{first}–{last} of {total}</span>
      <span className="pager-buttons">
        <button type="button" className="button button-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>Previous</button>
        <span className="pager-page">Page {page} of {pages}</span>
        <button type="button" className="button button-small" disabled={page >= pages} onClick={() => onPage(page + 1)}>Next</button>
      </span>
    </nav>
  );
}
