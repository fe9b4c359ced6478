// The page's words in English, Ukrainian and Russian. An element with
// `data-i18n="key"` shows the string of the chosen language; the choice is
// kept in the URL (`lang=`) and remembered in localStorage.
export const LANGS = { en: 'English', uk: 'Українська', ru: 'Русский' };

const STRINGS = {
  sub: { en: 'a war tracked from open sources', uk: 'війна за відкритими джерелами', ru: 'война по открытым источникам' },
  permalink: { en: 'permalink', uk: 'постійне посилання', ru: 'постоянная ссылка' },
  whatChanged: { en: 'What changed', uk: 'Що змінилося', ru: 'Что изменилось' },
  asOf: { en: 'data as of', uk: 'дані станом на', ru: 'данные на' },
  asOfNote: { en: 'Every answer on this page is what Frontline knew at the end of', uk: 'Кожна відповідь на цій сторінці — те, що Frontline знав наприкінці', ru: 'Каждый ответ на этой странице — то, что Frontline знал в конце' },
  asOfToday: { en: 'show today’s data', uk: 'показати сьогоднішні дані', ru: 'показать сегодняшние данные' },
  control: { en: 'control', uk: 'контроль', ru: 'контроль' },
  settlements: { en: 'settlements', uk: 'населені пункти', ru: 'населённые пункты' },
  losses: { en: 'losses', uk: 'втрати', ru: 'потери' },
  compareWith: { en: 'compare with', uk: 'порівняти з', ru: 'сравнить с' },
  nobody: { en: 'no second mapper', uk: 'без другої мапи', ru: 'без второй карты' },
  occupied: { en: 'occupied', uk: 'окуповано', ru: 'оккупировано' },
  liberated: { en: 'liberated', uk: 'звільнено', ru: 'освобождено' },
  contested: { en: 'contested', uk: 'невизначено', ru: 'не определено' },
  none: { en: 'none', uk: 'немає', ru: 'нет' },
  settlement: { en: 'settlement (size: population; colour: status)', uk: 'населений пункт (розмір: населення; колір: статус)', ru: 'населённый пункт (размер: население; цвет: статус)' },
  lossPoint: { en: 'located loss (a number: several nearby)', uk: 'втрата з місцем (число: кілька поруч)', ru: 'потеря с местом (число: несколько рядом)' },
  onlyFirst: { en: 'only the first mapper draws it', uk: 'лише перша мапа', ru: 'только первая карта' },
  onlySecond: { en: 'only the second mapper draws it', uk: 'лише друга мапа', ru: 'только вторая карта' },
  zoomNote: { en: 'Towns of 20,000 and more at this zoom; villages and loss points appear as you zoom in.', uk: 'Міста від 20 000 мешканців; села й точки втрат з’являються при наближенні.', ru: 'Города от 20 000 жителей; сёла и точки потерь появляются при приближении.' },
  history: { en: 'status history', uk: 'історія статусу', ru: 'история статуса' },
  population: { en: 'population', uk: 'населення', ru: 'население' },
  status: { en: 'status', uk: 'статус', ru: 'статус' },
  since: { en: 'from', uk: 'з', ru: 'с' },
  map: { en: 'map of', uk: 'мапа о', ru: 'карта в' },
  findPlace: { en: 'find a settlement', uk: 'знайти населений пункт', ru: 'найти населённый пункт' },
  dailyLosses: { en: 'Daily claimed losses', uk: 'Заявлені втрати за добу', ru: 'Заявленные потери за сутки' },
  areaHeld: { en: 'Area held', uk: 'Контрольована площа', ru: 'Контролируемая площадь' },
};

export function pickLang(hashLang) {
  const stored = (() => {
    try {
      return localStorage.getItem('frontline-lang');
    } catch {
      return null;
    }
  })();
  for (const l of [hashLang, stored, (navigator.language || '').slice(0, 2)]) if (l && LANGS[l]) return l;
  return 'en';
}

export function remember(lang) {
  try {
    localStorage.setItem('frontline-lang', lang);
  } catch {
    // Private windows may refuse storage; the URL still carries the choice.
  }
}

export function t(key, lang) {
  const s = STRINGS[key];
  return s ? s[lang] || s.en : key;
}

export function translatePage(lang) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, lang);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder, lang);
}
