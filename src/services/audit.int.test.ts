import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestStore } from '../store/testing/test-store.js';
import { recordAudit, verifyAuditChains, type AuditSubject } from './audit.js';
import { inTransaction } from './db-helpers.js';

describe.each(DIALECTS)('audit hash chain on %s', (dialect) => {
  const store = useTestStore(dialect);
  const clinicA: AuditSubject = { clinicId: 'clinic-a', actorId: 'u1', actorLabel: 'a@x.test', ip: '10.0.0.1' };
  const clinicB: AuditSubject = { ...clinicA, clinicId: 'clinic-b' };
  const append = (who: AuditSubject, n: number) => inTransaction(store, (trx) => recordAudit(trx, store.dialect, who, { action: 'read', entityType: 'patient', entityId: `p${n}`, patientId: `p${n}`, detail: { n } }));


  it('keeps one intact chain per clinic under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, n) => append(n % 2 ? clinicA : clinicB, n)));
    const result = await verifyAuditChains(store.db);
    expect(result).toMatchObject({ ok: true, chains: 2, events: 40 });
    const seqs = (await store.db.selectFrom('audit_event').select('chain_seq').where('chain', '=', 'clinic-a').orderBy('chain_seq').execute()).map((r) => r.chain_seq);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('names the first altered event', async () => {
    const victim = await store.db.selectFrom('audit_event').select(['id', 'chain_seq']).where('chain', '=', 'clinic-a').where('chain_seq', '=', 7).executeTakeFirstOrThrow();
    await store.db.updateTable('audit_event').set({ actor_label: 'someone-else@x.test' }).where('id', '=', victim.id).execute();
    const result = await verifyAuditChains(store.db, 'clinic-a');
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ eventId: victim.id, chainSeq: 7 });
    expect(result.firstBreak?.reason).toContain('altered');
    // The other clinic's chain is untouched and still verifies.
    expect((await verifyAuditChains(store.db, 'clinic-b')).ok).toBe(true);
  });

  it('notices a deleted event and a truncated chain', async () => {
    await store.db.deleteFrom('audit_event').where('chain', '=', 'clinic-b').where('chain_seq', '=', 3).execute();
    const gap = await verifyAuditChains(store.db, 'clinic-b');
    expect(gap.firstBreak).toMatchObject({ chainSeq: 3 });
    expect(gap.firstBreak?.reason).toContain('missing');
    await store.db.deleteFrom('audit_event').where('chain', '=', 'clinic-b').where('chain_seq', '>=', 3).execute();
    const truncated = await verifyAuditChains(store.db, 'clinic-b');
    expect(truncated.firstBreak?.reason).toContain('deleted');
  });

  it('writes nothing when the surrounding transaction fails', async () => {
    const before = await store.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(inTransaction(store, async (trx) => {
      await recordAudit(trx, store.dialect, clinicA, { action: 'create', entityType: 'patient' });
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    const after = await store.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
