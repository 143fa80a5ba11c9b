import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths';
import { startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('docs/security.md', () => {
  it('lists every registered personal-data store with its retention variable', () => {
    const doc = readFileSync(path.join(projectRoot(), 'docs', 'security.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    const stores = srv.app.domain.personalData.stores();
    expect(stores.length).toBeGreaterThanOrEqual(4);
    for (const store of stores) {
      const row = rows.find((r) => r.startsWith(`| \`${store.id}\` |`));
      expect(row, `docs/security.md has no retention row for ${store.id}`).toBeDefined();
      expect(row).toContain(`\`${store.retention.variable}\``);
    }
  });
});
