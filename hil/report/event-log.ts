// Appends run events to `events.ndjson` and fans them out to live readers (the progress view).
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { EventSink, RunEvent } from "./events.ts";

export class EventLog implements EventSink {
  private readonly listeners = new Set<(e: RunEvent) => void>();
  readonly events: RunEvent[] = [];

  constructor(private readonly file: string | undefined) {
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, "");
    }
  }

  emit(event: RunEvent): void {
    this.events.push(event);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(event)}\n`);
    for (const l of this.listeners) l(event);
  }

  subscribe(listener: (e: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
