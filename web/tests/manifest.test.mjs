// One manifest for the page and the static export (issue #22): the answers
// the page asks with fixed parameters are named in src/answers.json, which
// `export site` reads to write them. A fixed-parameter request written in
// the page's code instead would be on the live page and missing from the
// static site; this fails when one is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;

// Answers the page asks with parameters of the moment (the map's day, a
// box's value, the language) or that only a live server has: they are not
// in a static export, and the page says so there.
const OF_THE_MOMENT = new Set([
  '/territory/control', '/places', '/territory/compare/polygons', '/territory/units',
  '/territory/handovers', '/territory/area', '/sources', '/sources/health',
  // A place's history (`/places/ID/history`): from the tiles in a static export.
  '/places/',
]);

test('every literal API request of the page is in the manifest or of the moment', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(SRC, 'answers.json'), 'utf8'));
  const named = new Set(Object.keys(manifest));
  const hits = [];
  for (const f of fs.readdirSync(SRC).filter((n) => n.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(SRC, f), 'utf8');
    // get('/x' …), answerUrl('/x' …), csvLink('/x' …) with a literal path.
    for (const m of text.matchAll(/\b(get|answerUrl|csvLink)\(\s*['`](\/[^'`$?]*)/g)) {
      if (!OF_THE_MOMENT.has(m[2])) hits.push(`${f}: ${m[1]}('${m[2]}') is not asked through the manifest`);
    }
    for (const m of text.matchAll(/\b(ask|askUrl|askCsv)\(\s*'([^']+)'/g)) {
      if (!named.has(m[2])) hits.push(`${f}: ${m[1]}('${m[2]}') names no manifest entry`);
    }
  }
  assert.deepEqual(hits, []);
});

test('the manifest is well formed', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(SRC, 'answers.json'), 'utf8'));
  for (const [name, entry] of Object.entries(manifest)) {
    if (name === '//') continue;
    assert.ok(Array.isArray(entry) && entry.length === 2, name);
    assert.match(entry[0], /^\//, name);
    for (const v of Object.values(entry[1])) assert.equal(typeof v, 'string', `${name}: values are strings`);
  }
});
