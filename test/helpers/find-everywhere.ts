import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/storage';

/** Every table of the database (SQLite or PostgreSQL), so a new table cannot escape the search. */
export async function allTables(db: Db): Promise<string[]> {
  const rows =
    db.kind === 'sqlite'
      ? await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : await db.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'");
  return rows.map((r) => r.name).sort();
}

/** "table: row" for every row of every table whose text contains the needle (case-insensitive). */
export async function findInDatabase(db: Db, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const n = needle.toLowerCase();
  for (const table of await allTables(db)) {
    for (const row of await db.query(`SELECT * FROM ${table}`)) {
      const text = JSON.stringify(row);
      if (text.toLowerCase().includes(n)) hits.push(`${table}: ${text.slice(0, 300)}`);
    }
  }
  return hits;
}

/** Every file under dir (recursively) whose content or name contains the needle (case-insensitive). */
export function findInFiles(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const n = needle.toLowerCase();
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.toLowerCase().includes(n) || readFileSync(p).toString('latin1').toLowerCase().includes(n)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}
