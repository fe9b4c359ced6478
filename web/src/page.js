// What the parts of the page share: the view (kept in the URL hash, so
// every view has a permalink) and the control maps' days and mapper, once
// the snapshots are known.
import { readState } from './state.js';
import { pickLang } from './i18n.js';

export const state = readState();
state.lang = pickLang(state.lang);

// Filled by the map when the snapshot list arrives.
export const maps = { days: [], mapper: null };
