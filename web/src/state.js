// View state kept in the URL hash, so every view has a permalink. A link is
// anyone's to write: each value is checked here against what it may be, and
// one that fails falls back to the default (category and mapper names are
// checked again against the stored ones before any use).
// `as_of` pins the knowledge day (#23): a link quoted in an article keeps
// showing what it showed.
const defaults = { date: '', category: 'personnel', status: 'liberated', layers: 'control,places,losses', lang: '', compare: '', as_of: '' };

const LAYERS = ['control', 'places', 'losses'];
// A name as the sources write them: letters, digits, spaces and a little
// punctuation; never markup or a URL.
const NAME = /^[\p{L}\p{N} _.,()'-]{1,80}$/u;
const VALID = {
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v + 'T00:00:00Z')),
  category: (v) => NAME.test(v),
  status: (v) => ['liberated', 'occupied', 'contested'].includes(v),
  layers: (v) => v === '' || v.split(',').every((l) => LAYERS.includes(l)),
  lang: (v) => ['en', 'uk', 'ru'].includes(v),
  compare: (v) => NAME.test(v),
  // A past day (the server refuses a future one, and so does this).
  as_of: (v) => VALID.date(v) && v < new Date().toISOString().slice(0, 10),
};

export function readState() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const s = { ...defaults };
  for (const k of Object.keys(defaults)) {
    const v = params.get(k);
    if (v !== null && VALID[k](v)) s[k] = v;
  }
  return s;
}

export function writeState(s) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v) params.set(k, v);
  const hash = '#' + params.toString();
  history.replaceState(null, '', hash);
  const link = document.getElementById('permalink');
  if (link) link.href = window.location.pathname + hash;
}

// A claim's view (its permalink's hash), checked the same way.
export function checkedView(params) {
  const out = new URLSearchParams();
  for (const k of Object.keys(defaults)) {
    const v = params.get(k);
    if (v !== null && VALID[k](v)) out.set(k, v);
  }
  return out;
}
