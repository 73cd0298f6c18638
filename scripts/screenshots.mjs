#!/usr/bin/env node
// Renders docs/comments/*.md as GitHub shows a pull request comment: micromark + GFM to HTML,
// GitHub's Markdown CSS (github-markdown-css), headless Chromium from Debian's packages
// (`apt-get install -y chromium`), one PNG per comment in docs/comments/img/. <details> stay
// closed, as a reviewer first sees them. Not run in CI: run it after `node scripts/comments.mjs`.
//   npm install --no-save github-markdown-css@5   (if it is not installed)
//   apt-get install -y fonts-noto-color-emoji     (the verdict icons, as GitHub shows them)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docs = path.join(root, 'docs', 'comments');
const out = path.join(docs, 'img');
const css = path.join(root, 'node_modules', 'github-markdown-css', 'github-markdown-light.css');
const chromium = process.env.CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!existsSync(css)) throw new Error('github-markdown-css is missing: npm install --no-save github-markdown-css@5');
if (!chromium) throw new Error('Chromium is missing: apt-get install -y chromium (or set CHROMIUM)');

const WIDTH = 900; // about the width of a comment in a pull request's conversation tab
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-extensions', '--disable-sync', '--no-first-run', '--hide-scrollbars', '--mute-audio', '--force-device-scale-factor=1'];

function page(markdown, measure) {
  // GitHub keeps the raw HTML it allows (<details>, <summary>, <sub>, comments) and renders GFM.
  const body = micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  const script = measure ? '<script>addEventListener("load", () => { document.body.dataset.height = Math.ceil(document.querySelector(".comment").getBoundingClientRect().bottom) + 1; });</script>' : '';
  return `<!doctype html><html><head><meta charset="utf-8"><style>${readFileSync(css, 'utf8')}
body { margin: 0; background: #fff; }
.comment { box-sizing: border-box; width: ${WIDTH}px; margin: 0; padding: 16px 24px; border: 1px solid #d1d9e0; border-radius: 6px; }
.markdown-body { font-size: 14px; }</style>${script}</head>
<body><div class="comment"><article class="markdown-body">${body}</article></div></body></html>`;
}

mkdirSync(out, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), 'lm-shots-'));
try {
  for (const f of readdirSync(docs).filter((x) => x.endsWith('.md')).sort()) {
    const markdown = readFileSync(path.join(docs, f), 'utf8').replace(/^<!-- Generated[^\n]*-->\n/, '');
    const html = path.join(work, f.replace(/\.md$/, '.html'));
    // First pass: the page's height; second: a screenshot of exactly that.
    writeFileSync(html, page(markdown, true));
    const dom = execFileSync(chromium, [...FLAGS, `--window-size=${WIDTH + 2},800`, '--dump-dom', `file://${html}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 1200);
    writeFileSync(html, page(markdown, false));
    const png = path.join(out, f.replace(/\.md$/, '.png'));
    execFileSync(chromium, [...FLAGS, `--window-size=${WIDTH + 2},${height}`, `--screenshot=${png}`, `file://${html}`], { stdio: 'ignore' });
    console.log(`${path.relative(root, png)} (${WIDTH + 2}×${height})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
