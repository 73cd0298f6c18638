import type { Ecosystem } from './types';

/**
 * One entry of the built-in list of AI packages: a model SDK, an LLM framework, or a library
 * that downloads and runs pretrained models.
 *
 * `name` is matched as follows (see `compilePackageMatcher`):
 * - npm, Maven, Go: case-insensitively; PyPI: PEP 503-normalised (lowercase, runs of `-_.` → `-`).
 * - A trailing `*` is a prefix wildcard that needs at least one more character:
 *   `@langchain/*`, `langchain-*`, `dev.langchain4j:*`. A `*` anywhere else is literal.
 * - Maven names are `groupId:artifactId`.
 * - Go names are module paths; a major-version suffix (`/v2`, `/v3`, …) is ignored.
 *   A module path matches only that module, never a parent or sibling: go.mod requires
 *   modules, not packages, so `cloud.google.com/go/vertexai` (whose package
 *   `…/vertexai/genai` code imports) is required under exactly that path, and neither
 *   `cloud.google.com/go` nor `github.com/aws/aws-sdk-go-v2/service/s3` is an AI module.
 * - Never a substring match: `myopenai` and `not-langchain` are not AI packages.
 */
export interface PackageEntry {
  ecosystem: Ecosystem;
  name: string;
  note: string;
}

/**
 * Deliberately NOT listed: general-purpose ML and numeric libraries (`torch`, `tensorflow`,
 * `keras`, `jax`, `scikit-learn`, `onnxruntime`, `numpy`, `@tensorflow/tfjs`, `ai.djl:*`).
 * They are used for training, research and plain numerics as often as for running a model, and
 * listing them would flag much that is not an AI system; the model files such code loads are
 * caught by the model-file rule, and a team that wants them flagged adds them to
 * `inventory.packages`. Tokenizers (`tiktoken`) and vector stores are not listed either.
 */
