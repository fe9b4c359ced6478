// The charts and tables below the map: the tallies and their records, the
// areas and changes, the handovers and oblasts of the map's day, the loss
// lag and nowcast, the named lists, the sources, their health, and the
// claims. Each asks api.js, live or exported alike, and writes data only as
// text (dom.js, tables.js).
import { get, csvLink, ask, askCsv } from './api.js';
import { writeState, checkedView } from './state.js';
import { renderTable } from './tables.js';
import { h, note, outLink, fillSelect } from './dom.js';
import { seriesChart, areaChart, changeChart, lagChart, nowcastChart, backfillChart, namedChart, message } from './charts.js';
import { state, maps } from './page.js';

// The first day of a 30-day window ending on `day`, not before the first map.
function monthBefore(day) {
  const to = new Date(day + 'T00:00:00Z');
  const since = new Date(to.getTime() - 30 * 86400000).toISOString().slice(0, 10);
  return since < maps.days[0] ? maps.days[0] : since;
}

// Occupied ground per oblast of Ukraine on the map date (km², share of the
// oblast, change over the 30 days before): needs the first-level units.
export async function loadUnits(day) {
  const params = { status: 'occupied', country: 'UA', date: day, since: monthBefore(day) };
  const el = document.getElementById('table-units');
  try {
    const rows = (await get('/territory/units', params)).filter((r) => r.area_km2 > 0);
    rows.sort((a, b) => b.area_km2 - a.area_km2);
    const pct = (x) => (x == null ? '' : (x * 100).toFixed(1) + ' %');
    // The oblast's name in the page's language (Natural Earth gives all three).
    const lang = state.lang;
    renderTable(el, rows.map((r) => ({ oblast: (lang !== 'en' && r[`name_${lang}`]) || r.name, code: r.code, km2: r.area_km2, share: pct(r.share_of_unit), change_km2: r.change_km2 })), ['oblast', 'code', 'km2', 'share', 'change_km2']);
    document.getElementById('csv-units').href = csvLink('/territory/units', params);
  } catch (e) {
    note(el, e.message);
  }
}

// Settlements that changed hands in the 30 days up to the map date.
export async function loadHandovers(day) {
  const params = { from: monthBefore(day), to: day };
  try {
    renderTable(document.getElementById('table-handovers'), await get('/territory/handovers', params), ['name', 'from_status', 'to_status', 'date', 'population']);
    document.getElementById('csv-handovers').href = csvLink('/territory/handovers', params);
  } catch (e) {
    note(document.getElementById('table-handovers'), e.message);
  }
}

async function loadCategories() {
  const sel = document.getElementById('category');
  try {
    const cats = await ask('categories');
    const names = [...new Set(cats.map((c) => c.category))];
    fillSelect(sel, names.map((n) => [n, n]));
    // A category from the link is used only when it is one of the stored
    // series: anything else is never sent anywhere.
    sel.value = names.includes(state.category) ? state.category : names[0];
    state.category = sel.value;
  } catch (e) {
    message('chart-series', e.message);
    return;
  }
  sel.addEventListener('change', () => {
    state.category = sel.value;
    writeState(state);
    loadSeries();
  });
  loadSeries();
}

async function loadSeries() {
  const category = state.category;
  try {
    const [rows, records] = await Promise.all([
      ask('series', { category }),
      ask('records', { category }),
    ]);
    seriesChart(rows, records);
    renderTable(document.getElementById('table-records'), records.slice().reverse(), ['date', 'value', 'previous_record', 'streak', 'flags', 'break']);
    document.getElementById('csv-records').href = askCsv('records', { category });
  } catch (e) {
    message('chart-series', e.message);
  }
}

async function loadAreaCharts() {
  const sel = document.getElementById('status');
  sel.value = state.status;
  const draw = async () => {
    const status = sel.value;
    try {
      // Liberated ground is in Russia (Kursk): its chart is clipped there.
      const rows = await ask(`area-${status}`).catch(() => get('/territory/area', { status }));
      areaChart(rows, status);
    } catch (e) {
      message('chart-area', e.message);
    }
    try {
      changeChart(await ask('change'));
    } catch (e) {
      message('chart-change', e.message);
    }
  };
  sel.onchange = () => {
    state.status = sel.value;
    writeState(state);
    draw();
  };
  draw();
}

async function loadNowcast() {
  try {
    const lag = await ask('lag');
    lagChart(lag);
    // Nowcast as of the last day with any publication.
    const published = await ask('published');
    const asOf = published.at(-1)?.period;
    nowcastChart(await ask('nowcast', { as_of: asOf }));
  } catch (e) {
    message('chart-lag', `No loss evidence with publication dates (${e.message}).`);
    message('chart-nowcast', `No loss evidence with publication dates (${e.message}).`);
  }
}

