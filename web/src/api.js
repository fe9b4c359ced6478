// Thin client for Frontline's /api/v1. Every call returns parsed JSON or
// throws an Error carrying the server's message.
export const API = '/api/v1';

export async function get(path, params = {}) {
  const url = new URL(API + path, window.location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const resp = await fetch(url);
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(body.error || `${resp.status} ${resp.statusText}`);
  return body;
}

export function csvLink(path, params = {}) {
  const url = new URL(API + path, window.location.origin);
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  url.searchParams.set('format', 'csv');
  return url.pathname + url.search;
}