export const BUILTIN_PACKAGES: readonly PackageEntry[] = [
  // npm
  { ecosystem: 'npm', name: 'openai', note: 'OpenAI API client' },
  { ecosystem: 'npm', name: '@openai/*', note: 'OpenAI packages: Agents SDK and others' },
  { ecosystem: 'npm', name: '@azure/openai', note: 'Azure OpenAI client' },
  { ecosystem: 'npm', name: '@anthropic-ai/sdk', note: 'Anthropic API client' },
  { ecosystem: 'npm', name: '@anthropic-ai/*', note: 'Anthropic packages: Bedrock and Vertex SDKs, Agent SDK and others' },
  { ecosystem: 'npm', name: '@google/generative-ai', note: 'Google Gemini API client, legacy' },
  { ecosystem: 'npm', name: '@google/genai', note: 'Google Gen AI SDK for Gemini' },
  { ecosystem: 'npm', name: '@google-cloud/vertexai', note: 'Vertex AI generative models client' },
  { ecosystem: 'npm', name: '@aws-sdk/client-bedrock-runtime', note: 'Amazon Bedrock model invocation client' },
  { ecosystem: 'npm', name: '@aws-sdk/client-bedrock-agent-runtime', note: 'Amazon Bedrock Agents and knowledge-base runtime client' },
  { ecosystem: 'npm', name: '@google/adk', note: 'Google Agent Development Kit' },
  { ecosystem: 'npm', name: '@cerebras/cerebras_cloud_sdk', note: 'Cerebras API client' },
  { ecosystem: 'npm', name: 'writer-sdk', note: 'Writer API client' },
  { ecosystem: 'npm', name: '@writerai/writer-sdk', note: 'Writer API client, former name' },
  { ecosystem: 'npm', name: '@mistralai/mistralai', note: 'Mistral API client' },
  { ecosystem: 'npm', name: 'cohere-ai', note: 'Cohere API client' },
  { ecosystem: 'npm', name: 'langchain', note: 'LangChain framework' },
  { ecosystem: 'npm', name: '@langchain/*', note: 'LangChain packages and integrations' },
  { ecosystem: 'npm', name: 'llamaindex', note: 'LlamaIndex framework' },
  { ecosystem: 'npm', name: '@llamaindex/*', note: 'LlamaIndex packages and integrations' },
  { ecosystem: 'npm', name: 'ai', note: 'Vercel AI SDK' },
  { ecosystem: 'npm', name: '@ai-sdk/*', note: 'Vercel AI SDK providers and UI' },
  { ecosystem: 'npm', name: '@huggingface/inference', note: 'Hugging Face Inference client' },
  { ecosystem: 'npm', name: '@huggingface/transformers', note: 'Transformers.js, runs models locally' },
  { ecosystem: 'npm', name: '@xenova/transformers', note: 'Transformers.js, former name' },
  { ecosystem: 'npm', name: 'replicate', note: 'Replicate API client' },
  { ecosystem: 'npm', name: 'groq-sdk', note: 'Groq API client' },
  { ecosystem: 'npm', name: 'ollama', note: 'Ollama client' },
  { ecosystem: 'npm', name: 'node-llama-cpp', note: 'llama.cpp bindings, runs models locally' },

  // PyPI
  { ecosystem: 'pypi', name: 'openai', note: 'OpenAI API client' },
  { ecosystem: 'pypi', name: 'openai-agents', note: 'OpenAI Agents SDK' },
  { ecosystem: 'pypi', name: 'openai-whisper', note: 'Whisper speech recognition, runs a model locally' },
  { ecosystem: 'pypi', name: 'anthropic', note: 'Anthropic API client' },
  { ecosystem: 'pypi', name: 'claude-agent-sdk', note: 'Claude Agent SDK' },
  { ecosystem: 'pypi', name: 'langchain', note: 'LangChain framework' },
  { ecosystem: 'pypi', name: 'langchain-*', note: 'LangChain packages and integrations' },
  { ecosystem: 'pypi', name: 'langgraph', note: 'LangGraph agent framework' },
  { ecosystem: 'pypi', name: 'llama-index', note: 'LlamaIndex framework' },
  { ecosystem: 'pypi', name: 'llama-index-*', note: 'LlamaIndex packages and integrations' },
  { ecosystem: 'pypi', name: 'llama-cpp-python', note: 'llama.cpp bindings, runs models locally' },
  { ecosystem: 'pypi', name: 'transformers', note: 'Hugging Face Transformers, runs models locally' },
  { ecosystem: 'pypi', name: 'sentence-transformers', note: 'Sentence embedding models' },
  { ecosystem: 'pypi', name: 'diffusers', note: 'Hugging Face Diffusers, runs models locally' },
  { ecosystem: 'pypi', name: 'huggingface-hub', note: 'Hugging Face Hub client for model downloads and inference' },
  { ecosystem: 'pypi', name: 'litellm', note: 'LiteLLM multi-provider client and proxy' },
  { ecosystem: 'pypi', name: 'vllm', note: 'vLLM inference server' },
  { ecosystem: 'pypi', name: 'google-generativeai', note: 'Google Gemini API client, legacy' },
  { ecosystem: 'pypi', name: 'google-genai', note: 'Google Gen AI SDK for Gemini' },
  { ecosystem: 'pypi', name: 'google-cloud-aiplatform', note: 'Vertex AI SDK' },
  { ecosystem: 'pypi', name: 'google-adk', note: 'Google Agent Development Kit' },
  { ecosystem: 'pypi', name: 'mistralai', note: 'Mistral API client' },
  { ecosystem: 'pypi', name: 'cohere', note: 'Cohere API client' },
  { ecosystem: 'pypi', name: 'ollama', note: 'Ollama client' },
  { ecosystem: 'pypi', name: 'groq', note: 'Groq API client' },
  { ecosystem: 'pypi', name: 'replicate', note: 'Replicate API client' },
  { ecosystem: 'pypi', name: 'together', note: 'Together AI API client' },
  { ecosystem: 'pypi', name: 'cerebras-cloud-sdk', note: 'Cerebras API client' },
  { ecosystem: 'pypi', name: 'fireworks-ai', note: 'Fireworks AI API client' },
  { ecosystem: 'pypi', name: 'writer-sdk', note: 'Writer API client' },
  { ecosystem: 'pypi', name: 'any-llm-sdk', note: 'any-llm multi-provider client (Mozilla.ai)' },
  { ecosystem: 'pypi', name: 'dspy', note: 'DSPy framework' },
  { ecosystem: 'pypi', name: 'dspy-ai', note: 'DSPy framework, former name' },
  { ecosystem: 'pypi', name: 'haystack-ai', note: 'Haystack framework' },
  { ecosystem: 'pypi', name: 'farm-haystack', note: 'Haystack framework, 1.x' },
  { ecosystem: 'pypi', name: 'guidance', note: 'Guidance, constrained generation' },
  { ecosystem: 'pypi', name: 'instructor', note: 'Instructor, structured LLM output' },
  { ecosystem: 'pypi', name: 'pydantic-ai', note: 'Pydantic AI agent framework' },
  { ecosystem: 'pypi', name: 'pydantic-ai-slim', note: 'Pydantic AI agent framework, slim install' },
  { ecosystem: 'pypi', name: 'semantic-kernel', note: 'Microsoft Semantic Kernel' },
  { ecosystem: 'pypi', name: 'crewai', note: 'CrewAI agent framework' },
  { ecosystem: 'pypi', name: 'autogen-agentchat', note: 'AutoGen agent framework' },
  { ecosystem: 'pypi', name: 'pyautogen', note: 'AutoGen agent framework, 0.2' },
  { ecosystem: 'pypi', name: 'smolagents', note: 'Hugging Face smolagents' },

  // Go
  { ecosystem: 'go', name: 'github.com/sashabaranov/go-openai', note: 'OpenAI API client, community-maintained' },
  { ecosystem: 'go', name: 'github.com/openai/openai-go', note: 'OpenAI API client' },
  { ecosystem: 'go', name: 'github.com/anthropics/anthropic-sdk-go', note: 'Anthropic API client' },
  { ecosystem: 'go', name: 'github.com/liushuangls/go-anthropic', note: 'Anthropic API client, community-maintained' },
  { ecosystem: 'go', name: 'github.com/tmc/langchaingo', note: 'LangChain for Go' },
  { ecosystem: 'go', name: 'github.com/google/generative-ai-go', note: 'Google Gemini API client, legacy' },
  { ecosystem: 'go', name: 'google.golang.org/genai', note: 'Google Gen AI SDK for Gemini' },
  { ecosystem: 'go', name: 'google.golang.org/adk', note: 'Google Agent Development Kit' },
  { ecosystem: 'go', name: 'cloud.google.com/go/vertexai', note: 'Vertex AI generative models client' },
  { ecosystem: 'go', name: 'github.com/aws/aws-sdk-go-v2/service/bedrockruntime', note: 'Amazon Bedrock model invocation client' },
  { ecosystem: 'go', name: 'github.com/aws/aws-sdk-go-v2/service/bedrockagentruntime', note: 'Amazon Bedrock Agents and knowledge-base runtime client' },
  { ecosystem: 'go', name: 'github.com/firebase/genkit/go', note: 'Firebase Genkit for Go' },
  { ecosystem: 'go', name: 'github.com/cohere-ai/cohere-go', note: 'Cohere API client' },
  { ecosystem: 'go', name: 'github.com/ollama/ollama', note: 'Ollama, for its API client' },

  // Maven
  { ecosystem: 'maven', name: 'com.openai:openai-java', note: 'OpenAI API client' },
  { ecosystem: 'maven', name: 'com.anthropic:anthropic-java', note: 'Anthropic API client' },
  { ecosystem: 'maven', name: 'dev.langchain4j:*', note: 'LangChain4j framework and integrations' },
  { ecosystem: 'maven', name: 'com.theokanning.openai-gpt3-java:*', note: 'OpenAI API client, community-maintained' },
  { ecosystem: 'maven', name: 'com.aallam.openai:*', note: 'OpenAI Kotlin client (openai-client and its BOM), community-maintained' },
  { ecosystem: 'maven', name: 'org.springframework.ai:*', note: 'Spring AI' },
  { ecosystem: 'maven', name: 'com.google.genai:google-genai', note: 'Google Gen AI SDK for Gemini' },
  { ecosystem: 'maven', name: 'com.google.cloud:google-cloud-vertexai', note: 'Vertex AI generative models client' },
  { ecosystem: 'maven', name: 'com.google.adk:*', note: 'Google Agent Development Kit for Java and Kotlin' },
  { ecosystem: 'maven', name: 'software.amazon.awssdk:bedrockruntime', note: 'Amazon Bedrock model invocation client' },
  { ecosystem: 'maven', name: 'software.amazon.awssdk:bedrockagentruntime', note: 'Amazon Bedrock Agents and knowledge-base runtime client' },
  { ecosystem: 'maven', name: 'com.azure:azure-ai-openai', note: 'Azure OpenAI client' },
  { ecosystem: 'maven', name: 'com.microsoft.semantic-kernel:*', note: 'Microsoft Semantic Kernel' },
  { ecosystem: 'maven', name: 'io.github.ollama4j:ollama4j', note: 'Ollama client' },
];