// Named lists by vintage: the backfill of Ukraine's monthly dead, and
// Russia's named dead against the General Staff's claims. These lists are
// not bundled with the demo (their data are their sources'); the charts
// say so when none is imported.
async function loadNamed() {
  try {
    backfillChart(await ask('backfill'));
  } catch (e) {
    message('chart-backfill', `No named-list vintages imported (${e.message}).`);
  }
  try {
    namedChart(await ask('named'));
  } catch (e) {
    message('chart-named', `No named list of Russia's dead imported (${e.message}).`);
  }
  try {
    const alerts = await ask('lag-alerts');
    renderTable(document.getElementById('table-lag-alerts'), alerts.slice().reverse(), ['period', 'cause', 'detail']);
    document.getElementById('csv-lag-alerts').href = askCsv('lag-alerts');
  } catch (e) {
    note(document.getElementById('table-lag-alerts'), e.message);
  }
}

async function loadSources() {
  renderTable(document.getElementById('table-sources'), await get('/sources').catch(() => []), ['id', 'location', 'kind', 'imported_at', 'records', 'added']);
  document.getElementById('csv-sources').href = csvLink('/sources');
}

// Freshness of the synced sources (OK / STALE / REVIEW / FAILING / NEVER):
// a reader sees at once when a source has gone quiet.
async function loadHealth() {
  renderTable(document.getElementById('table-health'), await get('/sources/health').catch(() => []), ['source', 'status', 'newest_data', 'last_success', 'cadence_hours', 'reason']);
  document.getElementById('csv-health').href = csvLink('/sources/health');
}

// A "map" link that opens a permalink's view (`/#date=…&status=…`) in this
// page through `openView`: its hash is read and checked (state.js), and
// the link itself is never followed. None when it names no day.
function viewLink(permalink, openView) {
  const view = checkedView(new URLSearchParams(String(permalink || '').split('#')[1] || ''));
  if (!view.get('date')) return null;
  const open = h('a', { href: '#', 'data-view': '' }, 'map');
  open.addEventListener('click', (ev) => {
    ev.preventDefault();
    openView(view);
    document.getElementById('map').scrollIntoView();
  });
  return open;
}

// What changed (#24): the newest events of every public kind, titled in
// the page's language (record days, handovers, area changes, mappers
// disagreeing, lag shifts, source health, claim verdicts), each with a
// link into the map at its day.
export async function loadEvents(openView) {
  const el = document.getElementById('table-events');
  const name = `events-${state.lang}`;
  let rows;
  try {
    rows = await ask(name);
  } catch (e) {
    note(el, e.message);
    return;
  }
  if (!rows.length) {
    note(el, 'nothing to show');
    return;
  }
  const body = rows.map((r) => {
    const open = viewLink(r.permalink, openView);
    return h('tr', {}, h('td', {}, r.date), h('td', {}, r.kind), h('td', {}, r.title, open ? [' ', open] : []));
  });
  const head = ['day', 'kind', 'what'].map((c) => h('th', {}, c));
  el.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
  document.getElementById('csv-events').href = askCsv(name);
}

// Claims of the ledger with their verdicts, on today's data and on the
// data of the day they were made; a claim's link opens the map and charts
// at its day, status or category (its permalink), through `openView`.
async function loadClaims(openView) {
  const el = document.getElementById('table-claims');
  let rows;
  try {
    rows = await ask('claims-check');
  } catch (e) {
    note(el, e.message);
    return;
  }
  // Verdicts are a known set: anything else gets no class of its own.
  const VERDICTS = new Set(['supported', 'consistent', 'overstated', 'understated', 'contradicted', 'not-checkable']);
  const badge = (v) => h('span', { class: VERDICTS.has(v) ? `verdict ${v}` : 'verdict' }, v);
  const body = rows.map((r) => {
    const open = viewLink(r.permalink, openView);
    const then = r.verdict_then === r.verdict && r.measured_then === r.measured
      ? h('span', { class: 'note' }, 'same')
      : [badge(r.verdict_then), ' ', r.measured_then == null ? r.reason_then : r.measured_then];
    return h('tr', {},
      h('td', {}, badge(r.verdict)), h('td', {}, r.speaker), h('td', {}, r.said_on),
      h('td', { class: 'quote' }, `“${r.quote}” `, outLink(r.source_url, 'source')),
      h('td', {}, r.claimed), h('td', {}, r.metric, open ? [' ', open] : []),
      // A lower bound ("at least 2: the gazetteer holds…") says so under its number.
      h('td', { class: 'num', title: r.method }, r.measured == null ? r.reason : r.measured,
        r.measured != null && r.reason ? [h('br'), h('span', { class: 'note' }, r.reason)] : [],
        r.detail ? [h('br'), h('span', { class: 'note' }, r.detail)] : []),
      h('td', {}, then));
  });
  const head = ['verdict', 'speaker', 'said on', 'quote', 'claimed', 'about', 'measured', 'on its day'].map((c) => h('th', {}, c));
  el.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
  document.getElementById('csv-claims').href = askCsv('claims-check');
}

// The charts and tables, once the map is up: they are below it, and drawing
// them earlier would hold the map's first frame on the main thread.
export function loadBelowTheMap(openView) {
  loadHealth();
  loadCategories();
  loadNowcast();
  loadNamed();
  loadSources();
  loadAreaCharts();
  loadClaims(openView);
  loadEvents(openView);
}
