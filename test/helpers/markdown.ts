// Renders GitHub-flavoured Markdown to HTML (micromark + GFM) and inspects tables, as GitHub would.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/** HTML as GitHub would produce it before sanitising: raw HTML in the Markdown passes through. */
export function toHtml(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

export interface HtmlTable {
  header: string[];
  rows: string[][];
}

function cells(rowHtml: string, tag: 'th' | 'td'): string[] {
  const re = new RegExp(`<${tag}(?: [^>]*)?>([^]*?)</${tag}>`, 'g');
  return [...rowHtml.matchAll(re)].map((m) => m[1]!);
}

export function tables(html: string): HtmlTable[] {
  return [...html.matchAll(/<table>([^]*?)<\/table>/g)].map((t) => {
    const body = t[1]!;
    const head = /<thead>([^]*?)<\/thead>/.exec(body)?.[1] ?? '';
    const tbody = /<tbody>([^]*?)<\/tbody>/.exec(body)?.[1] ?? '';
    return { header: cells(head, 'th'), rows: [...tbody.matchAll(/<tr>([^]*?)<\/tr>/g)].map((r) => cells(r[1]!, 'td')) };
  });
}

/** Strips tags and decodes the entities micromark writes, for comparing visible text. */
export function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
