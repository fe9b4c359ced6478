// Place labels drawn offline: MapLibre renders glyphs itself from the font
// files the style declares (`font-faces`), here Noto Sans (SIL Open Font
// License, bundled by the page build), so no glyph server and no internet.
import latin from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import latinExt from '@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff2?url';
import cyrillic from '@fontsource/noto-sans/files/noto-sans-cyrillic-400-normal.woff2?url';

export const FONT = 'Noto Sans Regular';

// Unicode ranges as @fontsource's own CSS gives them.
export const FONT_FACES = {
  [FONT]: [
    { url: latin, 'unicode-range': ['U+0000-00FF', 'U+0131', 'U+0152-0153', 'U+02BB-02BC', 'U+02C6', 'U+02DA', 'U+02DC', 'U+2000-206F', 'U+20AC', 'U+2122', 'U+2212'] },
    { url: latinExt, 'unicode-range': ['U+0100-02BA', 'U+02BD-02C5', 'U+02C7-02CC', 'U+02CE-02D7', 'U+02DD-02FF', 'U+1E00-1E9F'] },
    { url: cyrillic, 'unicode-range': ['U+0301', 'U+0400-045F', 'U+0490-0491', 'U+04B0-04B1', 'U+2116'] },
  ],
};

// A place's name in the chosen language, else the gazetteer's own.
export function nameField(lang) {
  return lang === 'en' ? ['get', 'name'] : ['coalesce', ['get', `name_${lang}`], ['get', 'name']];
}

// Settlement density by zoom: the big towns first, villages close in.
// [id, population range, first zoom]
export const PLACE_TIERS = [
  ['major', 50000, Infinity, 0],
  ['mid', 10000, 50000, 7],
  ['minor', 0, 10000, 8.5],
];

export function tierFilter(lo, hi) {
  const pop = ['coalesce', ['get', 'population'], 0];
  return ['all', ['>=', pop, lo], ['<', pop, hi]];
}
