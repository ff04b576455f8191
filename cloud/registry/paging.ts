// Marker / nextToken paging for the list operations (aws-iot §3). The token names the last key
// returned, so deleting items between pages never skips or repeats the others.
import { invalidRequest } from "./iot-exception.ts";

export interface Page<T> {
  items: T[];
  /** Absent on the last page (aws-iot §3.2 ListThings). */
  next?: string;
}

export interface PageRequest {
  pageSize: number;
  token?: string | undefined;
  descending?: boolean;
}

/** `items` must be sorted ascending by `keyOf`, with unique keys. */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const ordered = request.descending ? [...items].reverse() : items;
  let start = 0;
  if (request.token !== undefined) {
    const after = decodeToken(request.token);
    start = ordered.findIndex((item) => (request.descending ? keyOf(item) < after : keyOf(item) > after));
    if (start < 0) start = ordered.length;
  }
  const page = ordered.slice(start, start + request.pageSize);
  const last = page.at(-1);
  const more = start + page.length < ordered.length;
  return more && last !== undefined ? { items: page, next: encodeToken(keyOf(last)) } : { items: page };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), "utf8").toString("base64");
}

function decodeToken(token: string): string {
  try {
    const value = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { after?: unknown };
    if (typeof value.after === "string") return value.after;
  } catch {
    // fall through: the caller gets InvalidRequestException
  }
  throw invalidRequest(`Invalid pagination token: ${token}`);
}
