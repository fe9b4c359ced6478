// Small HTML tables for record days, handovers and sources, built as DOM
// nodes: every cell is text (dom.js).
import { h, note } from './dom.js';

export function renderTable(el, rows, columns) {
  if (!rows.length) {
    note(el, 'nothing to show');
    return;
  }
  const cols = columns || Object.keys(rows[0]);
  const head = h('tr', {}, cols.map((c) => h('th', {}, c)));
  const body = rows.map((r) => h('tr', {}, cols.map((c) => h('td', { class: typeof r[c] === 'number' ? 'num' : undefined }, r[c] ?? ''))));
  el.replaceChildren(h('table', {}, h('thead', {}, head), h('tbody', {}, body)));
}
