// View state kept in the URL hash, so every view has a permalink.
const defaults = { date: '', category: 'personnel', status: 'liberated', layers: 'control,places,losses', lang: '', compare: '' };

export function readState() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const s = { ...defaults };
  for (const k of Object.keys(defaults)) if (params.has(k)) s[k] = params.get(k);
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
