import type { ReactNode } from 'react';

export interface Column<T> {
  /** Column heading; also the label each cell shows when a narrow screen stacks rows into cards. */
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
  /** The cell that names the row (a header cell for screen readers, the card's title on phones). */
  rowHeader?: boolean;
}

interface Props<T> {
  caption: string;
  /** Keep the caption for screen readers only (the page heading already says it). */
  captionHidden?: boolean;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty: ReactNode;
  /** Marks the table busy while a newer result is loading. */
  busy?: boolean;
}

/**
 * A dense table on wide screens; on a phone each row becomes a card of label–value pairs
 * (see .data-table in styles.css), so nothing has to scroll sideways.
 */
export function DataTable<T>({ caption, captionHidden, columns, rows, rowKey, empty, busy }: Props<T>) {
  if (rows.length === 0) {
    return <p className="empty">{empty}</p>;
  }
  return (
    <div className="table-wrap">
      <table className="data-table" aria-busy={busy || undefined}>
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => <th key={c.header} scope="col" className={c.className}>{c.header}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => c.rowHeader ? (
                <th key={c.header} scope="row" className={`row-header${c.className ? ` ${c.className}` : ''}`} data-label={c.header}>{c.cell(row)}</th>
              ) : (
                // The wrapper keeps a cell's content one block when a phone lays the cell out as label | value.
                <td key={c.header} className={c.className} data-label={c.header}><div className="cell">{c.cell(row)}</div></td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