/**
 * The GitHub repositories of listed SDKs and frameworks (`owner/name`, each with the package it
 * publishes): a dependency installed straight from one (`github:openai/openai-node`,
 * `foo @ git+https://github.com/openai/openai-python`) is that package under whatever name it is
 * declared. Monorepos of unrelated SDKs (Azure, AWS) are left out: they would flag every client.
 */
export const SDK_REPOSITORIES: readonly { repo: string; ecosystem: Ecosystem; package: string }[] = [
  { repo: 'openai/openai-node', ecosystem: 'npm', package: 'openai' },
  { repo: 'openai/openai-agents-js', ecosystem: 'npm', package: '@openai/agents' },
  { repo: 'anthropics/anthropic-sdk-typescript', ecosystem: 'npm', package: '@anthropic-ai/sdk' },
  { repo: 'anthropics/claude-agent-sdk-typescript', ecosystem: 'npm', package: '@anthropic-ai/claude-agent-sdk' },
  { repo: 'google-gemini/generative-ai-js', ecosystem: 'npm', package: '@google/generative-ai' },
  { repo: 'googleapis/js-genai', ecosystem: 'npm', package: '@google/genai' },
  { repo: 'google/adk-js', ecosystem: 'npm', package: '@google/adk' },
  { repo: 'mistralai/client-ts', ecosystem: 'npm', package: '@mistralai/mistralai' },
  { repo: 'mistralai/client-js', ecosystem: 'npm', package: '@mistralai/mistralai' },
  { repo: 'cohere-ai/cohere-typescript', ecosystem: 'npm', package: 'cohere-ai' },
  { repo: 'langchain-ai/langchainjs', ecosystem: 'npm', package: 'langchain' },
  { repo: 'langchain-ai/langgraphjs', ecosystem: 'npm', package: '@langchain/langgraph' },
  { repo: 'run-llama/llamaindexts', ecosystem: 'npm', package: 'llamaindex' },
  { repo: 'vercel/ai', ecosystem: 'npm', package: 'ai' },
  { repo: 'huggingface/huggingface.js', ecosystem: 'npm', package: '@huggingface/inference' },
  { repo: 'huggingface/transformers.js', ecosystem: 'npm', package: '@huggingface/transformers' },
  { repo: 'xenova/transformers.js', ecosystem: 'npm', package: '@xenova/transformers' },
  { repo: 'replicate/replicate-javascript', ecosystem: 'npm', package: 'replicate' },
  { repo: 'groq/groq-typescript', ecosystem: 'npm', package: 'groq-sdk' },
  { repo: 'ollama/ollama-js', ecosystem: 'npm', package: 'ollama' },
  { repo: 'withcatai/node-llama-cpp', ecosystem: 'npm', package: 'node-llama-cpp' },
  { repo: 'openai/openai-python', ecosystem: 'pypi', package: 'openai' },
  { repo: 'openai/openai-agents-python', ecosystem: 'pypi', package: 'openai-agents' },
  { repo: 'openai/whisper', ecosystem: 'pypi', package: 'openai-whisper' },
  { repo: 'anthropics/anthropic-sdk-python', ecosystem: 'pypi', package: 'anthropic' },
  { repo: 'anthropics/claude-agent-sdk-python', ecosystem: 'pypi', package: 'claude-agent-sdk' },
  { repo: 'langchain-ai/langchain', ecosystem: 'pypi', package: 'langchain' },
  { repo: 'langchain-ai/langgraph', ecosystem: 'pypi', package: 'langgraph' },
  { repo: 'run-llama/llama_index', ecosystem: 'pypi', package: 'llama-index' },
  { repo: 'abetlen/llama-cpp-python', ecosystem: 'pypi', package: 'llama-cpp-python' },
  { repo: 'huggingface/transformers', ecosystem: 'pypi', package: 'transformers' },
  { repo: 'huggingface/sentence-transformers', ecosystem: 'pypi', package: 'sentence-transformers' },
  { repo: 'ukplab/sentence-transformers', ecosystem: 'pypi', package: 'sentence-transformers' },
  { repo: 'huggingface/diffusers', ecosystem: 'pypi', package: 'diffusers' },
  { repo: 'huggingface/huggingface_hub', ecosystem: 'pypi', package: 'huggingface-hub' },
  { repo: 'huggingface/smolagents', ecosystem: 'pypi', package: 'smolagents' },
  { repo: 'berriai/litellm', ecosystem: 'pypi', package: 'litellm' },
  { repo: 'vllm-project/vllm', ecosystem: 'pypi', package: 'vllm' },
  { repo: 'google-gemini/generative-ai-python', ecosystem: 'pypi', package: 'google-generativeai' },
  { repo: 'googleapis/python-genai', ecosystem: 'pypi', package: 'google-genai' },
  { repo: 'googleapis/python-aiplatform', ecosystem: 'pypi', package: 'google-cloud-aiplatform' },
  { repo: 'google/adk-python', ecosystem: 'pypi', package: 'google-adk' },
  { repo: 'mozilla-ai/any-llm', ecosystem: 'pypi', package: 'any-llm-sdk' },
  { repo: 'mistralai/client-python', ecosystem: 'pypi', package: 'mistralai' },
  { repo: 'cohere-ai/cohere-python', ecosystem: 'pypi', package: 'cohere' },
  { repo: 'ollama/ollama-python', ecosystem: 'pypi', package: 'ollama' },
  { repo: 'groq/groq-python', ecosystem: 'pypi', package: 'groq' },
  { repo: 'replicate/replicate-python', ecosystem: 'pypi', package: 'replicate' },
  { repo: 'togethercomputer/together-python', ecosystem: 'pypi', package: 'together' },
  { repo: 'stanfordnlp/dspy', ecosystem: 'pypi', package: 'dspy' },
  { repo: 'deepset-ai/haystack', ecosystem: 'pypi', package: 'haystack-ai' },
  { repo: 'guidance-ai/guidance', ecosystem: 'pypi', package: 'guidance' },
  { repo: 'jxnl/instructor', ecosystem: 'pypi', package: 'instructor' },
  { repo: '567-labs/instructor', ecosystem: 'pypi', package: 'instructor' },
  { repo: 'pydantic/pydantic-ai', ecosystem: 'pypi', package: 'pydantic-ai' },
  { repo: 'microsoft/semantic-kernel', ecosystem: 'pypi', package: 'semantic-kernel' },
  { repo: 'crewaiinc/crewai', ecosystem: 'pypi', package: 'crewai' },
  { repo: 'microsoft/autogen', ecosystem: 'pypi', package: 'autogen-agentchat' },
  // Go modules are named by their repository already; listed so that an npm or PyPI spec
  // pointing at one is caught as well.
  { repo: 'openai/openai-go', ecosystem: 'go', package: 'github.com/openai/openai-go' },
  { repo: 'anthropics/anthropic-sdk-go', ecosystem: 'go', package: 'github.com/anthropics/anthropic-sdk-go' },
  { repo: 'tmc/langchaingo', ecosystem: 'go', package: 'github.com/tmc/langchaingo' },
];

/** PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

const GO_MAJOR_SUFFIX = /\/v[0-9]+$/;

/** The form a name is compared in, for its ecosystem. */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  const trimmed = name.trim();
  switch (ecosystem) {
    case 'pypi':
      return normalizePypiName(trimmed);
    case 'go':
      return trimmed.toLowerCase().replace(GO_MAJOR_SUFFIX, '');
    case 'npm':
    case 'maven':
      return trimmed.toLowerCase();
  }
}

/**
 * Why a pattern (for `inventory.packages`) cannot match anything, or undefined when it is fine.
 * The scanner tolerates bad patterns (they match nothing); the policy loader can use this to
 * reject them with a clear message.
 */
export function validatePackagePattern(ecosystem: Ecosystem, pattern: string): string | undefined {
  const p = pattern.trim();
  if (p === '') return 'a package name must not be empty';
  if (p === '*') return 'a bare `*` would match every package; name a prefix, e.g. `acme-llm-*`';
  const star = p.indexOf('*');
  if (star !== -1 && star !== p.length - 1) return 'a `*` is only allowed at the end of a name (prefix wildcard)';
  if (/\s/.test(p)) return 'a package name must not contain spaces';
  if (ecosystem === 'maven') {
    const parts = p.split(':');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      return 'a Maven name is `groupId:artifactId` (or `groupId:*`)';
    }
  }
  return undefined;
}

