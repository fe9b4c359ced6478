// Where the map's data come from: the live API (one GeoJSON answer per day)
// or a static export (`frontline export site`: every day in one tile
// archive, filtered per day, and answers as files). The map asks here and
// tests neither; answers by name go through api.js, which does the same for
// the panels.
import * as maplibregl from 'maplibre-gl';
import { STATIC, get, ask } from './api.js';
import { state } from './page.js';

// Days live in the tiles (filtered per day) rather than in a day's answer.
export const tiled = Boolean(STATIC);
// Comparing a second mapper needs the server: an export holds one mapper's tiles.
export const comparable = !STATIC;

export const empty = { type: 'FeatureCollection', features: [] };

// The first view's data, asked for at once, before the map library starts
// (it holds the main thread a while): the snapshot days, and the map and
// towns of the linked day, or of today, which the last map stands for.
export const snapshots = ask('snapshots');
snapshots.catch(() => {});
const linkedDay = Boolean(state.date);
export const firstAsked = state.date || new Date().toISOString().slice(0, 10);
const early = new Map(tiled ? [] : [
  ['control', get('/territory/control', { date: firstAsked })],
  ['places 20000', get('/places', { date: firstAsked, min_population: 20000 })],
]);
for (const p of early.values()) p.catch(() => {});
const firstDay = snapshots.then((s) => (s.days.includes(state.date) ? state.date : s.days.at(-1))).catch(() => null);
// The PMTiles protocol, loaded only by a static export's page.
const pmtiles = tiled
  ? import('pmtiles').then(({ Protocol }) => maplibregl.addProtocol('pmtiles', new Protocol().tile))
  : null;

// The early request for the first day shown, once; else a new one. The
// day asked for early stands for the first day shown when it is that day,
// or today and the first day shown is the last map's.
async function fetchOnce(key, day, path, params) {
  const p = early.get(key);
  early.delete(key);
  if (p && (day === firstAsked || (!linkedDay && day === (await firstDay)))) return p;
  return get(path, params);
}

// Where the control and place layers read from: the tile archive, or the
// GeoJSON sources the map fills per day.
export const controlLayerSource = tiled ? { source: 'tiles', 'source-layer': 'control' } : { source: 'control' };
export const placeLayerSource = tiled ? { source: 'tiles', 'source-layer': 'places' } : { source: 'places' };

// Adds the tile archive to the map, when there is one.
export async function addTiles(map) {
  if (!tiled) return;
  await pmtiles;
  map.addSource('tiles', { type: 'vector', url: `pmtiles://${new URL(STATIC, document.baseURI).href}` });
}

// A day's control map, or null when the tiles hold it.
export function controlMap(day) {
  if (tiled) return Promise.resolve(null);
  return fetchOnce('control', day, '/territory/control', { date: day }).catch(() => empty);
}

// A day's places of at least `minPopulation`, or null when the tiles hold them.
export function placesOn(day, minPopulation) {
  if (tiled) return Promise.resolve(null);
  const params = { date: day, min_population: minPopulation };
  return fetchOnce(`places ${minPopulation}`, day, '/places', params).catch(() => empty);
}

// Tiles hold every date; a feature shows while `from` <= day < `to` (days
// since 1970-01-01).
export const dayNumber = (day) => Math.floor(Date.parse(day + 'T00:00:00Z') / 86400000);
export const dayFrom = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
export const onDay = (day) => ['all', ['<=', ['get', 'from'], dayNumber(day)], ['>', ['get', 'to'], dayNumber(day)]];

// A settlement's every change of status: from the server, or from the
// tiles themselves (one feature per spell of one status, loaded once the
// map has settled on the place).
export async function placeHistory(map, id, mapper, days) {
  if (!tiled) return get(`/places/${encodeURIComponent(id)}/history`, { mapper: mapper || undefined });
  if (!map.loaded()) await new Promise((r) => map.once('idle', r));
  const spells = new Map();
  for (const f of map.querySourceFeatures('tiles', { sourceLayer: 'places', filter: ['==', ['get', 'id'], Number(id)] })) {
    spells.set(f.properties.from, f.properties.status);
  }
  return [...spells.entries()].sort(([a], [b]) => a - b).map(([from, status]) => ({ date: dayFrom(Math.max(from, dayNumber(days[0] || '1970-01-01'))), status }));
}

// A second mapper's outline on a day and the ground only one of the two draws.
export function comparison(mapper, other, day) {
  const q = { status: 'occupied', mappers: `${mapper},${other}`, date: day };
  return Promise.all([get('/territory/control', { mapper: other, date: day }), get('/territory/compare/polygons', q)]);
}
