import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { api } from '../api.js';
import { useLoad } from '../hooks.js';
import type { CommentView } from '../education-types.js';
import type { Page } from '../types.js';

/** Fired by the moderation screen after every decision, so the count in the navigation follows at once. */
export const COMMENTS_CHANGED = 'autolog:comments-changed';

export function commentsChanged(): void {
  window.dispatchEvent(new Event(COMMENTS_CHANGED));
}

/** Comments waiting are rare; a minute is soon enough to notice a new one without a reload. */
const REFRESH_MS = 60_000;

/**
 * The number of comments waiting for moderation, beside "Comments" in the navigation. Asked
 * again on every screen change, after each moderation decision, and once a minute.
 */
export function PendingCommentsBadge() {
  const location = useLocation();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const refresh = () => setTick((t) => t + 1);
    window.addEventListener(COMMENTS_CHANGED, refresh);
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      window.removeEventListener(COMMENTS_CHANGED, refresh);
      clearInterval(timer);
    };
  }, []);

  // A failed count keeps the last one shown.
  const pending = useLoad((signal) => api.get<Page<CommentView>>('/comments', { status: 'pending', pageSize: 1 }, signal).then((page) => page.total), [location.pathname, tick]).data;

  if (!pending) return null;
  return (
    <>
      <span className="nav-badge" aria-hidden="true">{pending > 99 ? '99+' : pending}</span>
      <span className="visually-hidden">, {pending} waiting</span>
    </>
  );
}
