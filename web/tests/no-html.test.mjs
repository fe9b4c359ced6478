// The page writes no HTML from strings: every text goes through dom.js as
// a text node (issue #21). This holds the line for code added later; the
// hostile-data browser test checks the running page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;
const SINKS = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|\.setHTML\(|document\.write|createContextualFragment|new Function\(|\beval\(/;

test('no HTML is written from strings in web/src', () => {
  const hits = [];
  for (const f of fs.readdirSync(SRC).filter((n) => n.endsWith('.js'))) {
    fs.readFileSync(path.join(SRC, f), 'utf8').split('\n').forEach((line, i) => {
      if (SINKS.test(line) && !line.trim().startsWith('//')) hits.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});
