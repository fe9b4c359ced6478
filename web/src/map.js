// The control map: a time slider over the snapshot days, settlements by
// status with their names, located losses, a second mapper compared. It
// needs no internet: the basemap is drawn from the imported country
// outlines and the labels from a bundled font. Its data come from
// source.js, live or exported alike.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { ask, askUrl } from './api.js';
import { writeState } from './state.js';
import { h, outLink, fillSelect } from './dom.js';
import { t } from './i18n.js';
import { FONT, FONT_FACES, PLACE_TIERS, nameField, tierFilter } from './labels.js';
import { state, maps } from './page.js';
import {
  tiled, comparable, empty, snapshots, firstAsked, addTiles, controlMap, placesOn, placeHistory, comparison,
  controlLayerSource, placeLayerSource, onDay, dayFrom,
} from './source.js';

// MapLibre 6 loads its worker from a separate module; ship it with the page.
maplibregl.setWorkerUrl(workerUrl);

const STATUS_COLOR = ['match', ['get', 'status'], 'occupied', '#d1495b', 'liberated', '#2e86de', 'contested', '#9aa0a6', '#ffffff'];
const PLACE_LAYERS = PLACE_TIERS.flatMap(([id]) => [`places-${id}`, `labels-${id}`]);
const LOSS_LAYERS = ['losses-clusters', 'losses-count', 'losses'];
export const LAYER_GROUPS = { control: ['control', 'control-edge'], places: PLACE_LAYERS, losses: LOSS_LAYERS };
// Below this zoom the first view fetches only towns of 20,000 and more, and
// no loss points: what it does not show, it does not download.
const DETAIL_ZOOM = 7;

