// URL-style dependency specs (issue 13 item 10): an SDK installed from its repository or from an
// archive is found whatever name it is declared under.
import { describe, expect, it } from 'vitest';
import { scanInventory } from '../../src/evidence/inventory';
import { specTarget } from '../../src/evidence/inventory/specs';

const opts = { manifestDirs: ['covered'], ignore: [] };
const scan = (files: Record<string, string>) => scanInventory(Object.keys(files), (p) => files[p], opts);
const pkg = (deps: Record<string, string>): string => `{\n  "dependencies": ${JSON.stringify(deps, null, 4)}\n}\n`;

describe('specTarget', () => {
  it.each([
    ['github:openai/openai-node', 'npm', { repo: 'openai/openai-node' }],
    ['github:OpenAI/openai-node#v4.0.0', 'npm', { repo: 'openai/openai-node' }],
    ['openai/openai-node', 'npm', { repo: 'openai/openai-node' }],
    ['openai/openai-node#semver:^4', 'npm', { repo: 'openai/openai-node' }],
    ['git+https://github.com/openai/openai-node.git', 'npm', { repo: 'openai/openai-node' }],
    ['git+ssh://git@github.com/openai/openai-node.git#main', 'npm', { repo: 'openai/openai-node' }],
    ['git@github.com:anthropics/anthropic-sdk-python.git', 'pypi', { repo: 'anthropics/anthropic-sdk-python' }],
    ['git://github.com/langchain-ai/langchainjs.git', 'npm', { repo: 'langchain-ai/langchainjs' }],
    ['https://github.com/openai/openai-node/archive/refs/tags/v4.0.0.tar.gz', 'npm', { repo: 'openai/openai-node' }],
    ['https://codeload.github.com/openai/openai-node/tar.gz/main', 'npm', { repo: 'openai/openai-node' }],
    ['https://api.github.com/repos/openai/openai-node/tarball/v4', 'npm', { repo: 'openai/openai-node' }],
    ['https://example.com/pkgs/openai-4.0.0.tgz', 'npm', { archiveName: 'openai' }],
    ['https://registry.npmjs.org/@anthropic-ai/sdk/-/sdk-0.20.0.tgz', 'npm', { archiveName: '@anthropic-ai/sdk' }],
    ['https://files.pythonhosted.org/packages/ab/cd/openai-1.3.0-py3-none-any.whl', 'pypi', { archiveName: 'openai' }],
    ['https://example.com/litellm-1.40.0.tar.gz', 'pypi', { archiveName: 'litellm' }],
  ] as const)('%s → %j', (spec, eco, want) => {
    const got = specTarget(spec, eco);
    expect(got?.repo).toBe('repo' in want ? want.repo : undefined);
    expect(got?.archiveName).toBe('archiveName' in want ? want.archiveName : undefined);
  });

  it.each(['^4.0.0', '4.x', 'latest', 'file:../openai', '../vendor/openai', 'workspace:*', 'npm:openai@4', '', '~1.2', 'link:./x'])('%j is not a URL spec', (spec) => {
    expect(specTarget(spec, 'npm')).toBeUndefined();
  });
});

describe('inventory.unregistered sees through URL specs', () => {
  it('npm: github:, git+https, owner/repo shorthand, tarballs and aliases, under any name', () => {
    const findings = scan({
      'app/package.json': pkg({
        express: '^4',
        'totally-not-ai': 'github:openai/openai-node',
        openai: 'git+https://github.com/openai/openai-node.git',
        helper: 'langchain-ai/langchainjs#main',
        tarball: 'https://example.com/dl/openai-4.0.0.tgz',
        scoped: 'https://registry.npmjs.org/@anthropic-ai/sdk/-/sdk-0.20.0.tgz',
        foo: 'npm:openai@^4',
        other: 'github:acme/left-pad',
      }),
    });
    expect(findings.map((f) => [f.line, f.package, f.pattern])).toEqual([
      [4, 'totally-not-ai', 'openai'],
      [5, 'openai', 'openai'],
      [6, 'helper', 'langchain'],
      [7, 'tarball', 'openai'],
      [8, 'scoped', '@anthropic-ai/sdk'],
      [9, 'openai', 'openai'],
    ]);
    expect(findings[0]!.detail).toBe('npm package "totally-not-ai" in dependencies from github:openai/openai-node — OpenAI API client');
    // Matched by name: no "from".
    expect(findings[1]!.detail).toBe('npm package "openai" in dependencies — OpenAI API client');
  });

  it('requirements.txt: PEP 508 `name @ url`, bare VCS URLs and archives', () => {
    const findings = scan({
      'svc/requirements.txt': [
        'fastapi',
        'foo @ git+https://github.com/openai/openai-python.git@v1.0',
        'openai @ git+https://github.com/openai/openai-python',
        'git+https://github.com/anthropics/anthropic-sdk-python.git',
        '-e git+https://github.com/langchain-ai/langchain.git@master#subdirectory=libs/core',
        'bar @ https://example.com/litellm-1.40.0.tar.gz ; python_version >= "3.9"',
        'requests @ https://github.com/psf/requests/archive/main.zip',
      ].join('\n'),
    });
    expect(findings.map((f) => [f.line, f.package, f.pattern])).toEqual([
      [2, 'foo', 'openai'],
      [3, 'openai', 'openai'],
      [4, 'anthropic-sdk-python', 'anthropic'],
      [5, 'langchain', 'langchain'],
      [6, 'bar', 'litellm'],
    ]);
  });

  it('pyproject: PEP 621 `name @ url`, Poetry git and url sources', () => {
    const findings = scan({
      'svc/pyproject.toml': [
        '[project]',
        'dependencies = [',
        '  "helper @ git+https://github.com/anthropics/anthropic-sdk-python@main",',
        '  "httpx>=0.27",',
        ']',
        '[tool.poetry.dependencies]',
        'python = "^3.11"',
        'thing = { git = "https://github.com/BerriAI/litellm.git", tag = "v1" }',
        '[tool.poetry.dependencies.other]',
        'url = "https://example.com/vllm-0.5.0.tar.gz"',
      ].join('\n'),
    });
    expect(findings.map((f) => [f.line, f.package, f.pattern])).toEqual([
      [3, 'helper', 'anthropic'],
      [8, 'thing', 'litellm'],
      [9, 'other', 'vllm'],
    ]);
  });

  it('a covered folder stays covered; an unknown repository is not AI', () => {
    expect(scan({ 'covered/package.json': pkg({ x: 'github:openai/openai-node' }), 'b/package.json': pkg({ y: 'github:acme/openai-fork' }) })).toEqual([]);
  });
});
