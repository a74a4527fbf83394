import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueCommentFormToken } from '../../services/visitors.js';
import type { Store } from '../../store/db.js';
import type { TestClient } from './test-server.js';

/** Test helpers for articles and comments, shared by the API, page and tenancy tests. */

export const READER_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
/** A review date safely in the past, whatever day the tests run. */
export const REVIEWED_ON = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
export const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export interface ArticleInput {
  slug?: string;
  title?: string;
  summary?: string;
  bodyMarkdown?: string;
  tags?: string[];
  indication?: string | null;
  references?: { doi?: string | null; pmid?: string | null; citation: string }[];
}

/** Writes an article as `client` (reviewed by the client itself) and returns its JSON. */
export async function writeArticle(client: TestClient, input: ArticleInput = {}): Promise<{ id: string; slug: string; revision: number; author: { id: string } }> {
  const session = (await client.get('/api/v1/auth/session')).json() as { user: { id: string } };
  const res = await client.post('/api/v1/articles', {
    title: 'PRP for disc pain', summary: 'What the studies show.', bodyMarkdown: 'Some text about discs.', ...input,
    reviewerId: session.user.id, lastReviewedOn: REVIEWED_ON,
  });
  if (res.statusCode !== 201) throw new Error(`article not created: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function publishedArticle(client: TestClient, input: ArticleInput = {}): Promise<{ id: string; slug: string; revision: number; author: { id: string } }> {
  const article = await writeArticle(client, input);
  const res = await client.post(`/api/v1/articles/${article.id}/publish`, {});
  if (res.statusCode !== 200) throw new Error(`article not published: ${res.statusCode} ${res.body}`);
  return article;
}

/** A comment-form token as if the page had been shown `secondsAgo` ago. */
export function formToken(store: Store, articleId: string, secondsAgo = 60): Promise<string> {
  return issueCommentFormToken(store, articleId, Date.now() - secondsAgo * 1000);
}

/** Posts the public comment form, urlencoded, from a reader's address. */
export function postCommentForm(app: FastifyInstance, slug: string, fields: Record<string, string>, ip = '198.51.100.7'): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST', url: `/articles/${slug}/comments`, remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': READER_UA },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** A published article with one comment: ids for the tenancy walk. */
export async function seedEducation(app: FastifyInstance, store: Store, client: TestClient): Promise<{ articles: string; 'article-revisions': string; comments: string; 'author-profiles': string }> {
  const article = await publishedArticle(client, { slug: 'tenancy-article' });
  const revisions = (await client.get(`/api/v1/articles/${article.id}/revisions`)).json() as { id: string }[];
  const posted = await postCommentForm(app, article.slug, { name: 'Reader', body: 'A question.', formToken: await formToken(store, article.id) });
  if (posted.statusCode !== 303) throw new Error(`comment not posted: ${posted.statusCode}`);
  const comments = (await client.get(`/api/v1/comments?articleId=${article.id}`)).json() as { items: { id: string }[] };
  return { articles: article.id, 'article-revisions': revisions[0]!.id, comments: comments.items[0]!.id, 'author-profiles': article.author.id };
}
