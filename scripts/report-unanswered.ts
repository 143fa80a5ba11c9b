/**
 * npm run report:unanswered [-- --db <sqlite-file>] [--limit N]
 * Prints the questions the bot declined and the answers users marked "nicht hilfreich", newest
 * first, for the people who maintain the knowledge base. Without --db it opens the bot's
 * configured database (DATABASE_URL or SQLITE_FILE, see .env.example).
 */
import { loadConfig } from '../src/config';
import { KnowledgeStore, knowledgeMigrations } from '../src/knowledge/store';
import { openDatabase } from '../src/storage';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const file = arg('--db');
  const limit = Number(arg('--limit') ?? 200);
  const config = file ? undefined : loadConfig();
  const db = await openDatabase(
    file ? { sqliteFile: file } : { databaseUrl: config?.DATABASE_URL, sqliteFile: config?.SQLITE_FILE ?? './data/kdlz.db' },
    knowledgeMigrations,
  );
  try {
    const entries = await new KnowledgeStore(db).unanswered(limit);
    if (entries.length === 0) {
      console.log('Keine unbeantworteten oder schlecht bewerteten Fragen.');
      return;
    }
    console.log(`${entries.length} Frage(n), neueste zuerst:\n`);
    for (const e of entries) {
      const what = e.kind === 'declined' ? `abgelehnt (${e.detail})` : `👎 nicht hilfreich (Antwortart: ${e.detail})`;
      console.log(`${e.at}  ${what}\n  ${e.question.replace(/\s+/g, ' ')}\n`);
    }
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
