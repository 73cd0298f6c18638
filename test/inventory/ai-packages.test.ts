// AI SDKs added to the built-in list (issue #15 item 6), each found in a dependency file shaped as
// real projects declare it (fixtures in test/fixtures/inventory/ai-packages/), and nothing
// next to it that is not AI: other AWS services, the Cloud umbrella module, BOMs of other groups.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePackageMatcher, scanInventory } from '../../src/evidence/inventory';
import type { Ecosystem } from '../../src/evidence/inventory';

const DIR = join(import.meta.dirname, '../fixtures/inventory/ai-packages');
const read = (p: string): string | undefined => {
  try {
    return readFileSync(join(DIR, p), 'utf8');
  } catch {
    return undefined;
  }
};

/** Scan one fixture file (nothing covered, nothing ignored) → [line, package, pattern]. */
function hits(file: string, text?: string): [number, string, string][] {
  return scanInventory([file], (p) => (text !== undefined ? text : read(p)), { manifestDirs: [], ignore: [] }).map((f) => [f.line, f.package ?? '', f.pattern ?? '']);
}

const builtin = compilePackageMatcher();
const matched = (eco: Ecosystem, name: string): string | undefined => builtin.match(eco, name)?.entry.name;

describe('the packages issue #15 names are on the list', () => {
  it.each<[Ecosystem, string, string]>([
    ['pypi', 'google-adk', 'google-adk'],
    ['pypi', 'google-genai', 'google-genai'],
    ['npm', '@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-bedrock-runtime'],
    ['npm', '@aws-sdk/client-bedrock-agent-runtime', '@aws-sdk/client-bedrock-agent-runtime'],
    ['go', 'cloud.google.com/go/vertexai', 'cloud.google.com/go/vertexai'],
    ['go', 'github.com/aws/aws-sdk-go-v2/service/bedrockruntime', 'github.com/aws/aws-sdk-go-v2/service/bedrockruntime'],
    ['maven', 'com.aallam.openai:openai-client', 'com.aallam.openai:*'],
    ['pypi', 'cerebras-cloud-sdk', 'cerebras-cloud-sdk'],
    ['pypi', 'fireworks-ai', 'fireworks-ai'],
    ['pypi', 'writer-sdk', 'writer-sdk'],
    ['pypi', 'any-llm-sdk', 'any-llm-sdk'],
    ['pypi', 'mistralai', 'mistralai'],
    ['pypi', 'cohere', 'cohere'],
    ['pypi', 'groq', 'groq'],
    ['pypi', 'ollama', 'ollama'],
    // Their npm names (checked with `npm view <name> name`).
    ['npm', '@mistralai/mistralai', '@mistralai/mistralai'],
    ['npm', 'cohere-ai', 'cohere-ai'],
    ['npm', 'groq-sdk', 'groq-sdk'],
    ['npm', 'ollama', 'ollama'],
    ['npm', '@cerebras/cerebras_cloud_sdk', '@cerebras/cerebras_cloud_sdk'],
    ['npm', 'writer-sdk', 'writer-sdk'],
    ['npm', '@google/adk', '@google/adk'],
  ])('%s %s', (eco, name, pattern) => {
    expect(matched(eco, name)).toBe(pattern);
  });
});

