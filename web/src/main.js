// Frontline's page: the control map (map.js) with the charts and tables
// below it (panels.js), over answers from the live API or a static export
// (source.js, api.js). This module wires them to the view kept in the URL
// hash (page.js, state.js) and to the page's language.
import './style.css';
import { writeState } from './state.js';
import { fillSelect } from './dom.js';
import { LANGS, remember, translatePage } from './i18n.js';
import { state, maps } from './page.js';
// The data source first: its early requests go out before the map starts.
import './source.js';
import { LAYER_GROUPS, applyLayers, labelLanguage, showNearest, startMap } from './map.js';
import { loadBelowTheMap, loadEvents, loadHandovers, loadUnits } from './panels.js';
import { STATIC } from './api.js';

startMap({
  onDay: (day) => {
    loadHandovers(day);
    loadUnits(day);
  },
  onReady: () => loadBelowTheMap(openView),
});

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
  labelLanguage(lang);
  if (state.date && maps.days.length) {
    loadUnits(state.date);
    // Event titles come in the page's language.
    loadEvents(openView);
  }
  writeState(state);
}
const langSel = document.getElementById('lang');
fillSelect(langSel, Object.entries(LANGS));
langSel.addEventListener('change', () => setLanguage(langSel.value));
setLanguage(state.lang);

// The knowledge day (#23): every answer is asked as of it (api.js), and the
// page says so. Changing it reloads the page's answers from the link.
function setKnowledge() {
  const input = document.getElementById('as-of');
  const today = new Date().toISOString().slice(0, 10);
  if (STATIC) {
    // An export holds the answers of the day it was built.
    document.getElementById('as-of-control').hidden = true;
    return;
  }
  input.max = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  input.value = state.as_of;
  const note = document.getElementById('as-of-note');
  note.hidden = !state.as_of;
  document.getElementById('as-of-day').textContent = state.as_of;
  const reload = (day) => {
    state.as_of = day && day < today ? day : '';
    writeState(state);
    window.location.reload();
  };
  input.addEventListener('change', () => reload(input.value));
  document.getElementById('as-of-today').addEventListener('click', (e) => {
    e.preventDefault();
    reload('');
  });
}
setKnowledge();

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
  if (day) showNearest(day);
}

writeState(state);
