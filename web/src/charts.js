// Charts drawn with uPlot: daily series with a 7-day mean and record days,
// area over time, weekly gains and losses, nowcast with its interval band.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, note } from './dom.js';

const charts = {};
const ts = (d) => Date.parse(d + 'T00:00:00Z') / 1000;

function width(el) {
  return Math.max(300, el.clientWidth - 4);
}

function draw(id, opts, data) {
  const el = document.getElementById(id);
  charts[id]?.destroy();
  el.replaceChildren();
  charts[id] = new uPlot({ width: width(el), height: 200, ...opts }, data, el);
  el.dataset.rendered = 'true';
}

// A dashed line at each break of a series (#23: where it starts, takes
// over merged categories or stops), so no one reads a level across it.
function breakLines(days) {
  return {
    hooks: {
      draw: (u) => {
        const { ctx } = u;
        ctx.save();
        ctx.strokeStyle = '#b35c00';
        ctx.setLineDash([4, 4]);
        for (const d of days) {
          const x = Math.round(u.valToPos(ts(d), 'x', true));
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

export function seriesChart(rows, records) {
  const recordAt = new Map(records.map((r) => [r.date, r.value]));
  const x = rows.map((r) => ts(r.date));
  // The breaks, said in words under the chart (text from the answer, never markup).
  const breaks = rows.filter((r) => r.break);
  const list = document.getElementById('series-breaks');
  list.replaceChildren(...breaks.map((r) => h('li', { 'data-date': r.date }, `${r.date} — ${r.break}`)));
  draw(
    'chart-series',
    {
      plugins: [breakLines(breaks.map((r) => r.date))],
      series: [
        {},
        { label: 'daily', stroke: '#8aa4c8', width: 1 },
        { label: '7-day mean', stroke: '#1d2330', width: 2 },
        { label: 'record day', stroke: '#d1495b', width: 0, points: { show: true, size: 7, fill: '#d1495b' } },
      ],
    },
    [x, rows.map((r) => r.value), rows.map((r) => r.rolling_mean), rows.map((r) => recordAt.get(r.date) ?? null)],
  );
}

export function areaChart(rows, status) {
  draw(
    'chart-area',
    { series: [{}, { label: `${status} km²`, stroke: status === 'occupied' ? '#d1495b' : status === 'liberated' ? '#2e86de' : '#777', width: 2 }] },
    [rows.map((r) => ts(r.date)), rows.map((r) => r.area_km2)],
  );
}

export function changeChart(rows) {
  const bars = uPlot.paths.bars({ size: [0.6, 40] });
  draw(
    'chart-change',
    {
      series: [
        {},
        { label: 'gained km²', stroke: '#d1495b', fill: '#d1495b88', paths: bars },
        { label: 'lost km²', stroke: '#2e86de', fill: '#2e86de88', paths: bars },
      ],
    },
    [rows.map((r) => ts(r.from)), rows.map((r) => r.gained_km2), rows.map((r) => -r.lost_km2)],
  );
}

// One line per column over time: `day` picks a row's day, each column its
// style and `value`; `options` are uPlot's (scales, bands, axes).
function lines(id, rows, day, columns, options = {}) {
  const series = [{}, ...columns.map(({ value, ...style }) => style)];
  draw(id, { series, ...options }, [rows.map((r) => ts(day(r))), ...columns.map((c) => rows.map(c.value))]);
}

export function lagChart(rows) {
  // A log axis: a lag of under half a day is drawn at half a day.
  lines('chart-lag', rows, (r) => r.period, [
    { label: 'median', stroke: '#1d2330', width: 2, value: (r) => Math.max(r.median_days, 0.5) },
    { label: '90th percentile', stroke: '#8aa4c8', width: 1, value: (r) => Math.max(r.p90_days, 0.5) },
  ], { scales: { y: { distr: 3 } } });
}

export function nowcastChart(rows) {
  lines('chart-nowcast', rows, (r) => r.period, [
    { label: 'observed', stroke: '#555', width: 2, value: (r) => r.observed },
    { label: 'estimate', stroke: '#d1495b', width: 2, dash: [6, 4], value: (r) => r.estimate },
    { label: '5 %', stroke: '#d1495b55', value: (r) => r.lower },
    { label: '95 %', stroke: '#d1495b55', value: (r) => r.upper },
  ], { bands: [{ series: [4, 3], fill: '#d1495b22' }] });
}

// One line per vintage: how each period's count grew as the list filled in.
export function backfillChart(rows) {
  const vintages = [...new Set(rows.map((r) => r.vintage))].sort();
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const at = new Map(rows.map((r) => [r.period + '|' + r.vintage, r.killed]));
  const shades = ['#c6d4e8', '#8aa4c8', '#4f6d99', '#1d2330', '#d1495b'];
  draw(
    'chart-backfill',
    {
      series: [
        {},
        ...vintages.map((v, i) => ({ label: `vintage ${v}`, stroke: shades[Math.max(0, shades.length - vintages.length + i)], width: 2 })),
      ],
    },
    [periods.map(ts), ...vintages.map((v) => periods.map((p) => at.get(p + '|' + v) ?? null))],
  );
}

// Claimed (killed and wounded) and named (dead) per period, and their ratio.
export function namedChart(rows) {
  lines('chart-named', rows, (r) => r.from, [
    { label: 'claimed, killed and wounded', stroke: '#d1495b', width: 2, value: (r) => r.claimed },
    { label: 'named dead (latest vintage)', stroke: '#1d2330', width: 2, value: (r) => r.named },
  ], {
    scales: { y: { distr: 3 } },
    // Room for "10,000" on a log axis.
    axes: [{}, { size: 72 }],
  });
}

export function message(id, text) {
  const el = document.getElementById(id);
  charts[id]?.destroy();
  delete charts[id];
  note(el, text);
}
