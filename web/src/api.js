// Thin client for Frontline's /api/v1. Every call returns parsed JSON or
// throws an Error carrying the server's message.
//
// A static export (`frontline export site`) marks its page with
// <meta name="frontline-static" content="ARCHIVE">: answers are then files
// under api/v1/, named by the path and the sorted query after `@`, as the
// export wrote them (crates/server/src/export.rs, `file_name`).
// The answers the page asks with fixed parameters: one list, which
// `export site` reads too, so a chart cannot be on the live page and
// missing from the static site.
import ANSWERS from './answers.json';
import { state } from './page.js';

const staticMeta = document.querySelector('meta[name="frontline-static"]');
export const STATIC = staticMeta ? staticMeta.content : null;
export const API = STATIC ? 'api/v1' : '/api/v1';

// Every live answer is asked as of the page's knowledge day when it has one
// (`as_of` in the link, #23); an answer that names its own day keeps it. A
// static export holds the answers of its build day only.
function knowing(params) {
  return !STATIC && state.as_of && params.as_of === undefined ? { ...params, as_of: state.as_of } : params;
}

// The URL of an answer, live or exported.
export function answerUrl(path, params = {}) {
  params = knowing(params);
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (STATIC) {
    const q = kept.map(([k, v]) => [k, String(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const name = path + (q.length ? '@' + q.map(([k, v]) => `${k}=${v}`).join('&') : '') + '.json';
    return new URL(API + name.split('/').map((seg) => encodeURIComponent(decodeURIComponent(seg))).join('/'), document.baseURI).href;
  }
  const url = new URL(API + path, window.location.origin);
  for (const [k, v] of kept) url.searchParams.set(k, v);
  return url.href;
}

// Fills `{name}` in a manifest entry from `vars` (path segments encoded).
function fill(name, vars) {
  const entry = ANSWERS[name];
  if (!entry || name === '//') throw new Error(`no answer named ${name}`);
  const sub = (s, enc) => s.replace(/\{(\w+)\}/g, (_, k) => {
    if (vars[k] === undefined || vars[k] === null) throw new Error(`${name}: {${k}} not given`);
    return enc ? encodeURIComponent(vars[k]) : String(vars[k]);
  });
  const params = Object.fromEntries(Object.entries(entry[1]).map(([k, v]) => [k, sub(v, false)]));
  return [sub(entry[0], true), params];
}

// Asks a manifest answer by name.
export function ask(name, vars = {}) {
  return get(...fill(name, vars));
}

// The URL of a manifest answer (for a map source) and its CSV link.
export const askUrl = (name, vars = {}) => answerUrl(...fill(name, vars));
export const askCsv = (name, vars = {}) => csvLink(...fill(name, vars));

export async function get(path, params = {}) {
  const resp = await fetch(answerUrl(path, params));
  if (STATIC && resp.status === 404) throw new Error('not in this static export: ask the live server (frontline serve)');
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(body.error || `${resp.status} ${resp.statusText}`);
  return body;
}

export function csvLink(path, params = {}) {
  if (STATIC) return answerUrl(path, params);
  const url = new URL(API + path, window.location.origin);
  for (const [k, v] of Object.entries(knowing(params))) if (v) url.searchParams.set(k, v);
  url.searchParams.set('format', 'csv');
  return url.pathname + url.search;
}
