/**
 * One executing engine per database file: a lease row naming the owner, its pid and host, kept
 * fresh by a heartbeat. A holder is considered gone when its pid no longer exists on this host, or
 * when its heartbeat is older than the lease timeout (a killed process, a pid reused by another).
 * @module
 */
import { hostname } from "node:os";
import { ConflictError } from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";

interface LeaseRow {
  owner_id: string;
  pid: number;
  hostname: string;
  heartbeat_at: number;
}

/** Leases held by stores of this process, so a stale row with our own pid is recognised. */
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class ExecutorLease {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #beat: Statement;
  readonly #release: Statement;
  #owner: string | undefined;

  constructor(db: Database, path: string, timeoutMs: number) {
    this.#path = path;
    this.#timeoutMs = timeoutMs;
    this.#get = db.prepare("SELECT owner_id, pid, hostname, heartbeat_at FROM executor_lease WHERE name = 'executor'");
    this.#put = db.prepare(
      `INSERT OR REPLACE INTO executor_lease (name, owner_id, pid, hostname, acquired_at, heartbeat_at)
       VALUES ('executor', ?, ?, ?, ?, ?)`,
    );
    this.#beat = db.prepare("UPDATE executor_lease SET heartbeat_at = ? WHERE name = 'executor' AND owner_id = ?");
    this.#release = db.prepare("DELETE FROM executor_lease WHERE name = 'executor' AND owner_id = ?");
  }

  get owner(): string | undefined {
    return this.#owner;
  }

  /** Takes the lease (inside a write transaction). @throws ConflictError while another live engine holds it. */
  acquire(ownerId: string): void {
    const row = this.#get.get() as LeaseRow | undefined;
    if (row && row.owner_id !== ownerId && this.#alive(row)) {
      const age = Math.round((Date.now() - row.heartbeat_at) / 1000);
      throw new ConflictError(
        `The database ${this.#path} is already driven by another engine (${row.owner_id}, pid ${row.pid} on ` +
          `${row.hostname}, last heartbeat ${age}s ago). One engine executes workflows per database file: stop ` +
          "the other one, or use a separate file. Reading is still possible.",
      );
    }
    const now = Date.now();
    this.#put.run(ownerId, process.pid, hostname(), now, now);
    this.#owner = ownerId;
    heldHere.add(this.#key(ownerId));
  }

  /** Refreshes the heartbeat; false when the lease was taken over meanwhile. */
  heartbeat(): boolean {
    if (this.#owner === undefined) return true;
    return this.#beat.run(Date.now(), this.#owner).changes > 0;
  }

  release(): void {
    if (this.#owner === undefined) return;
    this.#release.run(this.#owner);
    heldHere.delete(this.#key(this.#owner));
    this.#owner = undefined;
  }

  /** Forgets the lease locally (when the database can no longer be written). */
  forget(): void {
    if (this.#owner !== undefined) heldHere.delete(this.#key(this.#owner));
    this.#owner = undefined;
  }

  #alive(row: LeaseRow): boolean {
    if (Date.now() - row.heartbeat_at > this.#timeoutMs) return false;
    if (row.hostname !== hostname()) return true;
    if (row.pid === process.pid) return heldHere.has(this.#key(row.owner_id));
    return pidAlive(row.pid);
  }

  #key(ownerId: string): string {
    return `${this.#path}\u0000${ownerId}`;
  }
}
