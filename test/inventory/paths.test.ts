import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyPath, compileCoverage, compileIgnore } from '../../src/evidence/inventory';
import { inSkippedFolder, normalizeRelPath } from '../../src/evidence/inventory/paths';

describe('classifyPath', () => {
  it.each([
    ['package.json', 'package.json'],
    ['a/b/package.json', 'package.json'],
    ['pyproject.toml', 'pyproject.toml'],
    ['svc/Pipfile', 'Pipfile'],
    ['setup.cfg', 'setup.cfg'],
    ['go.mod', 'go.mod'],
    ['java/pom.xml', 'pom.xml'],
    ['build.gradle', 'gradle'],
    ['app/build.gradle.kts', 'gradle'],
    ['gradle/libs.versions.toml', 'gradle-catalog'],
    ['requirements.txt', 'requirements'],
    ['requirements/dev.in', 'requirements'],
  ])('%s is a dependency file (%s)', (path, parser) => {
    expect(classifyPath(path)).toEqual({ kind: 'dependency-file', parser });
  });

  it.each(['package-lock.json', 'Package.json', 'go.sum', 'poetry.lock', 'Pipfile.lock', 'settings.gradle', 'libs.versions.toml', 'x/libs.versions.toml', 'setup.py', 'README', 'MyPipfile', '.Pipfile', 'src/index.ts'])(
    '%s is not classified',
    (path) => expect(classifyPath(path)).toBeUndefined(),
  );

  it('model files anywhere, any case', () => {
    expect(classifyPath('m.onnx')).toEqual({ kind: 'model-file', ext: '.onnx' });
    expect(classifyPath('a/b/M.SafeTensors')).toEqual({ kind: 'model-file', ext: '.safetensors' });
    expect(classifyPath('x/llama-3-8b.Q4_K_M.gguf')).toEqual({ kind: 'model-file', ext: '.gguf' });
    expect(classifyPath('ios/Classifier.mlmodel')).toEqual({ kind: 'model-file', ext: '.mlmodel' });
    expect(classifyPath('android/assets/detect.tflite')).toEqual({ kind: 'model-file', ext: '.tflite' });
  });

  it('.pt/.pth/.bin/.ckpt/… only under models/, model/, checkpoints/, weights/ (any depth, any case)', () => {
    expect(classifyPath('models/resnet.pt')).toEqual({ kind: 'model-file', ext: '.pt', folder: 'models' });
    expect(classifyPath('a/Model/b/c/x.pth')).toEqual({ kind: 'model-file', ext: '.pth', folder: 'Model' });
    expect(classifyPath('train/checkpoints/epoch=3.ckpt')).toMatchObject({ folder: 'checkpoints' });
    expect(classifyPath('weights/pytorch_model.bin')).toMatchObject({ folder: 'weights' });
    expect(classifyPath('ml/models/clf.joblib')).toMatchObject({ ext: '.joblib' });
    for (const p of ['firmware.bin', 'src/x.pt', 'mymodels/x.pt', 'models.pt', 'models-old/x.bin', 'weights.bin', 'a/model.pkl', 'test/fixtures/tensor.pth']) {
      expect(classifyPath(p), p).toBeUndefined();
    }
  });
});

describe('skipped folders', () => {
  it('node_modules/, vendor/, .git/ at any depth; not lookalikes', () => {
    for (const p of ['node_modules/openai/package.json', 'a/node_modules/x/m.onnx', 'vendor/go.mod', 'x/.git/config', 'a/.venv/lib/site-packages/x/package.json']) {
      expect(inSkippedFolder(p), p).toBe(true);
    }
    for (const p of ['package.json', 'node_modules', 'a/node_modules.txt', 'vendored/go.mod', 'my_vendor/go.mod', '.github/package.json']) {
      expect(inSkippedFolder(p), p).toBe(false);
    }
  });
});

