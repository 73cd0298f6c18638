import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code, md } from '../../src/report/escape';
import { tables, text, toHtml } from '../helpers/markdown';

const WJ = '\u2060';

/** Visible text with the invisible word joiners removed. */
const visible = (html: string): string => text(html).replace(new RegExp(WJ, 'g'), '');

describe('md', () => {
  it('neutralises HTML: <script> shows as text, never as a tag', () => {
    const html = toHtml(`- ${md('<script>alert(1)</script> <img src=x onerror=alert(1)>')}`);
    expect(html).not.toMatch(/<script|<img/i);
    expect(visible(html)).toContain('<script>alert(1)</script> <img src=x onerror=alert(1)>');
  });

  it('does not ping @mentions or link #references', () => {
    const out = md('ask @someone or @acme/security about #123 and GH-1');
    expect(out).not.toMatch(/@[A-Za-z]/);
    expect(out).not.toMatch(/#\d/);
    expect(visible(toHtml(out))).toBe('ask @someone or @acme/security about #123 and GH-1');
  });

  it('breaks bare URLs and emails so they do not autolink', () => {
    const html = toHtml(md('see https://evil.example/x and dana@acme.com'));
    expect(html).not.toContain('<a ');
    expect(visible(html)).toBe('see https://evil.example/x and dana@acme.com');
  });

  it('keeps a table cell in one piece: | and newlines', () => {
    const user = 'a | b\nc\r\n| d |';
    const html = toHtml(['| x | y |', '|---|---|', `| ${md(user)} | end |`].join('\n'));
    const [t] = tables(html);
    expect(t!.header).toHaveLength(2);
    expect(t!.rows).toHaveLength(1);
    expect(t!.rows[0]).toHaveLength(2);
    expect(visible(t!.rows[0]![0]!)).toBe('a | b c | d |');
    expect(t!.rows[0]![1]).toBe('end');
  });

  it('a "# heading" stays text', () => {
    const html = toHtml(`> ${md('# heading')}\n\n${md('## second')}\n`);
    expect(html).not.toMatch(/<h\d/);
    expect(visible(html)).toContain('# heading');
  });

  it('neutralises emphasis, links, images and code fences', () => {
    const user = '**bold** _it_ [x](javascript:alert(1)) ![i](http://t/x.png) ```js';
    const html = toHtml(md(user));
    expect(html).not.toMatch(/<strong|<em|<a |<img|<code|<pre/);
    expect(visible(html)).toBe(user);
  });

  it('escapes entities so they stay literal', () => {
    expect(visible(toHtml(md('&lt;b&gt; &#64;x &amp;')))).toBe('&lt;b&gt; &#64;x &amp;');
  });

  it('property: any string renders as one paragraph of the same visible text, with no tag of its own', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab <>&@#|*_`[]()!\\\n:/-=+~{}.1 '.split('')), maxLength: 40 }), (s) => {
        const html = toHtml(`x ${md(s)}`);
        const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
        expect(tags.every((t) => t === 'p'), html).toBe(true);
        expect(visible(html).trim()).toBe(`x ${s.replace(/[\r\n]+/g, ' ')}`.trim());
      }),
      { numRuns: 300 },
    );
  });
});

describe('code', () => {
  it('shows a value literally in a code span that a backtick cannot break', () => {
    const html = toHtml(`see ${code('a`<b>`@x')}`);
    expect(html).toMatch(/^<p>see <code>[^<]*<\/code><\/p>\n?$/);
    expect(html).not.toContain('<b>');
    expect(visible(html)).toBe('see aˋ<b>ˋ@x');
  });

  it('does not ping a mention and stays on one line', () => {
    const out = code('@acme/security\nnext');
    expect(out).not.toMatch(/@[a-z]/);
    expect(out).not.toContain('\n');
  });
});
