import type { ReactNode } from 'react';
import type { Problem } from '../types.js';

/** A small coloured label (episode status, outbox status, account state). */
export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'accent' | 'success' | 'warning' | 'danger'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Shown instead of a screen's content when its data could not be loaded. */
export function LoadError({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p><strong>{problem.title || 'Could not load'}.</strong> {problem.detail}</p>
      {onRetry && <button type="button" className="button button-small" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p className="loading" role="status">{label}</p>;
}
