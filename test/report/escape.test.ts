import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { code, guardLine, jsonText, logText, md, plain } from '../../src/lib/escape';
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

// Autolinks: GFM links `https://…`, `www.…` and emails; mail clients and chat previews also link
// bare domains. None may become a link, and the visible text stays what the pull request wrote.
const HOSTILE_LINKS = [
  'https://evil.example/x',
  'see http://evil.com/login?next=/',
  'ftp://files.evil.com',
  'www.evil.com',
  'WWW.EVIL.COM/path',
  'www.1evil.io',
  '(www.evil.com)',
  '*www.evil.com*',
  '_www.evil.com_',
  '~www.evil.com~',
  'evil.com',
  'acme.co.uk/path',
  'dana@acme.com',
  'mailto:dana@acme.com',
  'xmpp:dana@acme.com/phone',
  '<https://evil.com>',
  '<dana@acme.com>',
  '[click](https://evil.com)',
  '[click]: https://evil.com',
  '![x](https://evil.com/p.png)',
  'https:\u2060//evil.com pre-broken by the author',
  'h\u200bttps://evil.com',
  'www.\u2060evil.com',
];

describe('md: no live links', () => {
  it.each(HOSTILE_LINKS)('%j renders with no <a> and the same visible text', (s) => {
    const html = toHtml(`x ${md(s)}`);
    expect(html).not.toContain('<a');
    expect(html).not.toMatch(/<img/);
    // Control and invisible characters the author wrote are shown escaped (\u200b), never raw.
    expect(visible(html)).toBe(`x ${plain(s)}`);
  });

  it('also inside a table cell and a list item', () => {
    const html = toHtml([`- ${md('www.evil.com and dana@acme.com')}`, '', '| a |', '|---|', `| ${md('https://evil.com www.evil.com')} |`].join('\n'));
    expect(html).not.toContain('<a');
    expect(tables(html)[0]!.rows[0]).toHaveLength(1);
  });

  it('leaves numbers alone: a dot between digits gets no joiner', () => {
    expect(md('accuracy 0.94 below 0.95, v1.2.3')).toBe('accuracy 0.94 below 0.95, v1.2.3');
  });

  it('property: no string made of link-ish pieces becomes a link', () => {
    const pieces = ['www', '.', 'evil', 'com', '://', 'http', 'https', '@', 'mailto:', ' ', '/', '(', ')', '<', '>', '_', '*', '~', '-', '1', 'xn--p1ai', '\u2060', '\\', '`'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const html = toHtml(`x ${md(parts.join(''))}`);
        expect(html, parts.join('')).not.toContain('<a');
      }),
      { numRuns: 2000 },
    );
  });

  it('shows control characters and bidi overrides escaped, never raw', () => {
    const out = md('a\u001b[31mred\u202eevil\u2028x\u0000');
    expect(out).not.toMatch(new RegExp(`[${'\u0000'}-${'\u001f'}\u202e\u2028]`));
    expect(visible(toHtml(out))).toBe('a\\x1b[31mred\\u202eevil\\u2028x\\x00');
    const c = code('a\u001bb\u202ec');
    expect(c).toBe('`a\\x1bb\\u202ec`');
  });
});

describe('plain, logText, guardLine, jsonText: log and terminal text', () => {
  it('plain escapes C0, C1, DEL, CR, LF, separators, bidi and invisible characters visibly', () => {
    expect(plain('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(plain('\r\n\t\u007f\u0085\u009b')).toBe('\\r\\n\\t\\x7f\\x85\\x9b');
    expect(plain('\u2028\u2029\u202a\u202e\u2066\u2069\u200e\u200f\u061c\u200b\u2060\ufeff')).toBe(
      '\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c\\u200b\\u2060\\ufeff',
    );
    expect(plain('ok ✔ café 👩‍💻 日本')).toBe('ok ✔ café 👩‍💻 日本');
  });

  it.each(['::add-mask::secret', '::stop-commands::tok', '  ::error file=a.ts,title=x::boom', '\u00a0\u3000::warning::x', '##[group]fake', ' ##[error]fake'])(
    'a line %j cannot start a workflow command',
    (line) => {
      const out = guardLine(line);
      expect(out.trimStart()).not.toMatch(/^(::|##\[)/);
      expect(out).toMatch(/\\x3a|\\x23/);
    },
  );

  it('guardLine leaves ordinary lines (and `::` later in a line) unchanged', () => {
    for (const line of ['a::b', 'x ::y', ':single', '#[x]', '## heading', '']) expect(guardLine(line)).toBe(line);
  });

  it('logText keeps newlines and the renderer colours, escapes every other sequence', () => {
    const ESC = '\u001b';
    const out = logText(`${ESC}[31mFAIL${ESC}[0m ok\nnext ${ESC}[8mhidden ${ESC}]8;;https://evil.com${ESC}\\link ${ESC}[2J\r::add-mask::x\n  ::stop-commands::t`);
    expect(out).toBe(`${ESC}[31mFAIL${ESC}[0m ok\nnext \\x1b[8mhidden \\x1b]8;;https://evil.com\\x1b\\link \\x1b[2J\\r::add-mask::x\n  \\x3a:stop-commands::t`);
    expect(logText(`${ESC}[31mx`, { colour: false })).toBe('\\x1b[31mx');
  });

  it('property: no logText line is a workflow command or holds a control character but the colours', () => {
    const ESC = '\u001b';
    const allowed = new RegExp(`${ESC}\\[(?:0|31|32|33|36|90)m`, 'g');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...[':', '#', '[', ' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u0085', '\u00a0', '\u2028', ESC, 'a', '3', '1', 'm']), maxLength: 30 }), (s) => {
        const out = logText(s);
        for (const line of out.split('\n')) {
          expect(line.trimStart()).not.toMatch(/^(::|##\[)/);
          expect(line.replace(allowed, '')).not.toMatch(new RegExp(`[${ESC}\\r\\u000b\\u000c\\u0085\\u2028]`));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('jsonText is the same JSON value with C1, separators and bidi as \\u escapes', () => {
    const value = { name: 'a\u009b2J\u2028b\u202ec\u001b', n: 1, list: ['x\ny'] };
    const text = jsonText(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(new RegExp(`[\u0080-\u009f\u2028\u202e${'\u001b'}]`));
    expect(text).toContain('\\u009b');
  });
});
