import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type SqliteDatabase } from '../store/db.js';
import { createSqliteEdgeStore, type EdgeStore } from './edge-store.js';
import { edgeMigrations } from './migrations.js';

let db: SqliteDatabase;
let store: EdgeStore;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, [edgeMigrations]);
  store = createSqliteEdgeStore(db);
});
afterEach(() => db.close());

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('edge store', () => {
  it('enrolls once per token and keeps only a hash of the token and credential', async () => {
    const { token } = await store.createEnrollment({
      name: 'press-1',
      group: 'plant-a',
      createdBy: 'admin',
      expiresAt: inAnHour(),
    });
    expect(await store.checkEnrollment(token)).toBeUndefined();
    const first = await store.enroll(token, 'host-a');
    if ('refused' in first) throw new Error(first.refused);
    expect(first.edge).toMatchObject({ name: 'press-1', group: 'plant-a', revoked: false });
    expect(await store.enroll(token, 'host-b')).toEqual({ refused: 'this enrollment token was already used' });
    expect(await store.checkEnrollment(token)).toBe('this enrollment token was already used');
    const dump =
      JSON.stringify(db.prepare('SELECT * FROM edges').all()) +
      JSON.stringify(db.prepare('SELECT * FROM edge_enrollments').all());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(first.credential);
    expect((await store.listEnrollments())[0]).toMatchObject({ name: 'press-1', usedAt: expect.any(String) });
  });

  it('refuses expired, revoked and unknown tokens', async () => {
    const expired = await store.createEnrollment({ createdBy: 'admin', expiresAt: new Date(Date.now() - 1000) });
    expect(await store.enroll(expired.token, undefined)).toEqual({ refused: 'this enrollment token has expired' });
    const revoked = await store.createEnrollment({ createdBy: 'admin', expiresAt: inAnHour() });
    expect(await store.revokeEnrollment(revoked.id)).toBe(true);
    expect(await store.enroll(revoked.token, undefined)).toEqual({ refused: 'this enrollment token was revoked' });
    expect(await store.enroll('gfe_not-a-token-at-all', undefined)).toEqual({ refused: 'unknown enrollment token' });
    expect(await store.list()).toEqual([]);
  });

  it('authenticates with the credential until the edge is revoked', async () => {
    const { token } = await store.createEnrollment({ createdBy: 'admin', expiresAt: inAnHour() });
    const enrolled = await store.enroll(token, 'host-a');
    if ('refused' in enrolled) throw new Error(enrolled.refused);
    const id = enrolled.edge.id;
    expect(await store.authenticate(id, enrolled.credential)).toMatchObject({ id, name: 'host-a' });
    expect(await store.authenticate(id, 'x'.repeat(43))).toEqual({ refused: 'bad credential' });
    expect(await store.authenticate('nope', enrolled.credential)).toEqual({ refused: 'unknown edge' });
    await store.revoke(id);
    expect(await store.authenticate(id, enrolled.credential)).toEqual({ refused: 'this edge was revoked' });
  });

  it('accepts each (edge, seq) once and forgets what lies below the floor', async () => {
    expect([...(await store.acceptUpstream('e1', [1, 2, 3], undefined))]).toEqual([1, 2, 3]);
    expect([...(await store.acceptUpstream('e1', [2, 3, 4], undefined))]).toEqual([4]);
    expect([...(await store.acceptUpstream('e2', [1], undefined))]).toEqual([1]);
    await store.acceptUpstream('e1', [5], 4);
    const left = db.prepare("SELECT seq FROM edge_upstream_seen WHERE edge_id = 'e1' ORDER BY seq").all() as {
      seq: number;
    }[];
    expect(left.map((r) => r.seq)).toEqual([4, 5]);
  });

  it('records what was sent, what runs and a refusal, each left alone when not given', async () => {
    const { token } = await store.createEnrollment({ createdBy: 'admin', expiresAt: inAnHour() });
    const enrolled = await store.enroll(token, 'host-a');
    if ('refused' in enrolled) throw new Error(enrolled.refused);
    const id = enrolled.edge.id;
    await store.recordDeploy(id, { targetRev: 'r1' });
    await store.recordDeploy(id, { runningRev: 'r1', deployError: null });
    expect(await store.get(id)).toMatchObject({ targetRev: 'r1', runningRev: 'r1', deployError: null });
    await store.recordDeploy(id, { targetRev: 'r2' });
    await store.recordDeploy(id, { deployError: { rev: 'r2', ok: false, error: 'bad' } });
    expect(await store.get(id)).toMatchObject({
      targetRev: 'r2',
      runningRev: 'r1',
      deployError: { rev: 'r2', ok: false, error: 'bad' },
    });
    await store.recordDeploy(id, { targetRev: 'r3' });
    expect((await store.get(id))?.deployError).toMatchObject({ rev: 'r2' });
    await store.recordDeploy(id, { runningRev: 'r3', deployError: null });
    expect(await store.get(id)).toMatchObject({ targetRev: 'r3', runningRev: 'r3', deployError: null });
  });
});
