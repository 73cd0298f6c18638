import { scanInventory } from './scan';
import type { InventoryFinding, InventoryOptions } from './types';
import { mulberry32 } from '../../lib/random';

export interface SyntheticTree {
  paths: string[];
  files: Map<string, string>;
  read: (path: string) => string | undefined;
  /** Folders holding a manifest (pass as `manifestDirs`). */
  manifestDirs: string[];
}

const EXT = ['.ts', '.js', '.py', '.go', '.java', '.md', '.json', '.txt', '.yml', '.png', '.bin', '.pt'];
const DEP_FILES: [string, string][] = [
  ['package.json', '{\n  "name": "svc",\n  "dependencies": {\n    "express": "^4",\n    "openai": "^4.0.0"\n  }\n}\n'],
  ['requirements.txt', '# deps\nrequests==2.31\nanthropic[bedrock]>=0.30 ; python_version >= "3.9"\nnumpy\n'],
  ['pyproject.toml', '[project]\nname = "x"\ndependencies = [\n  "httpx",\n  "langchain-openai>=0.1",\n]\n'],
  ['go.mod', 'module example.com/x\n\ngo 1.22\n\nrequire (\n\tgithub.com/sashabaranov/go-openai v1.20.0\n\tgolang.org/x/sync v0.6.0 // indirect\n)\n'],
  ['pom.xml', '<project><dependencies>\n<dependency>\n<groupId>dev.langchain4j</groupId>\n<artifactId>langchain4j</artifactId>\n</dependency>\n</dependencies></project>\n'],
  ['build.gradle.kts', 'dependencies {\n    implementation("org.springframework.ai:spring-ai-openai:1.0.0")\n}\n'],
];

/**
 * An in-memory repository of `n` paths for benchmarks: nested folders (depth 1–7), ~1% of
 * them dependency files (half with an AI dependency), some model files, and a manifest in
 * roughly one service folder in four. Deterministic for a given `seed`.
 */
export function syntheticTree(n: number, seed = 42): SyntheticTree {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const paths: string[] = [];
  const files = new Map<string, string>();
  const manifestDirs: string[] = [];
  const services = Math.max(1, Math.floor(n / 500));
  for (let s = 0; s < services; s++) if (rand() < 0.25) manifestDirs.push(`services/svc${s}`);
  const dirs = ['src', 'lib', 'internal', 'models', 'pkg', 'test', 'docs', 'node_modules', 'app', 'core'];
  for (let i = 0; paths.length < n; i++) {
    const depth = 1 + Math.floor(rand() * 7);
    const parts = [`services/svc${Math.floor(rand() * services)}`];
    for (let d = 1; d < depth; d++) parts.push(pick(dirs) + (rand() < 0.5 ? '' : String(Math.floor(rand() * 20))));
    const dir = parts.join('/');
    const r = rand();
    if (r < 0.01) {
      const [name, text] = pick(DEP_FILES);
      const p = `${dir}/${name}`;
      if (files.has(p)) continue;
      files.set(p, text);
      paths.push(p);
    } else if (r < 0.012) {
      paths.push(`${dir}/model-${i}${pick(['.onnx', '.safetensors', '.gguf'])}`);
    } else {
      paths.push(`${dir}/file${i}${pick(EXT)}`);
    }
  }
  return { paths, files, manifestDirs, read: (p) => files.get(p) };
}

/**
 * Time `scanInventory` on a synthetic tree of `n` paths (default 100,000). Returns the
 * milliseconds taken (best of `runs`) and the findings of the last run.
 */
export function benchInventory(
  n = 100_000,
  runs = 3,
  opts: Partial<InventoryOptions> = {},
): { n: number; ms: number; findings: InventoryFinding[] } {
  const tree = syntheticTree(n);
  const options: InventoryOptions = {
    manifestDirs: opts.manifestDirs ?? tree.manifestDirs,
    ignore: opts.ignore ?? ['docs/**', '**/test/**'],
    ...(opts.extraPackages ? { extraPackages: opts.extraPackages } : {}),
  };
  let best = Number.POSITIVE_INFINITY;
  let findings: InventoryFinding[] = [];
  for (let r = 0; r < Math.max(1, runs); r++) {
    const t0 = performance.now();
    findings = scanInventory(tree.paths, tree.read, options);
    best = Math.min(best, performance.now() - t0);
  }
  return { n, ms: best, findings };
}
