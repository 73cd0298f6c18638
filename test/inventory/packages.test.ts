import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PACKAGES,
  compilePackageMatcher,
  normalizePackageName,
  normalizePypiName,
  validatePackagePattern,
} from '../../src/evidence/inventory';
import type { Ecosystem } from '../../src/evidence/inventory';

const builtin = compilePackageMatcher();
const matched = (eco: Ecosystem, name: string): string | undefined => builtin.match(eco, name)?.entry.name;

describe('built-in list', () => {
  it('holds every package the spec and the brief name', () => {
    const required: Record<Ecosystem, string[]> = {
      npm: [
        'openai', '@anthropic-ai/sdk', '@google/generative-ai', '@google/genai', '@mistralai/mistralai', 'cohere-ai',
        'langchain', '@langchain/*', 'llamaindex', 'ai', '@ai-sdk/*', '@huggingface/inference', '@xenova/transformers',
        '@huggingface/transformers', 'replicate', 'groq-sdk', 'ollama',
      ],
      pypi: [
        'openai', 'anthropic', 'langchain', 'langchain-*', 'llama-index', 'llama-index-*', 'transformers', 'litellm',
        'vllm', 'google-generativeai', 'google-genai', 'mistralai', 'cohere', 'sentence-transformers', 'huggingface-hub',
        'ollama', 'groq', 'dspy', 'haystack-ai', 'guidance', 'instructor',
      ],
      go: [
        'github.com/sashabaranov/go-openai', 'github.com/openai/openai-go', 'github.com/anthropics/anthropic-sdk-go',
        'github.com/tmc/langchaingo', 'github.com/google/generative-ai-go',
      ],
      maven: [
        'com.openai:openai-java', 'com.anthropic:anthropic-java', 'dev.langchain4j:*', 'com.theokanning.openai-gpt3-java:*',
        'org.springframework.ai:*',
      ],
    };
    for (const [eco, names] of Object.entries(required) as [Ecosystem, string[]][]) {
      for (const name of names) {
        expect(BUILTIN_PACKAGES.some((e) => e.ecosystem === eco && e.name === name), `${eco} ${name}`).toBe(true);
      }
    }
  });

  it('has valid, unique entries with a note each', () => {
    const ids = new Set<string>();
    for (const e of BUILTIN_PACKAGES) {
      expect(validatePackagePattern(e.ecosystem, e.name), e.name).toBeUndefined();
      expect(e.note.length).toBeGreaterThan(3);
      const id = `${e.ecosystem}:${normalizePackageName(e.ecosystem, e.name)}`;
      expect(ids.has(id), id).toBe(false);
      ids.add(id);
    }
  });

  it('leaves out general-purpose ML libraries (documented choice)', () => {
    for (const name of ['torch', 'tensorflow', 'scikit-learn', 'numpy', 'onnxruntime', 'tiktoken']) {
      expect(matched('pypi', name), name).toBeUndefined();
    }
  });
});

