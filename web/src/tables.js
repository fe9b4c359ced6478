// Small HTML tables for record days, handovers and sources.

// Text made safe to put in HTML.
export const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function renderTable(el, rows, columns) {
  if (!rows.length) {
    el.innerHTML = '<p class="note">nothing to show</p>';
    return;
  }
  const cols = columns || Object.keys(rows[0]);
  const head = '<tr>' + cols.map((c) => `<th>${esc(c)}</th>`).join('') + '</tr>';
  const body = rows
    .map((r) => '<tr>' + cols.map((c) => `<td class="${typeof r[c] === 'number' ? 'num' : ''}">${esc(r[c])}</td>`).join('') + '</tr>')
    .join('');
  el.innerHTML = `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}