describe('real-shaped dependency files', () => {
  it('requirements.txt: ADK, Gen AI and the providers; boto3 and storage are not AI; ADK from its repository', () => {
    expect(hits('requirements.txt')).toEqual([
      [2, 'google-adk', 'google-adk'],
      [3, 'google-genai', 'google-genai'],
      [8, 'cerebras-cloud-sdk', 'cerebras-cloud-sdk'],
      [9, 'fireworks-ai', 'fireworks-ai'],
      [10, 'writer-sdk', 'writer-sdk'],
      [11, 'any-llm-sdk', 'any-llm-sdk'],
      [12, 'mistralai', 'mistralai'],
      [13, 'cohere', 'cohere'],
      [14, 'groq', 'groq'],
      [15, 'ollama', 'ollama'],
      [19, 'adk-python', 'google-adk'],
    ]);
  });

  it('pyproject.toml (PEP 621): dependencies with extras, optional providers; not build-system or dev tools', () => {
    expect(hits('pyproject.toml')).toEqual([
      [10, 'google-adk', 'google-adk'],
      [11, 'google-genai', 'google-genai'],
      [12, 'any-llm-sdk', 'any-llm-sdk'],
      [17, 'cerebras-cloud-sdk', 'cerebras-cloud-sdk'],
      [17, 'fireworks-ai', 'fireworks-ai'],
      [17, 'writer-sdk', 'writer-sdk'],
    ]);
  });

  it('pyproject.toml (Poetry): Mistral, Cohere, Groq (an optional inline table), Ollama', () => {
    expect(hits('poetry/pyproject.toml')).toEqual([
      [9, 'mistralai', 'mistralai'],
      [10, 'cohere', 'cohere'],
      [11, 'groq', 'groq'],
      [12, 'ollama', 'ollama'],
    ]);
  });

  it('package.json: both Bedrock runtimes, ADK, Cerebras, Writer and the rest; not S3 or credential providers', () => {
    expect(hits('package.json')).toEqual([
      [10, '@aws-sdk/client-bedrock-agent-runtime', '@aws-sdk/client-bedrock-agent-runtime'],
      [11, '@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-bedrock-runtime'],
      [14, '@cerebras/cerebras_cloud_sdk', '@cerebras/cerebras_cloud_sdk'],
      [15, '@google/adk', '@google/adk'],
      [16, '@mistralai/mistralai', '@mistralai/mistralai'],
      [17, 'cohere-ai', 'cohere-ai'],
      [19, 'groq-sdk', 'groq-sdk'],
      [20, 'ollama', 'ollama'],
      [21, 'writer-sdk', 'writer-sdk'],
    ]);
  });

  it('go.mod: Vertex AI, Bedrock runtime, ADK and Gen AI; not other AWS services, the Cloud umbrella module or indirect requirements', () => {
    expect(hits('go.mod')).toEqual([
      [7, 'cloud.google.com/go/vertexai', 'cloud.google.com/go/vertexai'],
      [10, 'github.com/aws/aws-sdk-go-v2/service/bedrockruntime', 'github.com/aws/aws-sdk-go-v2/service/bedrockruntime'],
      [12, 'google.golang.org/adk', 'google.golang.org/adk'],
      [13, 'google.golang.org/genai', 'google.golang.org/genai'],
    ]);
  });

  it('build.gradle.kts: the OpenAI Kotlin BOM and its versionless client, ADK, Bedrock runtime; not the AWS BOM, auth or S3', () => {
    expect(hits('build.gradle.kts')).toEqual([
      [12, 'com.aallam.openai:openai-client-bom', 'com.aallam.openai:*'],
      [13, 'com.aallam.openai:openai-client', 'com.aallam.openai:*'],
      [16, 'com.google.adk:google-adk', 'com.google.adk:*'],
      [17, 'com.google.adk:google-adk-dev', 'com.google.adk:*'],
      [20, 'software.amazon.awssdk:bedrockruntime', 'software.amazon.awssdk:bedrockruntime'],
    ]);
  });

  it('build.gradle (Groovy, Android): the OpenAI Kotlin client', () => {
    expect(hits('groovy/build.gradle')).toEqual([[11, 'com.aallam.openai:openai-client', 'com.aallam.openai:*']]);
  });

  it('pom.xml: ADK and the Bedrock agent runtime; not the AWS BOM or DynamoDB', () => {
    expect(hits('pom.xml')).toEqual([
      [25, 'com.google.adk:google-adk', 'com.google.adk:*'],
      [30, 'software.amazon.awssdk:bedrockagentruntime', 'software.amazon.awssdk:bedrockagentruntime'],
    ]);
  });

  it('gradle/libs.versions.toml: the OpenAI Kotlin client and Bedrock runtime by alias; not ktor or S3', () => {
    expect(hits('gradle/libs.versions.toml')).toEqual([
      [7, 'com.aallam.openai:openai-client', 'com.aallam.openai:*'],
      [9, 'software.amazon.awssdk:bedrockruntime', 'software.amazon.awssdk:bedrockruntime'],
    ]);
  });
});

describe('Go module paths match whole modules only', () => {
  it('a listed module, with or without a major-version suffix', () => {
    expect(matched('go', 'cloud.google.com/go/vertexai')).toBe('cloud.google.com/go/vertexai');
    expect(matched('go', 'github.com/aws/aws-sdk-go-v2/service/bedrockruntime')).toBe('github.com/aws/aws-sdk-go-v2/service/bedrockruntime');
    expect(matched('go', 'github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime')).toBe('github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime');
  });

  it.each([
    'cloud.google.com/go', // the umbrella module
    'cloud.google.com/go/aiplatform', // a sibling module
    'cloud.google.com/go/vertexaix',
    'github.com/aws/aws-sdk-go-v2',
    'github.com/aws/aws-sdk-go-v2/service/s3',
    'github.com/aws/aws-sdk-go-v2/service/bedrock', // the control plane, not model invocation
    'github.com/aws/aws-sdk-go-v2/service/bedrockruntimex',
    'github.com/aws/aws-sdk-go/service/bedrockruntime', // v1 SDK: one module for all of AWS
  ])('%s is not AI', (name) => {
    expect(matched('go', name)).toBeUndefined();
  });

  it('a direct require of the Bedrock agent runtime is reported, on its line', () => {
    expect(hits('go.mod', 'module x\n\ngo 1.22\n\nrequire github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime v1.20.0\n')).toEqual([
      [5, 'github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime', 'github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime'],
    ]);
  });
});

describe('prefixes of the new Maven groups', () => {
  it.each(['com.aallam:openai-client', 'com.aallam.openaix:openai-client', 'com.google:adk', 'com.google.adkx:google-adk', 'software.amazon.awssdk:bedrock', 'software.amazon.awssdk:bedrockruntime-x'])(
    '%s is not AI',
    (name) => {
      expect(matched('maven', name)).toBeUndefined();
    },
  );
});