export interface PackageMatch {
  entry: PackageEntry;
  /** Whether the entry came from `extraPackages` (the policy) rather than the built-in list. */
  extra: boolean;
}

export interface PackageMatcher {
  match(ecosystem: Ecosystem, name: string): PackageMatch | undefined;
  /** The listed package a GitHub repository (`owner/name`, any case) publishes, in any ecosystem. */
  matchRepo(repo: string): PackageMatch | undefined;
}

interface PrefixRule {
  prefix: string;
  match: PackageMatch;
}

/** Build a matcher from the built-in list plus the policy's extra names. */
export function compilePackageMatcher(
  extraPackages?: Partial<Record<Ecosystem, readonly string[]>>,
  builtin: readonly PackageEntry[] = BUILTIN_PACKAGES,
): PackageMatcher {
  const exact = new Map<Ecosystem, Map<string, PackageMatch>>();
  const prefixes = new Map<Ecosystem, PrefixRule[]>();

  const add = (entry: PackageEntry, extra: boolean): void => {
    if (validatePackagePattern(entry.ecosystem, entry.name) !== undefined) return;
    const raw = entry.name.trim();
    const match: PackageMatch = { entry, extra };
    if (raw.endsWith('*')) {
      // Normalise the prefix the same way as names, but keep its trailing separator
      // (`langchain-*` → `langchain-`, `@langchain/*` → `@langchain/`).
      const head = raw.slice(0, -1);
      const prefix = entry.ecosystem === 'pypi' ? normalizePypiName(head) : head.toLowerCase();
      let list = prefixes.get(entry.ecosystem);
      if (!list) prefixes.set(entry.ecosystem, (list = []));
      list.push({ prefix, match });
    } else {
      const key = normalizePackageName(entry.ecosystem, raw);
      let map = exact.get(entry.ecosystem);
      if (!map) exact.set(entry.ecosystem, (map = new Map()));
      if (!map.has(key)) map.set(key, match);
    }
  };

  for (const entry of builtin) add(entry, false);
  if (extraPackages) {
    for (const [eco, names] of Object.entries(extraPackages) as [Ecosystem, readonly string[] | undefined][]) {
      for (const name of names ?? []) add({ ecosystem: eco, name, note: 'listed in the policy under inventory.packages' }, true);
    }
  }

  const match = (ecosystem: Ecosystem, name: string): PackageMatch | undefined => {
    const key = normalizePackageName(ecosystem, name);
    if (key === '') return undefined;
    const hit = exact.get(ecosystem)?.get(key);
    if (hit) return hit;
    for (const rule of prefixes.get(ecosystem) ?? []) {
      if (key.length > rule.prefix.length && key.startsWith(rule.prefix)) return rule.match;
    }
    return undefined;
  };
  let repos: Map<string, PackageMatch> | undefined;
  return {
    match,
    matchRepo(repo) {
      if (!repos) {
        repos = new Map();
        // Through the list, so that a custom `builtin` (tests) decides what is listed.
        for (const r of SDK_REPOSITORIES) {
          const m = match(r.ecosystem, r.package);
          if (m) repos.set(r.repo.toLowerCase(), m);
        }
      }
      return repos.get(repo.toLowerCase().replace(/\.git$/, ''));
    },
  };
}
