// Frontline's page: a control map with a time slider over snapshot dates,
// settlements by status with their names, located losses; charts; tables.
// It needs no internet: the basemap is drawn from the imported country
// outlines and the labels from a bundled font.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import './style.css';
import { STATIC, answerUrl, get, csvLink, ask, askUrl, askCsv } from './api.js';
import { readState, writeState, checkedView } from './state.js';
import { renderTable } from './tables.js';
import { h, note, outLink, fillSelect } from './dom.js';
import { seriesChart, areaChart, changeChart, lagChart, nowcastChart, backfillChart, namedChart, message } from './charts.js';
import { LANGS, pickLang, remember, t, translatePage } from './i18n.js';
import { FONT, FONT_FACES, PLACE_TIERS, nameField, tierFilter } from './labels.js';

// MapLibre 6 loads its worker from a separate module; ship it with the page.
maplibregl.setWorkerUrl(workerUrl);

const state = readState();
state.lang = pickLang(state.lang);
let days = [];
let mapper = null;
let playing = null;

const STATUS_COLOR = ['match', ['get', 'status'], 'occupied', '#d1495b', 'liberated', '#2e86de', 'contested', '#9aa0a6', '#ffffff'];
const PLACE_LAYERS = PLACE_TIERS.flatMap(([id]) => [`places-${id}`, `labels-${id}`]);
const LOSS_LAYERS = ['losses-clusters', 'losses-count', 'losses'];
const LAYER_GROUPS = { control: ['control', 'control-edge'], places: PLACE_LAYERS, losses: LOSS_LAYERS };
// Below this zoom the first view fetches only towns of 20,000 and more, and
// no loss points: what it does not show, it does not download.
const DETAIL_ZOOM = 7;

// The first view's data, asked for at once, before the map library starts
// (it holds the main thread a while): the snapshot days, and the map and
// towns of the linked day, or of today, which the last map stands for.
const snapshotsAnswer = ask('snapshots');
snapshotsAnswer.catch(() => {});
const linkedDay = Boolean(state.date);
const firstAsked = state.date || new Date().toISOString().slice(0, 10);
// A static export draws the map and the places from its tile archive.
const early = new Map(STATIC ? [] : [
  ['control', get('/territory/control', { date: firstAsked })],
  ['places 20000', get('/places', { date: firstAsked, min_population: 20000 })],
]);
const tilesReady = STATIC ? usePmtiles() : null;
for (const p of early.values()) p.catch(() => {});
const firstDay = snapshotsAnswer.then((s) => (s.days.includes(state.date) ? state.date : s.days.at(-1))).catch(() => null);

