// The one way anything reaches the page: as text. Data from a file, a
// source, a user or a URL (category names, place names, claim quotes, error
// messages echoing a request) is put in text nodes, never parsed as HTML;
// links taken from data are followed only when they are http(s). Nothing in
// web/src writes HTML from a string (tests/no-html.test.mjs checks it).

// An element with attributes and children; a child that is not a Node
// becomes a text node, whatever it holds.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'href') {
      const safe = safeHref(v);
      if (safe) node.setAttribute('href', safe);
    } else if (/^on/i.test(k)) {
      throw new Error(`h(): event handler attribute ${k} refused`);
    } else {
      node.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// The URL if it is http(s) (relative ones resolve against the page), else
// null: `javascript:`, `data:` and the like are never followed.
export function safeHref(u) {
  if (typeof u !== 'string' || u.trim() === '') return null;
  try {
    const url = new URL(u, document.baseURI);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// A link out of the page from data: a new tab, no opener, no referrer;
// plain text when the URL is not http(s).
export function outLink(href, text) {
  const safe = safeHref(href);
  if (!safe) return h('span', { class: 'note', title: 'link withheld: not an http(s) address' }, text);
  return h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, text);
}

// Replaces an element's content with a short note (an error message, say).
export function note(el, text) {
  el.replaceChildren(h('p', { class: 'note' }, text));
}

// Fills a <select> with options of (value, label) pairs.
export function fillSelect(sel, pairs) {
  sel.replaceChildren(...pairs.map(([value, label, attrs = {}]) => h('option', { value, ...attrs }, label)));
}