describe('matching', () => {
  it('npm: exact names, case-insensitive, and scope wildcards', () => {
    expect(matched('npm', 'openai')).toBe('openai');
    expect(matched('npm', 'OpenAI')).toBe('openai');
    expect(matched('npm', '@langchain/core')).toBe('@langchain/*');
    expect(matched('npm', '@langchain/community')).toBe('@langchain/*');
    expect(matched('npm', '@ai-sdk/openai')).toBe('@ai-sdk/*');
    expect(matched('npm', 'ai')).toBe('ai');
    expect(matched('npm', '@anthropic-ai/sdk')).toBe('@anthropic-ai/sdk'); // exact wins over the scope
    expect(matched('npm', '@anthropic-ai/bedrock-sdk')).toBe('@anthropic-ai/*');
  });

  it('npm: never by substring, prefix or lookalike scope', () => {
    for (const name of [
      'myopenai', 'openai2', 'openai-fake', 'not-langchain', 'langchainify', '@langchain', '@langchain/', '@langchainx/core',
      'ai-sdk', 'aiohttp', 'axios', '@ai-sdkx/openai', 'ollama-js-helper', '@myorg/openai',
    ]) {
      expect(matched('npm', name), name).toBeUndefined();
    }
  });

  it('PyPI: PEP 503 normalisation on both sides', () => {
    expect(normalizePypiName('Llama_Index..Core')).toBe('llama-index-core');
    expect(matched('pypi', 'Llama_Index')).toBe('llama-index');
    expect(matched('pypi', 'llama_index.core')).toBe('llama-index-*');
    expect(matched('pypi', 'huggingface_hub')).toBe('huggingface-hub');
    expect(matched('pypi', 'Sentence.Transformers')).toBe('sentence-transformers');
    expect(matched('pypi', 'langchain_openai')).toBe('langchain-*');
    expect(matched('pypi', 'LangChain')).toBe('langchain');
    expect(matched('pypi', 'ANTHROPIC')).toBe('anthropic');
  });

  it('PyPI: a prefix wildcard needs its separator and one more character', () => {
    for (const name of ['langchainx', 'langchain-', 'not-langchain', 'mylangchain-openai', 'llama-indexer', 'myopenai', 'openai2', 'anthropic-tools2x']) {
      expect(matched('pypi', name), name).toBeUndefined();
    }
  });

  it('PyPI: openai-whisper matches its own entry, not openai by substring', () => {
    expect(matched('pypi', 'openai-whisper')).toBe('openai-whisper');
    expect(matched('pypi', 'openai-cli-helper')).toBeUndefined();
  });

  it('Go: module paths, major-version suffix ignored, no substring or sub-path', () => {
    expect(matched('go', 'github.com/openai/openai-go/v3')).toBe('github.com/openai/openai-go');
    expect(matched('go', 'github.com/cohere-ai/cohere-go/v2')).toBe('github.com/cohere-ai/cohere-go');
    expect(matched('go', 'github.com/sashabaranov/go-openai')).toBe('github.com/sashabaranov/go-openai');
    expect(matched('go', 'github.com/sashabaranov/go-openai-fork')).toBeUndefined();
    expect(matched('go', 'github.com/myorg/go-openai')).toBeUndefined();
    expect(matched('go', 'github.com/openai/openai-go/vx')).toBeUndefined();
  });

  it('Maven: groupId:artifactId, group wildcards', () => {
    expect(matched('maven', 'dev.langchain4j:langchain4j-open-ai')).toBe('dev.langchain4j:*');
    expect(matched('maven', 'org.springframework.ai:spring-ai-bom')).toBe('org.springframework.ai:*');
    expect(matched('maven', 'com.openai:openai-java')).toBe('com.openai:openai-java');
    expect(matched('maven', 'dev.langchain4jx:core')).toBeUndefined();
    expect(matched('maven', 'org.springframework:spring-ai')).toBeUndefined();
    expect(matched('maven', 'com.openai:openai-java-fork')).toBeUndefined();
    expect(matched('maven', 'dev.langchain4j')).toBeUndefined();
  });

  it('ecosystems do not leak into each other', () => {
    expect(matched('go', 'openai')).toBeUndefined();
    expect(matched('maven', 'openai')).toBeUndefined();
    expect(matched('npm', 'anthropic')).toBeUndefined();
    expect(matched('npm', 'transformers')).toBeUndefined();
  });
});

describe('extra packages (policy inventory.packages)', () => {
  const m = compilePackageMatcher({
    pypi: ['our-internal-llm-client', 'acme_llm_*'],
    npm: ['@acme/llm-*', '@acme-ai/*'],
    go: ['github.com/acme/llm'],
    maven: ['com.acme.ai:*'],
  });

  it('extends the list, with the same normalisation and wildcards', () => {
    expect(m.match('pypi', 'Our_Internal.LLM-Client')).toMatchObject({ extra: true, entry: { name: 'our-internal-llm-client' } });
    expect(m.match('pypi', 'acme-llm-router')?.entry.name).toBe('acme_llm_*');
    expect(m.match('npm', '@acme/llm-gateway')?.extra).toBe(true);
    expect(m.match('npm', '@acme-ai/client')?.extra).toBe(true);
    expect(m.match('go', 'github.com/acme/llm/v2')?.extra).toBe(true);
    expect(m.match('maven', 'com.acme.ai:router')?.entry.note).toContain('inventory.packages');
    expect(m.match('npm', '@acme/web')).toBeUndefined();
  });

  it('keeps the built-in list', () => {
    expect(m.match('pypi', 'openai')).toMatchObject({ extra: false });
  });

  it('ignores patterns that cannot match sensibly, and explains why', () => {
    const bad = compilePackageMatcher({ npm: ['*', 'a*b', '', '  '], maven: ['com.acme'] });
    expect(bad.match('npm', 'express')).toBeUndefined();
    expect(bad.match('npm', 'a*b')).toBeUndefined();
    expect(bad.match('maven', 'com.acme:x')).toBeUndefined();
    expect(validatePackagePattern('npm', '*')).toMatch(/every package/);
    expect(validatePackagePattern('npm', 'a*b')).toMatch(/only allowed at the end/);
    expect(validatePackagePattern('maven', 'com.acme')).toMatch(/groupId:artifactId/);
    expect(validatePackagePattern('pypi', '')).toMatch(/empty/);
    expect(validatePackagePattern('pypi', 'acme-*')).toBeUndefined();
  });
});
