// Frontline's page: a control map with a time slider over snapshot dates,
// settlements by status, located losses; charts; tables. It needs no
// internet: the basemap is drawn from the imported country outlines.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import './style.css';
import { API, get, csvLink } from './api.js';
import { readState, writeState } from './state.js';
import { renderTable } from './tables.js';
import { seriesChart, areaChart, changeChart, lagChart, nowcastChart, backfillChart, namedChart, message } from './charts.js';

// MapLibre 6 loads its worker from a separate module; ship it with the page.
maplibregl.setWorkerUrl(workerUrl);

const state = readState();
let days = [];
let playing = null;

const STATUS_COLOR = ['match', ['get', 'status'], 'occupied', '#d1495b', 'liberated', '#2e86de', 'contested', '#9aa0a6', '#ffffff'];

const map = new maplibregl.Map({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#dde6f0' } }] },
  center: [35.5, 49.0],
  zoom: 5,
  attributionControl: { customAttribution: 'Outlines: Natural Earth · Places: GeoNames (CC-BY) · Control: as imported' },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }));

const empty = { type: 'FeatureCollection', features: [] };

map.on('load', async () => {
  map.addSource('boundaries', { type: 'geojson', data: `${API}/boundaries` });
  map.addSource('control', { type: 'geojson', data: empty });
  map.addSource('places', { type: 'geojson', data: empty });
  map.addSource('losses', { type: 'geojson', data: empty });
  map.addLayer({ id: 'land', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#f4f1ea' } });
  map.addLayer({ id: 'borders', type: 'line', source: 'boundaries', paint: { 'line-color': '#8c8577', 'line-width': 1 } });
  map.addLayer({ id: 'control', type: 'fill', source: 'control', paint: { 'fill-color': STATUS_COLOR, 'fill-opacity': 0.45 } });
  map.addLayer({ id: 'control-edge', type: 'line', source: 'control', paint: { 'line-color': STATUS_COLOR, 'line-width': 1 } });
  map.addLayer({
    id: 'places', type: 'circle', source: 'places',
    paint: {
      'circle-color': STATUS_COLOR,
      'circle-stroke-color': '#333', 'circle-stroke-width': 0.6,
      'circle-radius': ['interpolate', ['linear'], ['sqrt', ['coalesce', ['get', 'population'], 0]], 0, 2, 100, 4, 1000, 12],
    },
  });
  map.addLayer({ id: 'losses', type: 'circle', source: 'losses', paint: { 'circle-color': '#1d2330', 'circle-radius': 2.5, 'circle-opacity': 0.7 } });
  for (const id of ['control', 'places', 'losses']) {
    map.on('click', id, (e) => popup(e, id));
    map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
  }
  applyLayers();
  get('/losses/located').then((fc) => map.getSource('losses').setData(fc)).catch(() => {});
  await loadSnapshots();
  document.getElementById('map').dataset.ready = 'true';
});

function popup(e, layer) {
  const p = e.features[0].properties;
  const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  let html;
  if (layer === 'control') html = `<b>${esc(p.status)}</b><br>${esc(p.area_km2)} km²<br>snapshot ${esc(p.snapshot)}`;
  else if (layer === 'places') html = `<b>${esc(p.name)}</b><br>${esc(p.admin1)}<br>population ${esc(p.population)}<br>status: ${esc(p.status)}`;
  else {
    const urls = JSON.parse(p.proof_urls || '[]');
    html = `<b>${esc(p.model)}</b> (${esc(p.category)})<br>${esc(p.status)}, ${esc(p.side)}<br>event ${esc(p.event_date)} · published ${esc(p.published_date)}<br>source ${esc(p.source)}<br>` +
      urls.map((u) => `<a href="${esc(u)}" target="_blank" rel="noopener">proof</a>`).join(' ');
  }
  new maplibregl.Popup().setLngLat(e.lngLat).setHTML(html).addTo(map);
}

function applyLayers() {
  const on = new Set(state.layers.split(','));
  for (const id of ['control', 'places', 'losses']) {
    document.getElementById(`layer-${id}`).checked = on.has(id);
    const vis = on.has(id) ? 'visible' : 'none';
    for (const l of id === 'control' ? ['control', 'control-edge'] : [id]) if (map.getLayer(l)) map.setLayoutProperty(l, 'visibility', vis);
  }
}

for (const id of ['control', 'places', 'losses']) {
  document.getElementById(`layer-${id}`).addEventListener('change', () => {
    const on = ['control', 'places', 'losses'].filter((l) => document.getElementById(`layer-${l}`).checked);
    state.layers = on.join(',');
    applyLayers();
    writeState(state);
  });
}

async function loadSnapshots() {
  const slider = document.getElementById('slider');
  try {
    const s = await get('/territory/snapshots');
    days = s.days;
  } catch (e) {
    document.getElementById('map-note').textContent = `No control maps in this database (${e.message}). Outlines and settlements only.`;
    map.getSource('places').setData(`${API}/places?min_population=2000`);
    loadAreaCharts();
    loadClaims();
    return;
  }
  slider.max = String(days.length - 1);
  const i = days.indexOf(state.date);
  slider.value = String(i >= 0 ? i : days.length - 1);
  slider.addEventListener('input', () => showDay(days[Number(slider.value)]));
  await showDay(days[Number(slider.value)]);
  loadAreaCharts();
  loadClaims();
}

async function showDay(day) {
  state.date = day;
  document.getElementById('date-label').textContent = day;
  writeState(state);
  const [control, places] = await Promise.all([
    get('/territory/control', { date: day }).catch(() => empty),
    get('/places', { date: day, min_population: 500 }).catch(() => empty),
  ]);
  map.getSource('control')?.setData(control);
  map.getSource('places')?.setData(places);
  document.getElementById('map').dataset.date = day;
  loadHandovers(day);
  loadUnits(day);
}

// Occupied ground per oblast of Ukraine on the map date (km², share of the
// oblast, change over the 30 days before): needs the first-level units.
async function loadUnits(day) {
  const to = new Date(day + 'T00:00:00Z');
  const since = new Date(to.getTime() - 30 * 86400000).toISOString().slice(0, 10);
  const params = { status: 'occupied', country: 'UA', date: day, since: since < days[0] ? days[0] : since };
  const el = document.getElementById('table-units');
  try {
    const rows = (await get('/territory/units', params)).filter((r) => r.area_km2 > 0);
    rows.sort((a, b) => b.area_km2 - a.area_km2);
    const pct = (x) => (x == null ? '' : (x * 100).toFixed(1) + ' %');
    renderTable(el, rows.map((r) => ({ oblast: r.name, code: r.code, km2: r.area_km2, share: pct(r.share_of_unit), change_km2: r.change_km2 })), ['oblast', 'code', 'km2', 'share', 'change_km2']);
    document.getElementById('csv-units').href = csvLink('/territory/units', params);
  } catch (e) {
    el.innerHTML = `<p class="note">${e.message}</p>`;
  }
}

document.getElementById('play').addEventListener('click', () => {
  const btn = document.getElementById('play');
  const slider = document.getElementById('slider');
  if (playing) {
    clearInterval(playing);
    playing = null;
    btn.textContent = '▶';
    return;
  }
  btn.textContent = '⏸';
  playing = setInterval(() => {
    const next = (Number(slider.value) + 1) % Math.max(days.length, 1);
    slider.value = String(next);
    showDay(days[next]);
  }, 700);
});

async function loadCategories() {
  const sel = document.getElementById('category');
  try {
    const cats = await get('/categories');
    const names = [...new Set(cats.map((c) => c.category))];
    sel.innerHTML = names.map((n) => `<option value="${n}">${n}</option>`).join('');
    sel.value = names.includes(state.category) ? state.category : names[0];
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
      get(`/series/${encodeURIComponent(category)}`, { rolling: 7 }),
      get(`/records/${encodeURIComponent(category)}`, { since: '2022-04-01' }),
    ]);
    seriesChart(rows, records);
    renderTable(document.getElementById('table-records'), records.slice().reverse(), ['date', 'value', 'previous_record', 'streak', 'flags']);
    document.getElementById('csv-records').href = csvLink(`/records/${encodeURIComponent(category)}`, { since: '2022-04-01' });
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
      const within = status === 'liberated' ? 'RU' : undefined;
      const rows = await get('/territory/area', { status, within }).catch(() => get('/territory/area', { status }));
      areaChart(rows, status);
    } catch (e) {
      message('chart-area', e.message);
    }
    try {
      changeChart(await get('/territory/change', { status: 'occupied', period: 'week' }));
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

async function loadHandovers(day) {
  const to = new Date(day + 'T00:00:00Z');
  const from = new Date(to.getTime() - 30 * 86400000).toISOString().slice(0, 10);
  const params = { from: from < days[0] ? days[0] : from, to: day };
  try {
    renderTable(document.getElementById('table-handovers'), await get('/territory/handovers', params), ['name', 'from_status', 'to_status', 'date', 'population']);
    document.getElementById('csv-handovers').href = csvLink('/territory/handovers', params);
  } catch (e) {
    document.getElementById('table-handovers').innerHTML = `<p class="note">${e.message}</p>`;
  }
}

async function loadNowcast() {
  try {
    const lag = await get('/lag', { source: 'oryx', period: 'month' });
    lagChart(lag);
    // Nowcast as of the last day with any publication.
    const published = await get('/losses/count', { source: 'oryx', by: 'published', period: 'day' });
    const asOf = published.at(-1)?.period;
    nowcastChart(await get('/nowcast', { source: 'oryx', as_of: asOf, period: 'week', recent: 12 }));
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
    backfillChart(await get('/backfill', { subject: 'Ukraine', period: 'month', from: '2024-01-01' }));
  } catch (e) {
    message('chart-backfill', `No named-list vintages imported (${e.message}).`);
  }
  try {
    namedChart(await get('/compare/personnel', { claimed: 'ua-general-staff', named: 'mediazona', period: 'month' }));
  } catch (e) {
    message('chart-named', `No named list of Russia's dead imported (${e.message}).`);
  }
  try {
    const alerts = await get('/lag', { source: 'oryx', period: 'month', alerts: true });
    renderTable(document.getElementById('table-lag-alerts'), alerts.slice().reverse(), ['period', 'cause', 'detail']);
    document.getElementById('csv-lag-alerts').href = csvLink('/lag', { source: 'oryx', period: 'month', alerts: true });
  } catch (e) {
    document.getElementById('table-lag-alerts').innerHTML = `<p class="note">${e.message}</p>`;
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

// Claims of the ledger with their verdicts, on today's data and on the
// data of the day they were made; a claim's link opens the map and charts
// at its day, status or category (its permalink).
async function loadClaims() {
  const el = document.getElementById('table-claims');
  let rows;
  try {
    rows = await get('/claims/check');
  } catch (e) {
    el.innerHTML = `<p class="note">${e.message}</p>`;
    return;
  }
  const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const badge = (v) => `<span class="verdict ${esc(v)}">${esc(v)}</span>`;
  const body = rows
    .map((r, i) => {
      const view = new URLSearchParams((r.permalink || '').split('#')[1] || '');
      const open = view.get('date') ? ` <a href="${esc(r.permalink)}" data-claim="${i}">map</a>` : '';
      const measured = r.measured == null ? esc(r.reason) : esc(r.measured);
      const then = r.verdict_then === r.verdict && r.measured_then === r.measured
        ? '<span class="note">same</span>'
        : `${badge(r.verdict_then)} ${r.measured_then == null ? esc(r.reason_then) : esc(r.measured_then)}`;
      const detail = r.detail ? `<br><span class="note">${esc(r.detail)}</span>` : '';
      return `<tr><td>${badge(r.verdict)}</td><td>${esc(r.speaker)}</td><td>${esc(r.said_on)}</td>` +
        `<td class="quote">“${esc(r.quote)}” <a href="${esc(r.source_url)}" target="_blank" rel="noopener">source</a></td>` +
        `<td>${esc(r.claimed)}</td><td>${esc(r.metric)}${open}</td><td class="num" title="${esc(r.method)}">${measured}${detail}</td><td>${then}</td></tr>`;
    })
    .join('');
  el.innerHTML = `<table><thead><tr><th>verdict</th><th>speaker</th><th>said on</th><th>quote</th><th>claimed</th><th>about</th><th>measured</th><th>on its day</th></tr></thead><tbody>${body}</tbody></table>`;
  document.getElementById('csv-claims').href = csvLink('/claims/check');
  el.querySelectorAll('a[data-claim]').forEach((a) =>
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      const view = new URLSearchParams(rows[Number(a.dataset.claim)].permalink.split('#')[1]);
      openView(view);
      document.getElementById('map').scrollIntoView();
    }),
  );
}

// Applies a claim's view: its status or category, then its day (the
// nearest map on or before it).
function openView(view) {
  const status = view.get('status');
  if (status && document.getElementById('status')) {
    const sel = document.getElementById('status');
    sel.value = status;
    sel.dispatchEvent(new Event('change'));
  }
  const category = view.get('category');
  const catSel = document.getElementById('category');
  if (category && catSel && [...catSel.options].some((o) => o.value === category)) {
    catSel.value = category;
    catSel.dispatchEvent(new Event('change'));
  }
  const day = view.get('date');
  const i = days.findLastIndex((d) => d <= day);
  if (i >= 0) {
    const slider = document.getElementById('slider');
    slider.value = String(i);
    showDay(days[i]);
  }
}

writeState(state);
loadHealth();
loadCategories();
loadNowcast();
loadNamed();
loadSources();
