import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanInventory } from '../../src/evidence/inventory';

const DIR = join(import.meta.dirname, '../fixtures/inventory/formats');
const read = (p: string): string | undefined => {
  try {
    return readFileSync(join(DIR, p), 'utf8');
  } catch {
    return undefined;
  }
};

/** Scan one fixture file (nothing covered, nothing ignored) → [line, package] pairs. */
function hits(file: string): [number, string][] {
  return scanInventory([file], read, { manifestDirs: [], ignore: [] }).map((f) => [f.line, f.package ?? '']);
}

describe('dependency formats (fixtures, exact lines)', () => {
  it('package.json: the four dependency sections, with aliases, nothing else', () => {
    expect(hits('package.json')).toEqual([
      [10, 'openai'],
      [11, '@langchain/openai'],
      [15, '@google/genai'],
      [18, 'ai'],
      [19, '@ai-sdk/anthropic'],
      [23, 'ollama'],
      [26, '@anthropic-ai/sdk'],
    ]);
    const f = scanInventory(['package.json'], read, { manifestDirs: [], ignore: [] });
    expect(f[0]).toEqual({
      file: 'package.json',
      line: 10,
      kind: 'dependency',
      ecosystem: 'npm',
      package: 'openai',
      pattern: 'openai',
      section: 'dependencies',
      detail: 'npm package "openai" in dependencies — OpenAI API client',
    });
    expect(f.map((x) => x.section)).toEqual([
      'dependencies',
      'dependencies',
      'dependencies',
      'devDependencies',
      'devDependencies',
      'optionalDependencies',
      'peerDependencies',
    ]);
  });

  it('requirements.txt: comments, options, extras, markers, hashes, continuations, URLs, egg, wheels', () => {
    expect(hits('requirements.txt')).toEqual([
      [6, 'openai'],
      [7, 'Anthropic'],
      [8, 'langchain_community'],
      [11, 'litellm'],
      [16, 'openai-whisper'],
      [17, 'llama-index-llms-openai'],
      [18, 'llama_index.core'],
      [19, 'vllm'],
      [20, 'sentence_transformers'],
      [21, 'transformers'],
      [23, 'dspy-ai'],
    ]);
  });

  it('pyproject.toml: PEP 621, optional deps, Poetry (groups, sub-tables), PEP 735, uv; not build-system or prose', () => {
    const f = scanInventory(['pyproject.toml'], read, { manifestDirs: [], ignore: [] });
    expect(f.map((x) => [x.line, x.package, x.section])).toEqual([
      [15, 'openai', 'project.dependencies'],
      [16, 'llama-index-core', 'project.dependencies'],
      [21, 'transformers', 'project.optional-dependencies.local'],
      [23, 'dspy', 'project.optional-dependencies.agents'],
      [28, 'mistralai', 'tool.poetry.dependencies'],
      [29, 'Cohere', 'tool.poetry.dependencies'],
      [33, 'huggingface_hub', 'tool.poetry.group.dev.dependencies'],
      [35, 'groq', 'tool.poetry.dependencies'],
      [39, 'instructor', 'dependency-groups.eval'],
      [39, 'haystack-ai', 'dependency-groups.eval'],
      [43, 'guidance', 'tool.uv.dev-dependencies'],
    ]);
  });

  it('Pipfile: packages, dev-packages, custom categories; not scripts or requires', () => {
    expect(hits('Pipfile')).toEqual([
      [8, 'openai'],
      [9, 'langchain-openai'],
      [13, 'ollama'],
      [16, 'vllm'],
    ]);
  });

  it('setup.cfg: install_requires (multi-line, comments, blank lines, markers) and extras_require', () => {
    expect(hits('setup.cfg')).toEqual([
      [10, 'openai'],
      [11, 'sentence-transformers'],
      [13, 'litellm'],
      [17, 'vllm'],
      [20, 'groq'],
    ]);
  });

  it('go.mod: single require, require block, major-version suffix; not indirect, replace or exclude', () => {
    expect(hits('go.mod')).toEqual([
      [5, 'github.com/sashabaranov/go-openai'],
      [9, 'github.com/anthropics/anthropic-sdk-go'],
      [10, 'github.com/openai/openai-go/v2'],
    ]);
  });

  it('pom.xml: line of the artifactId, any child order, comments ignored, plugins are not dependencies', () => {
    expect(hits('pom.xml')).toEqual([
      [13, 'dev.langchain4j:langchain4j-open-ai'],
      [24, 'com.anthropic:anthropic-java'],
    ]);
  });

  it('build.gradle.kts: call form, platform(), named arguments, mavenBom with nested quotes; not comments or buildscript classpath', () => {
    expect(hits('build.gradle.kts')).toEqual([
      [7, 'org.springframework.ai:spring-ai-bom'],
      [8, 'org.springframework.ai:spring-ai-openai-spring-boot-starter'],
      [11, 'dev.langchain4j:langchain4j'],
      [21, 'org.springframework.ai:spring-ai-bom'],
    ]);
  });

  it('build.gradle (Groovy): string form, api, map form; not a comment after a URL string', () => {
    expect(hits('build.gradle')).toEqual([
      [2, 'com.openai:openai-java'],
      [3, 'com.anthropic:anthropic-java'],
      [4, 'com.theokanning.openai-gpt3-java:service'],
    ]);
  });

  it('gradle/libs.versions.toml: module, coordinate string and group/name forms', () => {
    expect(hits('gradle/libs.versions.toml')).toEqual([
      [5, 'com.openai:openai-java'],
      [7, 'dev.langchain4j:langchain4j'],
      [8, 'org.springframework.ai:spring-ai-core'],
    ]);
  });
});
