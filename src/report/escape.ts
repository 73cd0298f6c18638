// Strings from manifests, policies and eval files are untrusted: escape them before they reach
// Markdown. No raw HTML, no live @mentions or #references, no broken table cells, no headings.
const ZWJ = '\u2060'; // word joiner: invisible, but breaks GitHub's mention and reference autolinks

export function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/@/g, `@${ZWJ}`)
    .replace(/#/g, `#${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`);
}

/** Inline code for a value that is best shown literally (a path, a key); backticks cannot break out. */
export function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ').replace(/`/g, 'ˋ');
  return `\`${clean.replace(/@/g, `@${ZWJ}`)}\``;
}