const map = new maplibregl.Map({
  container: 'map',
  style: {
    version: 8,
    'font-faces': FONT_FACES,
    sources: {},
    layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#dde6f0' } }],
  },
  center: [36.5, 48.6],
  zoom: 5.6,
  // Labels appear at once: a fade would hold every redraw 300 ms longer.
  fadeDuration: 0,
  attributionControl: { customAttribution: 'Outlines: Natural Earth · Places: GeoNames (CC-BY) · Control: as imported · Font: Noto Sans (OFL)' },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
// The browser test drives the map through it (zoom, project a place).
window.frontlineMap = map;

const empty = { type: 'FeatureCollection', features: [] };

// The PMTiles protocol, loaded only by a static export's page.
async function usePmtiles() {
  const { Protocol } = await import('pmtiles');
  maplibregl.addProtocol('pmtiles', new Protocol().tile);
}

// Tiles hold every date; a feature shows while `from` <= day < `to` (days
// since 1970-01-01).
const dayNumber = (day) => Math.floor(Date.parse(day + 'T00:00:00Z') / 86400000);
const dayFrom = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
const onDay = (day) => ['all', ['<=', ['get', 'from'], dayNumber(day)], ['>', ['get', 'to'], dayNumber(day)]];
// Where the control and place layers read from: the tile archive, or the
// GeoJSON the live server answers per day.
const controlSource = STATIC ? { source: 'tiles', 'source-layer': 'control' } : { source: 'control' };
const placeSource = STATIC ? { source: 'tiles', 'source-layer': 'places' } : { source: 'places' };
const dayFilters = new Map();
// The early request for the first day shown, once; else a new one. The
// day asked for early stands for the first day shown when it is that day,
// or today and the first day shown is the last map's.
async function fetchOnce(key, day, path, params) {
  const p = early.get(key);
  early.delete(key);
  if (p && (day === firstAsked || (!linkedDay && day === (await firstDay)))) return p;
  return get(path, params);
}

map.on('load', async () => {
  document.getElementById('map').dataset.loadMs = String(Math.round(performance.now()));
  // The theatre only: Russia's whole outline would triple the first view.
  map.addSource('boundaries', { type: 'geojson', data: askUrl('boundaries') });
  if (STATIC) {
    await tilesReady;
    map.addSource('tiles', { type: 'vector', url: `pmtiles://${new URL(STATIC, document.baseURI).href}` });
  }
  for (const s of ['control', 'control2', 'gap', 'places']) map.addSource(s, { type: 'geojson', data: empty });
  map.addSource('losses', { type: 'geojson', data: empty, cluster: true, clusterRadius: 36, clusterMaxZoom: 11 });
  map.addLayer({ id: 'land', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#f4f1ea' } });
  map.addLayer({ id: 'borders', type: 'line', source: 'boundaries', paint: { 'line-color': '#8c8577', 'line-width': 1 } });
  map.addLayer({ id: 'control', type: 'fill', ...controlSource, paint: { 'fill-color': STATUS_COLOR, 'fill-opacity': 0.45 } });
  map.addLayer({ id: 'control-edge', type: 'line', ...controlSource, paint: { 'line-color': STATUS_COLOR, 'line-width': 1 } });
  dayFilters.set('control', null).set('control-edge', null);
  map.addLayer({
    id: 'gap', type: 'fill', source: 'gap',
    paint: { 'fill-color': ['case', ['==', ['get', 'side'], 'a'], '#f28e2b', '#7b3294'], 'fill-opacity': 0.75 },
  });
  map.addLayer({
    id: 'control2-edge', type: 'line', source: 'control2', filter: ['==', ['get', 'status'], 'occupied'],
    paint: { 'line-color': '#3b1f5c', 'line-width': 1.6, 'line-dasharray': [2, 1.5] },
  });
  for (const [id, lo, hi, minzoom] of PLACE_TIERS) {
    map.addLayer({
      id: `places-${id}`, type: 'circle', ...placeSource, minzoom, filter: tierFilter(lo, hi),
      paint: {
        'circle-color': STATUS_COLOR,
        'circle-stroke-color': '#333', 'circle-stroke-width': 0.6,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['coalesce', ['get', 'population'], 0]], 0, 2, 100, 3.5, 1200, 9],
      },
    });
  }
  map.addLayer({
    id: 'losses-clusters', type: 'circle', source: 'losses', filter: ['has', 'point_count'],
    paint: { 'circle-color': '#1d2330', 'circle-opacity': 0.75, 'circle-radius': ['step', ['get', 'point_count'], 9, 10, 12, 50, 16, 200, 21] },
  });
  map.addLayer({
    id: 'losses-count', type: 'symbol', source: 'losses', filter: ['has', 'point_count'],
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': [FONT], 'text-size': 11, 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff' },
  });
  map.addLayer({
    id: 'losses', type: 'circle', source: 'losses', filter: ['!', ['has', 'point_count']],
    paint: { 'circle-color': '#1d2330', 'circle-radius': 3, 'circle-opacity': 0.8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.5 },
  });
  // Labels above everything; the bigger town wins where two collide (the
  // topmost layer is placed first, so the major tier goes on last).
  for (const [id, lo, hi, minzoom] of PLACE_TIERS.slice().reverse()) {
    map.addLayer({
      id: `labels-${id}`, type: 'symbol', ...placeSource, minzoom, filter: tierFilter(lo, hi),
      layout: {
        'text-field': nameField(state.lang), 'text-font': [FONT],
        'text-size': id === 'major' ? 13 : id === 'mid' ? 12 : 11,
        'text-anchor': 'top', 'text-offset': [0, 0.6], 'text-max-width': 8,
        'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]],
      },
      paint: { 'text-color': '#1d2330', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
    });
  }
  for (const [id, lo, hi] of PLACE_TIERS) dayFilters.set(`places-${id}`, tierFilter(lo, hi)).set(`labels-${id}`, tierFilter(lo, hi));
  for (const id of ['control', 'losses', 'losses-clusters', ...PLACE_TIERS.map(([id]) => `places-${id}`)]) {
    map.on('click', id, (e) => popup(e, id));
    map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
  }
  map.on('moveend', onZoom);
  // Until the first day is chosen the archive's layers show that day's
  // guess, never every date at once.
  if (STATIC) setDayFilters(firstAsked);
  applyLayers();
  await loadSnapshots();
  const el = document.getElementById('map');
  el.dataset.readyMs = String(Math.round(performance.now()));
  el.dataset.ready = 'true';
  loadBelowTheMap();
});

// More places, and the loss points, once the reader zooms in.
let placesDetail = false;
let lossesLoaded = false;
function onZoom() {
  const detail = map.getZoom() >= DETAIL_ZOOM;
  if (detail && !lossesLoaded) {
    lossesLoaded = true;
    ask('located').then((fc) => map.getSource('losses').setData(fc)).catch(() => {});
  }
  if (detail !== placesDetail) {
    placesDetail = detail;
    if (state.date) loadPlaces(state.date);
  }
}

function loadPlaces(day) {
  if (STATIC) return Promise.resolve();
  const params = { date: day, min_population: placesDetail ? 500 : 20000 };
  return fetchOnce(`places ${params.min_population}`, day, '/places', params)
    .catch(() => empty)
    .then((fc) => {
      map.getSource('places')?.setData(fc);
      document.getElementById('map').dataset.places = String(fc.features.length);
    });
}

function popup(e, layer) {
  const p = e.features[0].properties;
  const lang = state.lang;
  let content;
  // A tile's piece knows its days, not the whole layer's area.
  if (layer === 'control' && STATIC) content = h('div', {}, h('b', {}, t(p.status, lang)), h('br'), `${t('since', lang)} ${dayFrom(p.from)}`);
  else if (layer === 'control') content = h('div', {}, h('b', {}, t(p.status, lang)), h('br'), `${p.area_km2} km²`, h('br'), `snapshot ${p.snapshot}`);
  else if (layer.startsWith('places-')) {
    placePopup(p, e.lngLat);
    return;
  } else if (layer === 'losses-clusters') {
    map.easeTo({ center: e.features[0].geometry.coordinates, zoom: map.getZoom() + 2 });
    return;
  } else {
    let urls = [];
    try {
      urls = JSON.parse(p.proof_urls || '[]');
    } catch {
      urls = [];
    }
    content = h('div', {}, h('b', {}, p.model), ` (${p.category})`, h('br'), `${p.status}, ${p.side}`, h('br'),
      `event ${p.event_date ?? ''} · published ${p.published_date ?? ''}`, h('br'), `source ${p.source}`, h('br'),
      (Array.isArray(urls) ? urls : []).flatMap((u) => [outLink(String(u), 'proof'), ' ']));
  }
  new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(content).addTo(map);
}

// A settlement's popup: its name in the page's language, status on the
// map's day (when known) and its history.
function placePopup(p, lngLat) {
  const lang = state.lang;
  const name = (lang !== 'en' && p[`name_${lang}`]) || p.name;
  const status = p.status ? [h('br'), `${t('status', lang)}: ${t(p.status, lang)}`] : [];
  const content = h('div', {}, h('b', {}, name), h('br'), p.admin1 ?? '', h('br'), `${t('population', lang)} ${p.population ?? ''}`, status,
    h('div', { class: 'history', 'data-place': p.id }, `${t('history', lang)}…`));
  const pop = new maplibregl.Popup().setLngLat(lngLat).setDOMContent(content).addTo(map);
  if (p.id != null) showHistory(pop, p.id);
}

// Finding a settlement by name, from the keyboard: the list of every place
// is fetched the first time the box gets focus (not in the first view).
const search = document.getElementById('place-search');
let allPlaces = null;
search.addEventListener('focus', async () => {
  if (allPlaces) return;
  allPlaces = (await ask('places').catch(() => empty)).features;
  const label = (f) => `${f.properties.name} (${f.properties.admin1 ?? f.properties.country ?? ''})`;
  document.getElementById('place-list').replaceChildren(...allPlaces.map((f) => h('option', { value: label(f) })));
  search.dataset.places = String(allPlaces.length);
  search.onchange = () => {
    const f = allPlaces.find((x) => label(x) === search.value) ||
      allPlaces.find((x) => x.properties.name.toLowerCase() === search.value.trim().toLowerCase());
    if (!f) return;
    const at = f.geometry.coordinates;
    map.jumpTo({ center: at, zoom: Math.max(map.getZoom(), 9) });
    placePopup({ ...f.properties, status: undefined }, at);
  };
});

// A settlement's every change of status, with the first map showing it.
async function showHistory(pop, id) {
  const el = pop.getElement()?.querySelector('.history');
  if (!el) return;
  try {
    const rows = STATIC ? await historyFromTiles(id) : await get(`/places/${encodeURIComponent(id)}/history`, { mapper: mapper || undefined });
    const lang = state.lang;
    el.replaceChildren(h('b', {}, t('history', lang)), h('ul', {}, rows.map((r) => h('li', {}, `${t('since', lang)} ${r.date}: ${t(r.status, lang)}`,
      r.snapshot ? [' ', h('span', { class: 'note' }, `(${t('map', lang)} ${String(r.snapshot).slice(11, 16)} UTC)`)] : []))));
    el.dataset.loaded = String(rows.length);
  } catch (err) {
    el.textContent = err.message;
  }
}

// In a static export a place's history is in the tiles themselves: one
// feature per spell of one status. The place's tiles are loaded once the
// map has settled on it.
async function historyFromTiles(id) {
  if (!map.loaded()) await new Promise((r) => map.once('idle', r));
  const spells = new Map();
  for (const f of map.querySourceFeatures('tiles', { sourceLayer: 'places', filter: ['==', ['get', 'id'], Number(id)] })) {
    spells.set(f.properties.from, f.properties.status);
  }
  return [...spells.entries()].sort(([a], [b]) => a - b).map(([from, status]) => ({ date: dayFrom(Math.max(from, dayNumber(days[0] || '1970-01-01'))), status }));
}

function applyLayers() {
  const on = new Set(state.layers.split(','));
  for (const [id, layers] of Object.entries(LAYER_GROUPS)) {
    document.getElementById(`layer-${id}`).checked = on.has(id);
    const vis = on.has(id) ? 'visible' : 'none';
    for (const l of layers) if (map.getLayer(l)) map.setLayoutProperty(l, 'visibility', vis);
  }
}

for (const id of Object.keys(LAYER_GROUPS)) {
  document.getElementById(`layer-${id}`).addEventListener('change', () => {
    const on = Object.keys(LAYER_GROUPS).filter((l) => document.getElementById(`layer-${l}`).checked);
    state.layers = on.join(',');
    applyLayers();
    writeState(state);
  });
}

// The language of the page's words and of the place labels.
function setLanguage(lang) {
  state.lang = lang;
  remember(lang);
  translatePage(lang);
  document.getElementById('lang').value = lang;
  for (const [id] of PLACE_TIERS) if (map.getLayer(`labels-${id}`)) map.setLayoutProperty(`labels-${id}`, 'text-field', nameField(lang));
  if (state.date && days.length) loadUnits(state.date);
  writeState(state);
}
const langSel = document.getElementById('lang');
fillSelect(langSel, Object.entries(LANGS));
langSel.addEventListener('change', () => setLanguage(langSel.value));
setLanguage(state.lang);

// A second mapper's outline and the ground only one of the two draws.
async function loadCompare(day) {
  if (STATIC) return;
  const other = state.compare;
  const note = document.getElementById('compare-note');
  if (!other || !mapper || !day) {
    map.getSource('control2')?.setData(empty);
    map.getSource('gap')?.setData(empty);
    note.textContent = '';
    return;
  }
  try {
    const q = { status: 'occupied', mappers: `${mapper},${other}`, date: day };
    const [outline, gap] = await Promise.all([get('/territory/control', { mapper: other, date: day }), get('/territory/compare/polygons', q)]);
    for (const f of gap.features) f.properties.side = f.properties.only === mapper ? 'a' : 'b';
    map.getSource('control2')?.setData(outline);
    map.getSource('gap')?.setData(gap);
    const km2 = (who) => gap.features.find((f) => f.properties.only === who)?.properties.area_km2 ?? 0;
    note.textContent = `occupied, ${day}: only ${mapper} ${km2(mapper)} km², only ${other} ${km2(other)} km² (${other}'s map of ${outline.features[0]?.properties.snapshot?.slice(0, 10) ?? '?'})`;
    document.getElementById('map').dataset.compared = other;
  } catch (e) {
    map.getSource('control2')?.setData(empty);
    map.getSource('gap')?.setData(empty);
    note.textContent = e.message;
  }
}

async function loadSnapshots() {
  const slider = document.getElementById('slider');
  try {
    const s = await snapshotsAnswer;
    days = s.days;
    window.frontlineDays = days;
    mapper = s.mapper;
    fillCompare(s.mappers || []);
  } catch (e) {
    document.getElementById('map-note').textContent = `No control maps in this database (${e.message}). Outlines and settlements only.`;
    await loadPlaces(undefined);
    return;
  }
  slider.max = String(days.length - 1);
  const i = days.indexOf(state.date);
  slider.value = String(i >= 0 ? i : days.length - 1);
  slider.addEventListener('input', () => showDay(days[Number(slider.value)]));
  await showDay(days[Number(slider.value)]);
}

// The mappers other than the page's own, offered for comparison.
function fillCompare(all) {
  const sel = document.getElementById('compare');
  // A static export holds one mapper's tiles: comparing needs the server.
  const others = STATIC ? [] : all.filter((m) => m !== mapper);
  fillSelect(sel, [['', t('nobody', state.lang), { 'data-i18n': 'nobody' }], ...others.map((m) => [m, m])]);
  sel.disabled = others.length === 0;
  if (!others.includes(state.compare)) state.compare = '';
  sel.value = state.compare;
  sel.onchange = () => {
    state.compare = sel.value;
    writeState(state);
    loadCompare(state.date);
  };
}

// A static export's layers show the features valid on the day.
function setDayFilters(day) {
  for (const [id, base] of dayFilters) map.setFilter(id, base ? ['all', base, onDay(day)] : onDay(day));
}

// Draws a day; `data-redraw-ms` on the map says how long from the request
// to the map idle again (the browser test holds it to a budget).
async function showDay(day) {
  const started = performance.now();
  state.date = day;
  document.getElementById('date-label').textContent = day;
  writeState(state);
  const control = STATIC
    ? Promise.resolve(setDayFilters(day))
    : fetchOnce('control', day, '/territory/control', { date: day })
      .catch(() => empty)
      .then((fc) => state.date === day && map.getSource('control')?.setData(fc));
  await Promise.all([control, loadPlaces(day), loadCompare(day)]);
  if (state.date !== day) return;
  const el = document.getElementById('map');
  map.once('idle', () => {
    el.dataset.redrawMs = String(Math.round(performance.now() - started));
    el.dataset.date = day;
  });
  map.triggerRepaint();
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
    // The oblast's name in the page's language (Natural Earth gives all three).
    const lang = state.lang;
    renderTable(el, rows.map((r) => ({ oblast: (lang !== 'en' && r[`name_${lang}`]) || r.name, code: r.code, km2: r.area_km2, share: pct(r.share_of_unit), change_km2: r.change_km2 })), ['oblast', 'code', 'km2', 'share', 'change_km2']);
    document.getElementById('csv-units').href = csvLink('/territory/units', params);
  } catch (e) {
    note(el, e.message);
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
    renderTable(document.getElementById('table-records'), records.slice().reverse(), ['date', 'value', 'previous_record', 'streak', 'flags']);
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

async function loadHandovers(day) {
  const to = new Date(day + 'T00:00:00Z');
  const from = new Date(to.getTime() - 30 * 86400000).toISOString().slice(0, 10);
  const params = { from: from < days[0] ? days[0] : from, to: day };
  try {
    renderTable(document.getElementById('table-handovers'), await get('/territory/handovers', params), ['name', 'from_status', 'to_status', 'date', 'population']);
    document.getElementById('csv-handovers').href = csvLink('/territory/handovers', params);
  } catch (e) {
    note(document.getElementById('table-handovers'), e.message);
  }
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

// Claims of the ledger with their verdicts, on today's data and on the
// data of the day they were made; a claim's link opens the map and charts
// at its day, status or category (its permalink).
async function loadClaims() {
  const el = document.getElementById('table-claims');
  let rows;
  try {
    rows = await ask('claims-check');
  } catch (e) {
    note(el, e.message);
    return;
  }
  // Verdicts are a known set: anything else gets no class of its own.
  const VERDICTS = new Set(['supported', 'overstated', 'understated', 'contradicted', 'not-checkable']);
  const badge = (v) => h('span', { class: VERDICTS.has(v) ? `verdict ${v}` : 'verdict' }, v);
  const body = rows.map((r) => {
    const view = checkedView(new URLSearchParams(String(r.permalink || '').split('#')[1] || ''));
    // The claim's view opens in this page (its hash is read, checked and
    // applied); the link itself is never followed.
    const open = view.get('date') ? h('a', { href: '#', 'data-claim': '' }, 'map') : null;
    open?.addEventListener('click', (ev) => {
      ev.preventDefault();
      openView(view);
      document.getElementById('map').scrollIntoView();
    });
    const then = r.verdict_then === r.verdict && r.measured_then === r.measured
      ? h('span', { class: 'note' }, 'same')
      : [badge(r.verdict_then), ' ', r.measured_then == null ? r.reason_then : r.measured_then];
    return h('tr', {},
      h('td', {}, badge(r.verdict)), h('td', {}, r.speaker), h('td', {}, r.said_on),
      h('td', { class: 'quote' }, `“${r.quote}” `, outLink(r.source_url, 'source')),
      h('td', {}, r.claimed), h('td', {}, r.metric, open ? [' ', open] : []),
      h('td', { class: 'num', title: r.method }, r.measured == null ? r.reason : r.measured, r.detail ? [h('br'), h('span', { class: 'note' }, r.detail)] : []),
      h('td', {}, then));
  });
  const head = ['verdict', 'speaker', 'said on', 'quote', 'claimed', 'about', 'measured', 'on its day'].map((c) => h('th', {}, c));
  el.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
  document.getElementById('csv-claims').href = askCsv('claims-check');
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

// The charts and tables, once the map is up: they are below it, and drawing
// them earlier would hold the map's first frame on the main thread.
function loadBelowTheMap() {
  loadHealth();
  loadCategories();
  loadNowcast();
  loadNamed();
  loadSources();
  loadAreaCharts();
  loadClaims();
}