describe('manifest coverage', () => {
  it('covers everything under a manifest folder, not its siblings or prefixes', () => {
    const covered = compileCoverage(['services/a', './services/b/', 'tools\\x']);
    expect(covered('services/a/package.json')).toBe(true);
    expect(covered('services/a/deep/er/m.onnx')).toBe(true);
    expect(covered('services/b/go.mod')).toBe(true);
    expect(covered('tools/x/pom.xml')).toBe(true);
    expect(covered('services/ab/package.json')).toBe(false);
    expect(covered('services/c/package.json')).toBe(false);
    expect(covered('services/package.json')).toBe(false);
    expect(covered('package.json')).toBe(false);
    expect(covered('services/a')).toBe(false); // the folder itself is not a file under it
  });

  it.each(['', '.', './', '/'])('a manifest at the root (%j) covers all', (root) => {
    const covered = compileCoverage([root]);
    expect(covered('package.json')).toBe(true);
    expect(covered('a/b/c/m.gguf')).toBe(true);
  });

  it('no manifests cover nothing', () => {
    expect(compileCoverage([])('a/package.json')).toBe(false);
  });

  it('agrees with the naive check (property)', () => {
    const seg = fc.constantFrom('a', 'b', 'ab', 'svc', 'x.y');
    const dir = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.array(dir, { maxLength: 6 }), fc.array(dir, { maxLength: 20 }), (dirs, files) => {
        const covered = compileCoverage(dirs);
        for (const f of files) {
          const path = `${f}/package.json`;
          const naive = dirs.some((d) => path.startsWith(`${d}/`));
          expect(covered(path)).toBe(naive);
        }
      }),
    );
  });
});

describe('ignore globs', () => {
  it('picomatch globs with dot: true, on the path or any of its folders', () => {
    const ignored = compileIgnore(['examples/**', 'notebooks/*', '.github/**', './scripts/**']);
    expect(ignored('examples/a/package.json')).toBe(true);
    expect(ignored('notebooks/exp1/requirements.txt')).toBe(true); // notebooks/exp1 matches
    expect(ignored('.github/actions/x/package.json')).toBe(true);
    expect(ignored('scripts/go.mod')).toBe(true);
    expect(ignored('src/examples/package.json')).toBe(false);
    expect(ignored('examples.txt')).toBe(false);
  });

  it('a glob without a slash matches a name at any depth, as in .gitignore', () => {
    const ignored = compileIgnore(['*.onnx', 'fixtures', '.cache']);
    expect(ignored('a/b/model.onnx')).toBe(true);
    expect(ignored('model.onnx')).toBe(true);
    expect(ignored('test/fixtures/package.json')).toBe(true);
    expect(ignored('x/.cache/m.gguf')).toBe(true);
    expect(ignored('a/b/model.gguf')).toBe(false);
    expect(ignored('fixtures2/package.json')).toBe(false);
  });

  it('** patterns and braces', () => {
    const ignored = compileIgnore(['**/test/**', '**/*.{pt,bin}']);
    expect(ignored('a/test/models/x.gguf')).toBe(true);
    expect(ignored('models/x.pt')).toBe(true);
    expect(ignored('models/x.pth')).toBe(false);
  });

  it('a ! glob takes paths back instead of matching everything', () => {
    const ignored = compileIgnore(['!examples/prod/**', 'examples/**']);
    expect(ignored('examples/demo/package.json')).toBe(true);
    expect(ignored('examples/prod/package.json')).toBe(false);
    expect(ignored('services/package.json')).toBe(false);
    expect(compileIgnore(['!anything'])('package.json')).toBe(false);
  });

  it('empty or blank globs ignore nothing', () => {
    expect(compileIgnore([])('package.json')).toBe(false);
    expect(compileIgnore(['', '  '])('package.json')).toBe(false);
  });
});

describe('normalizeRelPath', () => {
  it.each([
    ['./a/b/', 'a/b'],
    ['.', ''],
    ['./', ''],
    ['/a', 'a'],
    ['a\\b', 'a/b'],
    ['././a', 'a'],
  ])('%j → %j', (input, out) => expect(normalizeRelPath(input)).toBe(out));
});
