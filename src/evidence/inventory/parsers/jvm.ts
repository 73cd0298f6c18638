import type { DeclaredDependency } from '../types';
import { blankComments, LineIndex, stripBom } from './lines';
import { readTomlOr } from './toml';
import type { DependencyFileError } from './error';

/**
 * pom.xml, by a tolerant scan rather than an XML parser: every `<dependency>` element (in
 * `<dependencies>`, `<dependencyManagement>` or a plugin's dependencies) with a `<groupId>` and
 * an `<artifactId>`, reported at the line of the artifactId. Comments are ignored; properties
 * such as `${project.groupId}` are not resolved.
 */
export function parsePom(text: string): DeclaredDependency[] {
  const src = blankComments(stripBom(text), { block: ['<!--', '-->'] });
  const lines = new LineIndex(src);
  const out: DeclaredDependency[] = [];
  const open = /<dependency(?:\s[^>]*)?>/g;
  for (let m = open.exec(src); m !== null; m = open.exec(src)) {
    const start = m.index + m[0].length;
    const end = src.indexOf('</dependency>', start);
    if (end === -1) break;
    const body = src.slice(start, end);
    const group = /<groupId\s*>([^<]*)<\/groupId\s*>/.exec(body);
    const artifact = /<artifactId\s*>([^<]*)<\/artifactId\s*>/.exec(body);
    if (group?.[1] !== undefined && artifact?.[1] !== undefined) {
      const g = group[1].trim();
      const a = artifact[1].trim();
      const leading = artifact[1].length - artifact[1].trimStart().length;
      const at = start + artifact.index + artifact[0].indexOf('>') + 1 + leading;
      if (g !== '' && a !== '') out.push({ ecosystem: 'maven', name: `${g}:${a}`, line: lines.lineOf(at), section: 'dependencies' });
    }
    open.lastIndex = end;
  }
  return out;
}

/** Gradle dependency configurations: implementation, api, compileOnly, testImplementation, kapt, … */
const CONFIGURATION =
  /^(?:[a-z][A-Za-z0-9]*)?(?:[Ii]mplementation|[Aa]pi|[Cc]ompileOnly|[Cc]ompileOnlyApi|[Rr]untimeOnly|[Cc]ompile|[Rr]untime|[Aa]nnotationProcessor|[Dd]evelopmentOnly)$|^(?:kapt|ksp)(?:[A-Z][A-Za-z0-9]*)?$|^mavenBom$/;

/** `group:artifact[:version[:classifier]][@ext]` */
const COORDINATE = /^([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)(?::[^:@\s]*(?::[^:@\s]*)?)?(?:@\w+)?$/;

/**
 * build.gradle / build.gradle.kts: `implementation("g:a:v")`, `implementation 'g:a:v'`,
 * `api(platform("g:a:v"))`, `testImplementation(…)` and other configurations, `mavenBom("g:a:v")`
 * (Spring's dependency-management plugin, like a BOM in a POM), and the named
 * form `implementation(group = "g", name = "a")` / `implementation group: 'g', name: 'a'`.
 * The line reported is the line of the coordinate string (or of `name`). `classpath` (build
 * plugins) is not a dependency of the code. Version-catalog accessors (`libs.openai`) are
 * resolved by reading gradle/libs.versions.toml, which is scanned on its own.
 */
export function parseGradle(text: string): DeclaredDependency[] {
  const src = blankComments(stripBom(text), { block: ['/*', '*/'], lineComment: '//', strings: true });
  const lines = new LineIndex(src);
  const out: DeclaredDependency[] = [];
  // A configuration name, then `(` and/or whitespace, optionally platform(…), then a string.
  const call = /\b([A-Za-z_][A-Za-z0-9_]*)\s*\(?\s*(?:(?:platform|enforcedPlatform|testFixtures)\s*\(\s*)?(["'])([^"'\n]*)\2/g;
  for (let m = call.exec(src); m !== null; m = call.exec(src)) {
    const [, config = '', , literal = ''] = m;
    if (!CONFIGURATION.test(config)) continue;
    const coord = COORDINATE.exec(literal);
    if (coord) {
      const at = m.index + m[0].length - literal.length - 1;
      out.push({ ecosystem: 'maven', name: `${coord[1]}:${coord[2]}`, line: lines.lineOf(at), section: config });
    }
  }
  // Named arguments: group = "g", name = "a" (Kotlin) or group: 'g', name: 'a' (Groovy).
  const named = /\b([A-Za-z_][A-Za-z0-9_]*)\s*\(?\s*group\s*[:=]\s*(["'])([^"'\n]+)\2\s*,\s*name\s*[:=]\s*(["'])([^"'\n]+)\4/g;
  for (let m = named.exec(src); m !== null; m = named.exec(src)) {
    const [, config = '', , group = '', , name = ''] = m;
    if (!CONFIGURATION.test(config)) continue;
    const at = m.index + m[0].lastIndexOf(name);
    out.push({ ecosystem: 'maven', name: `${group.trim()}:${name.trim()}`, line: lines.lineOf(at), section: config });
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Gradle version catalog (gradle/libs.versions.toml): each `[libraries]` alias, as
 * `alias = "g:a:v"`, `alias = { module = "g:a", … }` or `alias = { group = "g", name = "a", … }`,
 * at the line of the alias. A catalog entry is a declaration the build can use, which is how
 * the inventory treats it (the `libs.alias` accessor in build.gradle is not resolved). A text
 * that is not TOML declares nothing (Gradle refuses it); `onError` hears why.
 */
export function parseVersionCatalog(text: string, onError?: (e: DependencyFileError) => void): DeclaredDependency[] {
  const found = new Map<string, { line: number; coord?: string; module?: string; group?: string; name?: string }>();
  for (const ev of readTomlOr(text, onError)) {
    const k = ev.key;
    if (k[0] !== 'libraries' || k.length < 2) continue;
    const alias = k[1] as string;
    let rec = found.get(alias);
    if (!rec) found.set(alias, (rec = { line: ev.line }));
    if (ev.type !== 'pair' || ev.value.kind !== 'string') continue;
    const v = ev.value.value.trim();
    if (k.length === 2) rec.coord = v;
    else if (k.length === 3 && k[2] === 'module') rec.module = v;
    else if (k.length === 3 && k[2] === 'group') rec.group = v;
    else if (k.length === 3 && k[2] === 'name') rec.name = v;
  }
  const out: DeclaredDependency[] = [];
  for (const [alias, rec] of found) {
    let name: string | undefined;
    const coord = COORDINATE.exec(rec.coord ?? rec.module ?? '');
    if (coord) name = `${coord[1]}:${coord[2]}`;
    else if (rec.group && rec.name) name = `${rec.group}:${rec.name}`;
    if (name !== undefined) out.push({ ecosystem: 'maven', name, line: rec.line, section: `[libraries] ${alias}` });
  }
  return out;
}
