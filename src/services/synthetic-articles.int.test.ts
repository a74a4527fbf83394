import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestStore } from '../store/testing/test-store.js';
import { approvedComments } from './comments.js';
import type { Services } from './context.js';
import { latestArticles, popularArticles, publicArticle } from './public-articles.js';
import { buildSyntheticClinic } from './synthetic-clinic.js';

describe.each(DIALECTS)('demo articles on %s', (dialect) => {
  const store = useTestStore(dialect);
  let services: Services;
  let clinicId: string;
  beforeAll(async () => {
    services = { store, config: { publicUrl: 'http://demo.test', smtpUrl: undefined, secureCookies: false, dataDir: '' } };
    clinicId = (await buildSyntheticClinic(store, { seed: 42, patients: 5, asOf: '2026-06-30' })).clinicId;
  });

  it('publishes four reviewed articles with references', async () => {
    const latest = await latestArticles(services, clinicId);
    expect(latest.total).toBe(4);
    const disc = await publicArticle(services, clinicId, 'prp-for-degenerative-disc-pain');
    expect(disc!.references.map((r) => r.citation)).toEqual([expect.stringContaining('Tuakli-Wosornu'), expect.stringContaining('Levi'), expect.stringContaining('Akeda'), expect.stringContaining('Schepers')]);
    expect(disc!.reviewer!.id).not.toBe(disc!.author.id);
    expect(disc!.html).toContain('href="#ref-4"');
  });

  it('has approved comments with a clinic reply, pending ones kept back, and popular posts', async () => {
    const disc = await publicArticle(services, clinicId, 'prp-for-degenerative-disc-pain');
    const comments = await approvedComments(services, clinicId, disc!.id);
    expect(comments.map((c) => c.authorName)).toEqual(['Sam', 'Priya']);
    expect(comments[1]!.replies[0]!.isStaffReply).toBe(true);
    const pending = await store.db.selectFrom('article_comment').select('id').where('clinic_id', '=', clinicId).where('status', '=', 'pending').execute();
    expect(pending.length).toBe(2);
    const popular = await popularArticles(services, clinicId);
    expect(popular[0]!.slug).toBe('prp-for-degenerative-disc-pain');
    expect(popular).toHaveLength(4);
  });
});