export const map = new maplibregl.Map({
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

// The layers filtered by day when the tiles hold every day.
const dayFilters = new Map();
// What the page does when a day is shown, and once the map is up.
let hooks = { onDay: () => {}, onReady: () => {} };

// Starts the map; `onDay(day)` runs after each day is drawn, `onReady()`
// once, when the first day is.
export function startMap(given) {
  hooks = given;
  map.on('load', addLayers);
}

async function addLayers() {
  document.getElementById('map').dataset.loadMs = String(Math.round(performance.now()));
  // The theatre only: Russia's whole outline would triple the first view.
  map.addSource('boundaries', { type: 'geojson', data: askUrl('boundaries') });
  await addTiles(map);
  for (const s of ['control', 'control2', 'gap', 'places']) map.addSource(s, { type: 'geojson', data: empty });
  map.addSource('losses', { type: 'geojson', data: empty, cluster: true, clusterRadius: 36, clusterMaxZoom: 11 });
  map.addLayer({ id: 'land', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#f4f1ea' } });
  map.addLayer({ id: 'borders', type: 'line', source: 'boundaries', paint: { 'line-color': '#8c8577', 'line-width': 1 } });
  map.addLayer({ id: 'control', type: 'fill', ...controlLayerSource, paint: { 'fill-color': STATUS_COLOR, 'fill-opacity': 0.45 } });
  map.addLayer({ id: 'control-edge', type: 'line', ...controlLayerSource, paint: { 'line-color': STATUS_COLOR, 'line-width': 1 } });
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
      id: `places-${id}`, type: 'circle', ...placeLayerSource, minzoom, filter: tierFilter(lo, hi),
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
      id: `labels-${id}`, type: 'symbol', ...placeLayerSource, minzoom, filter: tierFilter(lo, hi),
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
  if (tiled) setDayFilters(firstAsked);
  applyLayers();
  await loadSnapshots();
  const el = document.getElementById('map');
  el.dataset.readyMs = String(Math.round(performance.now()));
  el.dataset.ready = 'true';
  hooks.onReady();
}

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

async function loadPlaces(day) {
  const fc = await placesOn(day, placesDetail ? 500 : 20000);
  if (!fc) return;
  map.getSource('places')?.setData(fc);
  document.getElementById('map').dataset.places = String(fc.features.length);
}

function popup(e, layer) {
  const p = e.features[0].properties;
  const lang = state.lang;
  let content;
  // A tile's piece knows its days, not the whole layer's area.
  if (layer === 'control' && tiled) content = h('div', {}, h('b', {}, t(p.status, lang)), h('br'), `${t('since', lang)} ${dayFrom(p.from)}`);
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
    const rows = await placeHistory(map, id, maps.mapper, maps.days);
    const lang = state.lang;
    el.replaceChildren(h('b', {}, t('history', lang)), h('ul', {}, rows.map((r) => h('li', {}, `${t('since', lang)} ${r.date}: ${t(r.status, lang)}`,
      r.snapshot ? [' ', h('span', { class: 'note' }, `(${t('map', lang)} ${String(r.snapshot).slice(11, 16)} UTC)`)] : []))));
    el.dataset.loaded = String(rows.length);
  } catch (err) {
    el.textContent = err.message;
  }
}

// Shows the layer groups the view names.
export function applyLayers() {
  const on = new Set(state.layers.split(','));
  for (const [id, layers] of Object.entries(LAYER_GROUPS)) {
    document.getElementById(`layer-${id}`).checked = on.has(id);
    const vis = on.has(id) ? 'visible' : 'none';
    for (const l of layers) if (map.getLayer(l)) map.setLayoutProperty(l, 'visibility', vis);
  }
}

// Place labels in the page's language.
export function labelLanguage(lang) {
  for (const [id] of PLACE_TIERS) if (map.getLayer(`labels-${id}`)) map.setLayoutProperty(`labels-${id}`, 'text-field', nameField(lang));
}

// A second mapper's outline and the ground only one of the two draws.
async function loadCompare(day) {
  if (!comparable) return;
  const other = state.compare;
  const mapper = maps.mapper;
  const note = document.getElementById('compare-note');
  if (!other || !mapper || !day) {
    map.getSource('control2')?.setData(empty);
    map.getSource('gap')?.setData(empty);
    note.textContent = '';
    return;
  }
  try {
    const [outline, gap] = await comparison(mapper, other, day);
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
    const s = await snapshots;
    maps.days = s.days;
    window.frontlineDays = maps.days;
    maps.mapper = s.mapper;
    fillCompare(s.mappers || []);
  } catch (e) {
    document.getElementById('map-note').textContent = `No control maps in this database (${e.message}). Outlines and settlements only.`;
    await loadPlaces(undefined);
    return;
  }
  const days = maps.days;
  slider.max = String(days.length - 1);
  const i = days.indexOf(state.date);
  slider.value = String(i >= 0 ? i : days.length - 1);
  slider.addEventListener('input', () => showDay(days[Number(slider.value)]));
  await showDay(days[Number(slider.value)]);
}

// The mappers other than the page's own, offered for comparison.
function fillCompare(all) {
  const sel = document.getElementById('compare');
  const others = comparable ? all.filter((m) => m !== maps.mapper) : [];
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

// The tiled layers show the features valid on the day.
function setDayFilters(day) {
  for (const [id, base] of dayFilters) map.setFilter(id, base ? ['all', base, onDay(day)] : onDay(day));
}

// Draws a day; `data-redraw-ms` on the map says how long from the request
// to the map idle again (the browser test holds it to a budget).
export async function showDay(day) {
  const started = performance.now();
  state.date = day;
  document.getElementById('date-label').textContent = day;
  writeState(state);
  const control = controlMap(day).then((fc) => {
    if (!fc) setDayFilters(day);
    else if (state.date === day) map.getSource('control')?.setData(fc);
  });
  await Promise.all([control, loadPlaces(day), loadCompare(day)]);
  if (state.date !== day) return;
  const el = document.getElementById('map');
  map.once('idle', () => {
    el.dataset.redrawMs = String(Math.round(performance.now() - started));
    el.dataset.date = day;
  });
  map.triggerRepaint();
  hooks.onDay(day);
}

// Plays the days in turn, or stops.
let playing = null;
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
    const next = (Number(slider.value) + 1) % Math.max(maps.days.length, 1);
    slider.value = String(next);
    showDay(maps.days[next]);
  }, 700);
});

// Shows the day of a view (the nearest map on or before it).
export function showNearest(day) {
  const i = maps.days.findLastIndex((d) => d <= day);
  if (i >= 0) {
    document.getElementById('slider').value = String(i);
    showDay(maps.days[i]);
  }
}
