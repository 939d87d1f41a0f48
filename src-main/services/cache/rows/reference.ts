import type Database from 'better-sqlite3-multiple-ciphers';
import type { Agent } from '@shared/domain/agent';
import { normalisePlaybook, type OfferStat, type Playbook, type StoredPlaybook } from '@shared/playbook/playbook';

type DataRow = { data: string };

/** Reference data from the server, the same for every customer: agents, the playbook and offer statistics. */
export class ReferenceRows {
  private readonly selectAgent: Database.Statement<[string], DataRow>;
  private readonly upsertAgent: Database.Statement<[string, string]>;
  private readonly selectPlaybook: Database.Statement<[], DataRow>;
  private readonly upsertPlaybook: Database.Statement<[string]>;
  private readonly selectOfferStats: Database.Statement<[], { offer_id: string; segment: string; made: number; accepted: number }>;
  private readonly upsertOfferStat: Database.Statement<[OfferStat]>;
  private playbookMemo: { raw: string; playbook: Playbook } | null = null;

  constructor(db: Database.Database) {
    this.selectAgent = db.prepare('SELECT data FROM agents WHERE id = ?');
    this.upsertAgent = db.prepare('INSERT INTO agents (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
    this.selectPlaybook = db.prepare("SELECT data FROM documents WHERE kind = 'playbook'");
    this.upsertPlaybook = db.prepare(`INSERT INTO documents (kind, data) VALUES ('playbook', ?) ON CONFLICT (kind) DO UPDATE SET data = excluded.data`);
    this.selectOfferStats = db.prepare('SELECT * FROM offer_stats');
    this.upsertOfferStat = db.prepare(`INSERT INTO offer_stats (offer_id, segment, made, accepted) VALUES (@offerId, @segment, @made, @accepted)
      ON CONFLICT (offer_id, segment) DO UPDATE SET made = excluded.made, accepted = excluded.accepted`);
  }

  agent(id: string): Agent | null {
    const row = this.selectAgent.get(id);
    return row ? (JSON.parse(row.data) as Agent) : null;
  }

  putAgent(agent: Agent): void {
    this.upsertAgent.run(agent.id, JSON.stringify(agent));
  }

  /**
   * The playbook as the current format (a legacy one is migrated). Every pop
   * uses it, so it is parsed once per stored text; the text is read each time
   * because a cold sync writes it from a worker, past this object.
   */
  playbook(): Playbook | null {
    const row = this.selectPlaybook.get();
    if (!row) return null;
    if (this.playbookMemo?.raw !== row.data) this.playbookMemo = { raw: row.data, playbook: normalisePlaybook(JSON.parse(row.data)) };
    return this.playbookMemo.playbook;
  }

  putPlaybook(playbook: StoredPlaybook): void {
    this.upsertPlaybook.run(JSON.stringify(playbook));
  }

  offerStats(): OfferStat[] {
    return this.selectOfferStats.all().map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
  }

  putOfferStat(stat: OfferStat): void {
    this.upsertOfferStat.run(stat);
  }
}
