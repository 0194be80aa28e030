/**
 * Packaging: the Dockerfile, .dockerignore, docker-compose.yml and the npm package, checked without a
 * Docker engine, and the repository's files for absolute paths of a development machine.
 *
 * The last test is the Docker build done by hand in a temporary directory whose path holds a space: a
 * clean copy of the repository's files, `npm ci`, `npm run build` and `npm run build:double` (the build
 * stages), the npm package's contents, then the two final stages of the Dockerfile laid out from their
 * own COPY instructions: the runtime stage (the exporter, production dependencies only) serving metrics
 * from a LibreNMS double, with the image's HEALTHCHECK, `npm start` from that spaced path and the CLI
 * through symlinks (issue 11: the old entry-point guard exited 0 there without starting); and the
 * librenms-double target (the demo's simulated LibreNMS, no node_modules at all) run with its CMD and
 * compose's healthcheck.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { parse as parseYaml } from 'yaml';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import { freePort } from '../helpers/servers.js';
import { START_SCRIPT, startScriptFlags } from '../helpers/start-script.js';

// npm ci and two compiles in a clean copy take one to two minutes on a loaded machine.
t.setTimeout(360_000);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
};
const BIN = pkg.bin['librenms-exporter'] ?? '';
/** The stage of the Dockerfile that builds the demo's simulated LibreNMS (compose's librenms-sim). */
const DOUBLE_TARGET = 'librenms-double';

/** Every file below `dir` (relative, with `/`), skipping folders named in `skip`. */
function walk(dir: string, skip: readonly string[] = []): string[] {
  const found: string[] = [];
  const visit = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skip.includes(path)) visit(path);
      } else found.push(path);
    }
  };
  visit('');
  return found.sort();
}

/** The TypeScript sources of the product: src/ alone. */
const SRC_FILES = walk(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'));
/** What `npm run build` must put in dist/: one .js per source of src/, nothing else. */
const EXPECTED_DIST = SRC_FILES.map((f) => `dist/${f.replace(/\.ts$/, '.js')}`).sort();

/**
 * The repository's files as the lead will commit them: tracked plus untracked-but-not-ignored.
 * `.cache/` (the shared tools' download cache, e.g. compose-check's Docker Compose) is reported
 * separately and never read.
 */
function repositoryFiles(): { files: string[]; cached: string[] } {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files: ${listed.stderr}`);
  const all = listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile());
  return { files: all.filter((f) => !f.startsWith('.cache/')), cached: all.filter((f) => f.startsWith('.cache/')) };
}

// ---------------------------------------------------------------- Dockerfile

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

interface Stage {
  readonly index: number;
  readonly name: string;
  /** `${NODE_IMAGE}` or the name of an earlier stage. */
  readonly base: string;
  readonly instructions: Instruction[];
}

/** Instructions of a Dockerfile (continuations joined, comments dropped), with their stage index. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const result: Instruction[] = [];
  let stage = -1;
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === 'FROM') stage++;
    result.push({ keyword, args: match[2]!.trim(), stage });
  }
  return result;
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const stages: Stage[] = dockerfile
  .filter((i) => i.keyword === 'FROM')
  .map((from) => {
    const match = /^(\S+)\s+AS\s+([\w-]+)$/i.exec(from.args);
    return { index: from.stage, base: match?.[1] ?? from.args, name: match?.[2] ?? '', instructions: dockerfile.filter((i) => i.stage === from.stage) };
  });
const runtimeStage = stages.at(-1)!;

function stageNamed(name: string): Stage | undefined {
  return stages.find((s) => s.name === name);
}

/** `COPY [--from=stage] source... dest` */
function copyOf(i: Instruction): { from: string | undefined; sources: string[]; dest: string } {
  const words = i.args.split(/\s+/);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from: words.find((w) => w.startsWith('--from='))?.slice('--from='.length), sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
}

/** The WORKDIR a stage runs in (inherited from the stage it is built on). */
function workdirOf(stage: Stage): string {
  const own = stage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args;
  if (own !== undefined) return own;
  const base = stageNamed(stage.base);
  return base === undefined ? '/' : workdirOf(base);
}

/** The stage and every stage whose files end up in it: the one it is built on and those it copies from. */
function closure(stage: Stage, seen = new Set<string>()): Stage[] {
  if (seen.has(stage.name)) return [];
  seen.add(stage.name);
  const upstream = [stage.base, ...stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => copyOf(i).from)]
    .map((name) => (name === undefined ? undefined : stageNamed(name)))
    .filter((s): s is Stage => s !== undefined);
  return [stage, ...upstream.flatMap((s) => closure(s, seen))];
}

/** The build-context paths a stage's image is made from (COPY without --from, in the whole closure). */
function contextSources(stage: Stage): string[] {
  return closure(stage).flatMap((s) =>
    s.instructions
      .filter((i) => i.keyword === 'COPY' && copyOf(i).from === undefined)
      .flatMap((i) => copyOf(i).sources.map((source) => source.replace(/^\.\//, '').replace(/\/$/, ''))),
  );
}

function runsOf(stages: readonly Stage[]): string[] {
  return stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));
}

/** The npm scripts a stage's RUN instructions call (`npm run NAME`). */
function scriptsRun(stage: Stage): string[] {
  return runsOf([stage]).flatMap((run) => [...run.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]!));
}

/** The output folder (relative to the repository) of an npm script that is `tsc -p CONFIG`. */
function outDirOfScript(script: string): string {
  const config = /\btsc\s+-p\s+(\S+)/.exec(pkg.scripts[script] ?? '')?.[1];
  if (config === undefined) throw new Error(`npm script ${script} is not "tsc -p CONFIG"`);
  const outDir = (JSON.parse(readFileSync(join(ROOT, config), 'utf8')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
  return posix.normalize(posix.join(posix.dirname(config), outDir));
}

/** The default of an ARG, wherever it is declared. */
function argDefault(name: string): string | undefined {
  const arg = dockerfile.find((i) => i.keyword === 'ARG' && i.args.startsWith(`${name}=`));
  return arg?.args.slice(name.length + 1).replace(/^"|"$/g, '');
}

function execForm(args: string): string[] {
  return JSON.parse(/^(?:CMD\s+)?(\[.*\])\s*$/.exec(args)?.[1] ?? '[]') as string[];
}

const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** Whether .dockerignore keeps `path` (relative, with `/`) out of the build context (no `!` patterns here). */
function dockerIgnored(path: string): boolean {
  return dockerignore.some((pattern) => {
    const source = pattern
      .replace(/^\//, '')
      .split(/(\*\*\/|\*|\?)/)
      .map((part) => (part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${source}(?:/.*)?$`).test(path);
  });
}

t.test('.dockerignore: the matcher reads patterns as Docker does', async (t) => {
  t.ok(dockerIgnored('node_modules/fastify/package.json'), 'a folder pattern covers what is below it');
  t.ok(dockerIgnored('server.log') && dockerIgnored('.env.local'), '* patterns');
  t.ok(dockerIgnored('src/tls/secrets/key.txt') || !dockerignore.includes('**/secrets'), '**/ patterns');
  t.notOk(dockerIgnored('src/cli.ts'), 'the sources are in the context');
  t.notOk(dockerIgnored('testing/cli.ts'), 'a name is not a prefix: test does not cover testing/');
});

/** An npm `files` entry as a pattern over package paths: `dir/` is everything below, `**` any folders, `*` any name. */
function globPattern(entry: string): RegExp {
  const body = entry
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .split('**/')
    .map((part) => part.replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(entry.endsWith('/') ? `^${body}` : `^${body}$`);
}

/** `a` against `b`, both `X.Y.Z`: negative, 0 or positive. */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) - (y?.[i] ?? 0);
  return 0;
}

/** package.json's `engines.node`, which must be a plain floor: `>=X.Y.Z`. */
function enginesFloor(): string {
  return /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1] ?? '';
}

/**
 * Whether `version` satisfies an npm `engines` range made of `||` alternatives of `>=X[.Y[.Z]]`, `^X[.Y[.Z]]`
 * or `X` (what the dependencies declare); undefined for a form this does not read, so the test says so.
 */
function satisfies(version: string, range: string): boolean | undefined {
  const full = (v: string): string => [...v.split('.'), '0', '0'].slice(0, 3).join('.');
  let understood = true;
  const met = range.split('||').some((alternative) => {
    const text = alternative.trim().replace(/\s+/g, '');
    const floor = /^>=(\d+(?:\.\d+){0,2})$/.exec(text)?.[1];
    if (floor !== undefined) return compareVersions(version, full(floor)) >= 0;
    const caret = /^\^?(\d+)(?:\.\d+){0,2}$/.exec(text);
    if (caret?.[1] !== undefined) return compareVersions(version, full(text.replace('^', ''))) >= 0 && Number(version.split('.')[0]) === Number(caret[1]);
    understood = false;
    return false;
  });
  if (met) return true;
  return understood ? false : undefined;
}

t.test("package.json: engines.node is the highest floor of the production dependencies' own engines", async (t) => {
  const floor = enginesFloor();
  t.match(pkg.engines.node, /^>=\d+\.\d+\.\d+$/, 'a plain floor, >=X.Y.Z');
  const floors: string[] = [];
  for (const name of Object.keys(pkg.dependencies)) {
    const declared = (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
    if (declared === undefined) continue;
    t.equal(satisfies(floor, declared), true, `${name} runs on Node ${floor} (it declares ${declared})`);
    const own = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(declared.trim())?.[1];
    if (own !== undefined) floors.push([...own.split('.'), '0', '0'].slice(0, 3).join('.'));
  }
  const highest = floors.sort(compareVersions).at(-1);
  t.equal(floor, highest, `no lower than a dependency needs, and no higher: the highest floor declared is ${highest}`);
  t.equal(satisfies('20.18.0', '>=20.18.1'), false, 'the range reader refuses a version below a floor');
  t.equal(satisfies('18.20.0', '^16 || ^18 || >=20'), true, 'and reads alternatives');
  t.equal(satisfies('20.1.0', '~20.1'), undefined, 'and says when it cannot read a range');
  t.ok(
    globPattern('dist/**/*.map').test('dist/config/env.js.map') && globPattern('dist/**/*.map').test('dist/cli.js.map'),
    'files patterns: ** is any folders',
  );
  t.notOk(globPattern('README.md').test('docs/README.md'), 'a name is the whole path');
});

t.test('Dockerfile: pinned Node LTS base, named stages, the exporter is the last stage', async (t) => {
  t.ok(stages.length >= 2, 'build stages and a runtime stage');
  const image = argDefault('NODE_IMAGE');
  t.ok(image, 'the base image is one ARG');
  t.match(image, /^node:(\d+)\.\d+\.\d+-(alpine3\.\d+|bookworm-slim|trixie-slim|slim)$/, 'pinned to a release, slim or alpine');
  const major = Number(/^node:(\d+)/.exec(image ?? '')?.[1]);
  t.equal(major % 2, 0, 'an LTS line (even major)');
  const imageVersion = /^node:(\d+\.\d+\.\d+)/.exec(image ?? '')?.[1] ?? '';
  t.ok(compareVersions(imageVersion, enginesFloor()) >= 0, `Node ${imageVersion} is at least the engines minimum, ${enginesFloor()}`);
  const names = stages.map((s) => s.name);
  t.equal(new Set(names).size, names.length, 'stage names are unique');
  for (const stage of stages) {
    t.match(stage.name, /^[a-z][\w-]*$/, `stage ${stage.index} has a name`);
    const earlier = stages.filter((s) => s.index < stage.index).map((s) => s.name);
    t.ok(stage.base === '${NODE_IMAGE}' || earlier.includes(stage.base), `${stage.name} is built on the pinned base or on an earlier stage`);
  }

  t.equal(runtimeStage.name, 'runtime', 'the last stage, what a plain `docker build .` gives, is the exporter (runtime)');
  t.equal(runtimeStage.base, '${NODE_IMAGE}', 'the runtime stage starts from the bare base image');
  const runtimeRuns = runsOf([runtimeStage]);
  t.ok(
    runtimeRuns.some((run) => /npm ci\b.*--omit=dev/.test(run) && run.includes('--ignore-scripts')),
    'runtime: npm ci --omit=dev --ignore-scripts',
  );
  t.notOk(
    runtimeRuns.some((run) => /npm (run )?build|tsc/.test(run)),
    'nothing is compiled in the runtime stage',
  );
  const runtimeFrom = runtimeStage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => copyOf(i).from)
    .filter((f) => f !== undefined);
  t.ok(runtimeFrom.length > 0, 'the runtime stage copies a compiled build');
  for (const from of runtimeFrom) t.same(scriptsRun(stageNamed(from)!), ['build'], `stage ${from}, copied into runtime, runs npm run build (and only it)`);
});

t.test('Dockerfile: the runtime stage copies nothing from librenms-double/, built or not', async (t) => {
  const runtimeClosure = closure(runtimeStage);
  const sources = contextSources(runtimeStage);
  t.ok(sources.includes('src'), 'the exporter is built from src/');
  const doubleOutDir = outDirOfScript('build:double');
  t.equal(doubleOutDir, 'dist-double', "the double's own output folder");
  for (const source of sources) {
    t.notOk(
      source === 'librenms-double' || source.startsWith('librenms-double/') || source === doubleOutDir || source.startsWith(`${doubleOutDir}/`),
      `${source}: not the double`,
    );
    t.notOk(source === '.' || source === '*', `${source}: not the whole context (it would hold librenms-double/)`);
  }
  t.notOk(
    runtimeClosure.some((s) => s.name === DOUBLE_TARGET || scriptsRun(s).includes('build:double')),
    'no stage the runtime is made from builds or is the double',
  );
  t.notOk(
    runtimeClosure.flatMap((s) => s.instructions).some((i) => /librenms-double|dist-double/.test(i.args)),
    'no instruction of those stages names the double',
  );

  // What `npm run build` compiles is src/ alone, and src/ does not import the double.
  const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    compilerOptions: { rootDir: string; outDir: string };
    include: string[];
  };
  t.same(buildConfig.include, ['src'], 'tsconfig.build.json compiles src/ only');
  t.equal(buildConfig.compilerOptions.rootDir, 'src');
  t.equal(outDirOfScript('build'), 'dist');
  const importers = SRC_FILES.filter((f) =>
    /from\s+['"][^'"]*librenms-double|import\(\s*['"][^'"]*librenms-double/.test(readFileSync(join(ROOT, 'src', f), 'utf8')),
  );
  t.same(importers, [], 'no module of src/ imports the double');

  // And the double's target is built without the product.
  const doubleStage = stageNamed(DOUBLE_TARGET);
  t.ok(doubleStage, `a stage named ${DOUBLE_TARGET} (compose's librenms-sim builds it)`);
  if (doubleStage === undefined) return;
  const doubleSources = contextSources(doubleStage);
  t.ok(doubleSources.includes('librenms-double'), 'the double is built from librenms-double/');
  t.notOk(doubleSources.includes('src'), 'and not from src/');
  t.ok(doubleStage.index < runtimeStage.index, 'the double target comes before the runtime stage');
  t.notOk(
    closure(doubleStage).some((s) => s.name === runtimeStage.name),
    'the double is not built on the exporter image',
  );
});

t.test('Dockerfile: the librenms-double target holds the compiled double and node, no npm dependency', async (t) => {
  const stage = stageNamed(DOUBLE_TARGET);
  if (stage === undefined) {
    t.fail(`no stage ${DOUBLE_TARGET}`);
    return;
  }
  t.equal(stage.base, '${NODE_IMAGE}', 'starts from the bare base image');
  t.same(runsOf([stage]), [], 'runs nothing: no npm ci, no node_modules');
  const froms = stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => copyOf(i).from)
    .filter((f) => f !== undefined);
  t.ok(froms.length > 0);
  for (const from of froms) t.same(scriptsRun(stageNamed(from)!), ['build:double'], `stage ${from} runs npm run build:double`);
  const cmd = execForm(stage.instructions.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '');
  t.same(
    cmd,
    ['node', `${outDirOfScript('build:double')}/main.js`, '--host', '0.0.0.0', '--port', '8000'],
    'CMD: the double on every interface of its container, port 8000',
  );
  const user = stage.instructions.filter((i) => i.keyword === 'USER').at(-1);
  t.notMatch(user?.args ?? 'root', /^(root|0)(:|$)/, 'not root');
  t.notOk(
    stage.instructions.some((i) => i.keyword === 'HEALTHCHECK'),
    "the exporter's HEALTHCHECK is not inherited here (compose gives the double its own)",
  );

  // Every module the compiled double imports is its own or node's: nothing from node_modules.
  const doubleConfig = JSON.parse(readFileSync(join(ROOT, 'librenms-double/tsconfig.build.json'), 'utf8')) as { exclude?: string[] };
  const compiled = walk(join(ROOT, 'librenms-double')).filter((f) => f.endsWith('.ts') && !(doubleConfig.exclude ?? []).includes(f));
  t.ok(compiled.includes('main.ts') && compiled.includes('double.ts'), 'main.ts and double.ts are compiled');
  t.notOk(compiled.includes('demo.ts'), 'demo.ts (it imports the exporter) is not compiled into the image');
  for (const file of compiled) {
    const text = readFileSync(join(ROOT, 'librenms-double', file), 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? m[2] ?? '',
    );
    const foreign = specifiers.filter((s) => !s.startsWith('node:') && !/^\.\/[\w.-]+\.js$/.test(s));
    t.same(foreign, [], `${file} imports only node: modules and files beside it`);
  }
});

t.test('Dockerfile: every COPY source exists in the build context or is the output of the stage it comes from', async (t) => {
  const copies = dockerfile.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
  t.ok(copies.length > 0);
  for (const copy of copies) {
    t.equal(copy.keyword, 'COPY', 'COPY, not ADD');
    const { from, sources } = copyOf(copy);
    for (const source of sources) {
      if (from === undefined) {
        const path = source.replace(/^\.\//, '').replace(/\/$/, '');
        t.ok(existsSync(join(ROOT, path)), `COPY source ${source} exists in the repository`);
        t.notOk(dockerIgnored(path), `${source} is not excluded by .dockerignore`);
        continue;
      }
      const stage = stageNamed(from);
      t.ok(stage, `stage ${from} exists`);
      if (stage === undefined) continue;
      const [script] = scriptsRun(stage);
      t.ok(script, `stage ${from} compiles something`);
      t.equal(source, posix.join(workdirOf(stage), outDirOfScript(script ?? '')), `${source} is the output of npm run ${script} in stage ${from}`);
    }
  }
  t.ok(existsSync(join(ROOT, 'package-lock.json')), 'npm ci needs the lockfile');

  // What each build compiles is in the context; what the context leaves out is not compiled.
  const doubleConfig = JSON.parse(readFileSync(join(ROOT, 'librenms-double/tsconfig.build.json'), 'utf8')) as { exclude?: string[] };
  for (const file of walk(join(ROOT, 'librenms-double'))) {
    const excluded = (doubleConfig.exclude ?? []).includes(file);
    if (dockerIgnored(`librenms-double/${file}`)) t.ok(excluded, `librenms-double/${file} is out of the context and out of the build`);
  }
  for (const needed of [
    'tsconfig.json',
    'tsconfig.build.json',
    'librenms-double/tsconfig.json',
    'librenms-double/tsconfig.build.json',
    'librenms-double/main.ts',
    'src/cli.ts',
  ]) {
    t.notOk(dockerIgnored(needed), `${needed} is in the build context`);
  }
  t.ok(existsSync(join(ROOT, 'src', BIN.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), 'the bin is compiled from src/');
});

t.test('Dockerfile: runs the package bin as a non-root user, exposes 9878, has a HEALTHCHECK and OCI labels', async (t) => {
  const runtime = runtimeStage.instructions;
  const cmd = runtime.filter((i) => i.keyword === 'CMD').at(-1);
  t.ok(cmd, 'CMD present');
  t.same(execForm(cmd?.args ?? ''), ['node', BIN], 'CMD runs the package bin (exec form)');
  t.equal(BIN, 'dist/cli.js');
  // The image starts the exporter with the V8 flags `npm start` uses (and the benchmark measures).
  const startFlags = startScriptFlags().join(' ');
  t.not(startFlags, '', 'npm start passes V8 flags');
  const env = runtime
    .filter((i) => i.keyword === 'ENV')
    .map((i) => i.args)
    .join(' ');
  const nodeOptions = /\bNODE_OPTIONS=(\S+)/.exec(env)?.[1];
  t.equal(nodeOptions, startFlags, 'the image sets NODE_OPTIONS to the flags of npm start');
  // Node refuses to start at all with a flag that NODE_OPTIONS does not allow.
  const withOptions = spawnSync(process.execPath, ['-e', ''], { env: { ...process.env, NODE_OPTIONS: nodeOptions ?? '' }, encoding: 'utf8' });
  t.equal(withOptions.status, 0, `node starts with NODE_OPTIONS=${nodeOptions} ${withOptions.stderr}`);
  t.notOk(
    dockerfile.some((i) => i.keyword === 'ENTRYPOINT'),
    'no ENTRYPOINT: `docker run image node dist/cli.js check` works',
  );
  t.ok(
    runtime.some((i) => i.keyword === 'EXPOSE' && i.args.split(/\s+/).includes('9878')),
    'EXPOSE 9878',
  );
  const user = runtime.filter((i) => i.keyword === 'USER').at(-1);
  t.ok(user, 'USER in the runtime stage');
  t.notMatch(user?.args ?? 'root', /^(root|0)(:|$)/, 'not root');
  const health = runtime.find((i) => i.keyword === 'HEALTHCHECK');
  t.ok(health, 'HEALTHCHECK in the runtime stage');
  t.match(health?.args ?? '', '/healthz');
  t.notMatch(health?.args ?? '', /\b(curl|wget)\b/, 'needs no extra tools');
  const labels = runtime
    .filter((i) => i.keyword === 'LABEL')
    .map((i) => i.args)
    .join(' ');
  for (const key of ['title', 'description', 'version', 'licenses', 'revision']) t.match(labels, `org.opencontainers.image.${key}=`);
  t.match(labels, 'org.opencontainers.image.title="librenms-exporter"');
  t.equal(argDefault('VERSION'), pkg.version, 'the version label defaults to package.json version');
  for (const needed of ['.git', '.cache', 'node_modules', 'dist', 'dist-double', '.env', 'test']) t.ok(dockerIgnored(needed), `.dockerignore has ${needed}`);
});

/** The command the image's HEALTHCHECK runs (exec form). */
function healthcheckCommand(): string[] {
  const health = runtimeStage.instructions.find((i) => i.keyword === 'HEALTHCHECK');
  return execForm(/\bCMD\s+(\[.*\])\s*$/.exec(health?.args ?? '')?.[1] ?? '');
}

// ---------------------------------------------------------------- docker-compose.yml

interface ComposeService {
  image?: string;
  build?: { context?: string; target?: string } | string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  extra_hosts?: string[];
  healthcheck?: { test?: string[] };
}

const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};

/** `${VAR:-default}` → default (what compose uses when the variable is unset). */
function interpolateDefaults(text: string): string {
  return text.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_all, fallback: string | undefined) => fallback ?? '');
}

/** The command a compose service runs: its own, or its image's CMD (the Dockerfile stage it builds). */
function serviceCommand(service: ComposeService | undefined): string[] {
  if (service?.command !== undefined) return service.command;
  const target = typeof service?.build === 'object' ? service.build.target : undefined;
  const stage = target === undefined ? runtimeStage : stageNamed(target);
  return execForm(stage?.instructions.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '');
}

t.test('docker-compose.yml: services, bind mounts and host ports', async (t) => {
  const services = compose.services;
  for (const name of ['exporter', 'prometheus', 'alertmanager', 'grafana', 'librenms-sim']) t.ok(services[name], `service ${name}`);
  const hostPorts = new Map<string, string>();
  for (const [name, service] of Object.entries(services)) {
    t.ok(service.image !== undefined || service.build !== undefined, `${name} has an image or a build`);
    if (service.image !== undefined && service.build === undefined) t.match(service.image, /:v?\d+\.\d+\.\d+$/, `${name}: image pinned to a release`);
    for (const volume of service.volumes ?? []) {
      const [source] = volume.split(':');
      if (source === undefined || !/^[./~]/.test(source)) {
        t.ok(compose.volumes && source !== undefined && source in compose.volumes, `${name}: named volume ${source} is declared`);
        continue;
      }
      t.ok(existsSync(join(ROOT, source)), `${name}: bind-mounted ${source} exists`);
    }
    for (const port of service.ports ?? []) {
      const parts = interpolateDefaults(port).split(':');
      const hostPort = parts.length === 3 ? parts[1] : parts.length === 2 ? parts[0] : undefined;
      t.ok(hostPort, `${name}: ${port} publishes a host port`);
      const key = `${hostPort}`;
      t.notOk(hostPorts.has(key), `host port ${key} of ${name} is not also used by ${hostPorts.get(key)}`);
      hostPorts.set(key, name);
    }
  }
  t.equal(hostPorts.get('9878'), 'exporter');
  t.notOk(hostPorts.has('8000'), 'port 8000 stays free for the LibreNMS of the workshop');
});

t.test('docker-compose.yml: the exporter and the demo simulator are built from their own targets', async (t) => {
  const { exporter } = compose.services;
  const sim = compose.services['librenms-sim'];
  t.same(exporter?.build, { context: '.', target: runtimeStage.name }, 'the exporter: the runtime stage');
  t.same(sim?.build, { context: '.', target: DOUBLE_TARGET }, `the simulator: the ${DOUBLE_TARGET} target`);
  t.match(exporter?.image ?? '', /^librenms-exporter:\d+\.\d+\.\d+$/);
  t.equal(exporter?.image, `librenms-exporter:${pkg.version}`, 'the exporter image is tagged with the package version');
  t.ok(sim?.image, 'the simulator has an image name');
  t.not(sim?.image?.split(':')[0], exporter?.image?.split(':')[0], 'its own image name: never the exporter image');
  t.same(sim?.profiles, ['demo'], 'only in the demo profile');

  const simCommand = serviceCommand(sim);
  t.equal(simCommand[0], 'node');
  t.match(simCommand[1] ?? '', new RegExp(`^${outDirOfScript('build:double')}/`), 'the simulator runs the built double');
  t.ok(
    existsSync(join(ROOT, 'librenms-double', (simCommand[1] ?? '').replace(/^dist-double\//, '').replace(/\.js$/, '.ts'))),
    'the simulator entry is built from librenms-double/',
  );
  t.equal(simCommand[simCommand.indexOf('--host') + 1], '0.0.0.0', 'the simulator listens on every interface of its container');
  const simPort = simCommand[simCommand.indexOf('--port') + 1];
  t.equal(simPort, '8000');
  t.match(readFileSync(join(ROOT, 'librenms-double/main.ts'), 'utf8'), /option\('host'[\s\S]*intOption\('port'/, 'main.ts takes --host and --port');
  t.match(JSON.stringify(sim?.healthcheck?.test ?? []), `127.0.0.1:${simPort}/`, "the simulator's healthcheck asks its own port");

  const demoEnv = Object.fromEntries(
    readFileSync(join(ROOT, 'docker/demo.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  t.equal(demoEnv['COMPOSE_PROFILES'], 'demo');
  t.equal(demoEnv['DOCKER_LIBRENMS_URL'], `http://librenms-sim:${simPort}`, 'the demo points the exporter at the simulator');
  t.ok(demoEnv['LIBRENMS_TOKEN'], 'the demo token opens the simulator (LIBRENMS_SIM_TOKEN follows LIBRENMS_TOKEN)');
  t.match(sim?.environment?.['LIBRENMS_SIM_TOKEN'] ?? '', '${LIBRENMS_TOKEN');
});

t.test('docker-compose.yml: the exporter, Prometheus, Alertmanager and Grafana are wired together', async (t) => {
  const { exporter, prometheus, grafana } = compose.services;
  t.match(interpolateDefaults(exporter?.environment?.['LIBRENMS_URL'] ?? ''), 'http://host.docker.internal:8000');
  t.ok(exporter?.extra_hosts?.includes('host.docker.internal:host-gateway'), 'host.docker.internal works on Linux too');
  t.ok('LIBRENMS_TOKEN' in (exporter?.environment ?? {}) && 'LIBRENMS_TOKEN_FILE' in (exporter?.environment ?? {}), 'token via env or file');

  t.equal(grafana?.environment?.['PROMETHEUS_URL'], 'http://prometheus:9090');
  t.ok(grafana?.volumes?.some((v) => v.startsWith('./grafana/dashboards:/var/lib/grafana/dashboards/librenms')));

  // Prometheus: the compose config mounted where the image reads it, the rule files next to it
  // (test/stack/packaging-promtool.test.ts runs promtool on that layout).
  const configMount = prometheus?.volumes?.find((v) => v.split(':')[1] === '/etc/prometheus/prometheus.yml');
  t.ok(configMount, 'a config mounted at /etc/prometheus/prometheus.yml');
  const configPath = configMount?.split(':')[0] ?? '';
  const config = parseYaml(readFileSync(join(ROOT, configPath), 'utf8')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  };
  t.same(config.scrape_configs[0]?.static_configs[0]?.targets, ['exporter:9878']);
  t.equal(config.scrape_configs[0]?.job_name, 'librenms', 'the job name the alert rules select');
  t.same(config.alerting.alertmanagers[0]?.static_configs[0]?.targets, ['alertmanager:9093']);
  const rulesMount = prometheus?.volumes?.find((v) => v.split(':')[1] === '/etc/prometheus/prometheus');
  t.equal(rulesMount?.split(':')[0], './prometheus', 'the repository rule files at /etc/prometheus/prometheus');
  t.same(
    config.rule_files,
    (parseYaml(readFileSync(join(ROOT, 'prometheus.yml'), 'utf8')) as { rule_files: string[] }).rule_files,
    'the same rule files as prometheus.yml',
  );
});

// ---------------------------------------------------------------- absolute paths of a development machine

/**
 * An absolute path of a development machine: a home or work folder at the start of a path (after a
 * quote, a space, `=`, `(`, `file://`, ...), not a URL path such as https://example.org/home/.
 * Assembled from parts so that this file does not name one itself.
 */
const MACHINE_PATH = new RegExp(
  `(?:^|[^\\w.~/-]|file://)/(?:${['work', 'home', 'root', 'Users', 'Volumes', 'mnt/c'].join('|')})/|\\b[A-Z]:\\\\(?:Users|home)\\\\`,
  'm',
);

t.test('no file of the repository names an absolute path of a development machine', async (t) => {
  const slash = '/';
  for (const bad of [
    `${slash}home${slash}alice/librenms-exporter`,
    `see "${slash}work${slash}shared/api.md"`,
    `file://${slash}Users${slash}bob/x`,
    `cd ${slash}root${slash}app`,
    `PATH=/usr/bin:${slash}home${slash}bob/bin`,
    'C:\\Users\\bob\\x',
  ]) {
    t.match(bad, MACHINE_PATH, `the pattern finds ${bad}`);
  }
  for (const good of [
    'https://example.org/home/index.html',
    'node_modules/x/home/y',
    './work/x',
    '/etc/prometheus/prometheus.yml',
    '/app/dist/cli.js',
    '~/src/x',
  ]) {
    t.notMatch(good, MACHINE_PATH, `the pattern leaves ${good}`);
  }

  const { files, cached } = repositoryFiles();
  t.same(cached, [], ".cache/ (the tools' download cache) is git-ignored, so it is never committed");
  t.ok(files.length > 50, `${files.length} files read`);
  const found: string[] = [];
  for (const file of files) {
    if (file === 'package-lock.json') continue;
    const data = readFileSync(join(ROOT, file));
    if (data.includes(0)) continue; // binary (images): no source names a path there
    data
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        if (MACHINE_PATH.test(line)) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
      });
  }
  t.same(found, [], 'no file names an absolute path of a development machine');
});

// ---------------------------------------------------------------- the npm package and the built images

const NPM_ENV = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: NPM_ENV }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM to the process group of a child started with `detached: true` (npm start runs sh and node). */
function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  });
}

interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  readonly output: () => string;
}

/**
 * Starts `command` and waits until it serves /healthz on LISTEN_ADDRESS=127.0.0.1:PORT. Fails, with
 * its exit code and output, when the process exits first (the old entry-point guard exited 0 there).
 */
async function serve(t: Test, command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd,
    env: {
      PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'] ?? tmpdir(),
      LISTEN_ADDRESS: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  t.teardown(() => stop(child));
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`${command} ${args.join(' ')} exited (code ${code}, signal ${signal}) before serving /healthz:\n${output}`)),
    ),
  );
  exited.catch(() => undefined);
  const base = `http://127.0.0.1:${port}`;
  await Promise.race([waitFor(`/healthz of ${command} ${args.join(' ')}`, async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined)), exited]);
  return { child, base, output: () => output };
}

/**
 * Lays out a final stage of the Dockerfile in `dir` from its COPY instructions (and its npm ci): the
 * context is `context`; the build stages' WORKDIR is `built`, awaited only at the first COPY --from.
 */
async function layOutStage(t: Test, stage: Stage, dir: string, built: Promise<string>, context: string): Promise<void> {
  const workdir = workdirOf(stage);
  mkdirSync(dir, { recursive: true });
  for (const i of stage.instructions) {
    if (i.keyword === 'COPY') {
      const { from, sources, dest } = copyOf(i);
      for (const source of sources) {
        // Build stages run in their WORKDIR on a copy of the context: here, the clean build `built`.
        const origin = from === undefined ? join(context, source) : join(await built, posix.relative(workdirOf(stageNamed(from)!), source));
        const target =
          dest.endsWith('/') || sources.length > 1
            ? join(dir, posix.relative(workdir, posix.resolve(workdir, dest)), posix.basename(source))
            : join(dir, posix.relative(workdir, posix.resolve(workdir, dest)));
        t.ok(existsSync(origin), `${stage.name}: COPY ${from === undefined ? '' : `--from=${from} `}${source} has something to copy`);
        cpSync(origin, target, { recursive: true });
      }
    } else if (i.keyword === 'RUN') {
      for (const step of i.args.split('&&').map((s) => s.trim())) {
        if (step.startsWith('npm cache clean')) continue; // the image's cache, not this machine's
        t.match(step, /^npm ci\b/, `${stage.name}: RUN ${step} is one this test knows`);
        const args = step.split(/\s+/).slice(1);
        const ci = await run('npm', [...args, '--prefer-offline'], dir, 120_000);
        t.equal(ci.code, 0, `${stage.name}: ${step}: ${ci.stderr.slice(-2000)}`);
      }
    }
  }
}

t.test('clean build as in the image: npm ci, both builds, the package, then each image from its stage', async (t) => {
  // A path with a space: `npm start` and the CLI must start there (issue 11).
  const top = mkdtempSync(join(tmpdir(), 'librenms exporter packaging '));
  t.teardown(() => rmSync(top, { recursive: true, force: true }));
  t.match(top, / /, 'the build directory has a space in its path');
  const repo = join(top, 'repo');

  const { files } = repositoryFiles();
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file));
  }
  t.ok(files.length > 20, `${files.length} files copied`);
  t.notOk(
    ['node_modules', 'dist', 'dist-double', '.env'].some((f) => existsSync(join(repo, f))),
    'no build output or .env copied',
  );

  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const config = { LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token };
  const image = join(top, 'runtime image');

  // The build stages: the deps stage's npm ci (as the Dockerfile runs it), then both builds at once.
  // The runtime stage's own npm ci runs meanwhile; it waits for the build only at COPY --from.
  const depsCi = stages.flatMap((s) => runsOf([s])).find((run) => /^npm ci\b/.test(run) && !run.includes('--omit=dev'));
  t.ok(depsCi, 'a build stage installs every dependency with npm ci');
  const built = (async (): Promise<string> => {
    const ci = await run('npm', [...(depsCi ?? 'npm ci').split(/\s+/).slice(1), '--prefer-offline'], repo, 180_000);
    t.equal(ci.code, 0, `${depsCi}: ${ci.stderr.slice(-2000)}`);
    const builds = await Promise.all(['build', 'build:double'].map(async (script) => ({ script, ...(await run('npm', ['run', script], repo, 180_000)) })));
    for (const build of builds) t.equal(build.code, 0, `npm run ${build.script}: ${build.stdout.slice(-2000)}${build.stderr.slice(-2000)}`);
    return repo;
  })();
  const runtimeLaidOut = layOutStage(t, runtimeStage, image, built, repo);
  await built;
  await runtimeLaidOut; // before the package test below plants old files in dist/
  const dist = walk(join(repo, 'dist'))
    .filter((f) => !f.endsWith('.map'))
    .map((f) => `dist/${f}`);
  t.same(dist, EXPECTED_DIST, 'dist/ holds src/ compiled and nothing else: no double, no second entry point');
  t.ok(dist.includes(BIN), `${BIN} built`);
  t.notOk(existsSync(join(repo, 'dist/server.js')), 'no dist/server.js: the CLI is the one entry point');
  t.match(readFileSync(join(repo, BIN), 'utf8'), /^#!\/usr\/bin\/env node\n/, 'the bin starts with a shebang');
  const doubleBuilt = walk(join(repo, 'dist-double'));
  t.ok(doubleBuilt.includes('main.js') && doubleBuilt.includes('double.js'), 'npm run build:double compiles the double into dist-double/');
  t.notOk(doubleBuilt.includes('demo.js'), 'without demo.ts (it needs the exporter)');

  await t.test('the npm package holds the exporter and none of the double', async (t) => {
    const packFiles = async (): Promise<string[]> => {
      const pack = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], repo);
      t.equal(pack.code, 0, pack.stderr);
      return ((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files ?? []).map((f) => f.path);
    };
    const files = await packFiles();
    for (const needed of [BIN, 'README.md', 'package.json', '.env.example']) t.ok(files.includes(needed), `the package has ${needed}`);
    for (const optional of ['LICENSE', 'README.th.md', 'CHANGELOG.md']) {
      if (existsSync(join(ROOT, optional))) t.ok(files.includes(optional), `the package has ${optional}`);
    }
    t.same(files.filter((f) => f.startsWith('dist/')).sort(), EXPECTED_DIST, 'its dist/ is src/ compiled, nothing else');
    const double = files.filter((path) => /^(librenms-double|dist-double)\//.test(path));
    t.same(double, [], 'no file of the double, source or built');
    const unwanted = files.filter(
      (path) =>
        /(^|\/)(test|tests|fixtures?|bench|coverage|\.tap|\.cache|docker|node_modules|secrets?)\//.test(path) ||
        /(^|\/)\.env($|\.(?!example$))/.test(path) ||
        /\.(pem|key|map|ts)$/.test(path) ||
        /^src\//.test(path),
    );
    t.same(unwanted, [], 'no tests, fixtures, bench, sources, source maps, .env or secrets in the package');

    // Every entry of package.json `files` matters: a positive one brings a file in, a negated one keeps a built file out.
    const built = walk(join(repo, 'dist')).map((f) => `dist/${f}`);
    for (const entry of pkg.files) {
      const negated = entry.startsWith('!');
      const pattern = globPattern(entry.replace(/^!/, ''));
      t.ok(
        (negated ? built : files).some((path) => pattern.test(path)),
        `files entry "${entry}" matches ${negated ? 'a built file it leaves out' : 'a packed file'}`,
      );
    }
  });

  await t.test('the runtime stage: production dependencies and src/ compiled, nothing of the double', async (t) => {
    const contents = walk(image, ['node_modules']);
    t.same(
      contents.filter((f) => !f.endsWith('.map')),
      ['package-lock.json', 'package.json', ...EXPECTED_DIST].sort(),
      'the image holds package.json, the lockfile and src/ compiled: no double',
    );
    t.notOk(existsSync(join(image, 'node_modules/typescript')), 'no dev dependencies');
    t.notOk(existsSync(join(image, 'node_modules/tsx')), 'no tsx at run time');
    t.ok(existsSync(join(image, 'node_modules/fastify')), 'the production dependencies');

    const version = await run(process.execPath, [BIN, '--version'], image);
    t.equal(version.stdout, `${pkg.version}\n`, 'the built CLI knows its version');

    const exporter = await serve(t, process.execPath, [BIN], image, config);
    const metrics = await waitFor('librenms_up 1', async () => {
      const text = await (await fetch(`${exporter.base}/metrics`)).text();
      return /^librenms_up(\{[^}]*\})? 1$/m.test(text) ? text : undefined;
    });
    t.match(metrics, /^librenms_port_up\{hostname="192\.168\.56\.10",ifName="ether1",ifIndex="1"\} 1$/m, 'ether1 is served');
    t.notMatch(metrics + exporter.output(), double.token, 'the token appears in neither the metrics nor the logs');

    // The image's HEALTHCHECK command, as Docker would run it inside the container.
    const [healthBin, ...healthArgs] = healthcheckCommand();
    t.equal(healthBin, 'node');
    const listen = { PATH: process.env['PATH'] ?? '', LISTEN_ADDRESS: new URL(exporter.base).host };
    const healthy = spawnSync(process.execPath, healthArgs, { env: listen, timeout: 10_000 });
    t.equal(healthy.status, 0, 'HEALTHCHECK passes while the exporter serves');
    t.equal(await stop(exporter.child), 0, 'SIGTERM stops the exporter with exit code 0');
    const unhealthy = spawnSync(process.execPath, healthArgs, { env: listen, timeout: 10_000 });
    t.equal(unhealthy.status, 1, 'HEALTHCHECK fails when nothing serves');
  });

  await t.test('npm start from a directory whose path holds a space starts the exporter', async (t) => {
    t.match(image, / /);
    t.match(JSON.parse(readFileSync(join(image, 'package.json'), 'utf8')).scripts.start, START_SCRIPT);
    const started = await serve(t, 'npm', ['start'], image, config);
    const health = await fetch(`${started.base}/healthz`);
    t.equal(health.status, 200, '/healthz answers');
    t.equal(started.child.exitCode, null, 'and the exporter keeps running');
    const metrics = await (await fetch(`${started.base}/metrics`)).text();
    t.match(metrics, /^librenms_exporter_build_info\{/m, 'it serves metrics');
    // SIGTERM to npm's process group (npm, sh, node): the exporter stops, nothing is left serving.
    await stop(started.child);
    const after = await fetch(`${started.base}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    t.equal(after, 'refused', 'SIGTERM stops it: nothing serves the port any more');
  });

  await t.test('the CLI through symlinks (a linked folder, a linked bin as npm installs it) starts the exporter', async (t) => {
    const links = join(top, 'links');
    mkdirSync(links);
    symlinkSync(image, join(links, 'exporter'), 'dir');
    const linkedFolder = await serve(t, process.execPath, [join(links, 'exporter', BIN)], links, config);
    t.equal((await fetch(`${linkedFolder.base}/healthz`)).status, 200, 'node <linked folder>/dist/cli.js serves /healthz');
    t.equal(await stop(linkedFolder.child), 0);

    // npm links node_modules/.bin/librenms-exporter to the package's bin and makes it executable.
    chmodSync(join(image, BIN), 0o755);
    mkdirSync(join(links, '.bin'));
    symlinkSync(relative(join(links, '.bin'), join(image, BIN)).split(sep).join('/'), join(links, '.bin', 'librenms-exporter'));
    const linkedBin = await serve(t, join(links, '.bin', 'librenms-exporter'), [], links, config);
    t.equal((await fetch(`${linkedBin.base}/healthz`)).status, 200, '.bin/librenms-exporter (a relative symlink) serves /healthz');
    t.equal(await stop(linkedBin.child), 0);

    const relativeArgv = await serve(t, process.execPath, [join('exporter', BIN)], links, config);
    t.equal((await fetch(`${relativeArgv.base}/healthz`)).status, 200, 'a relative argv[1] through the linked folder serves /healthz');
    t.equal(await stop(relativeArgv.child), 0);
  });

  await t.test(`the ${DOUBLE_TARGET} target: the compiled double, no node_modules, runs with its CMD`, async (t) => {
    const stage = stageNamed(DOUBLE_TARGET);
    if (stage === undefined) {
      t.fail(`no stage ${DOUBLE_TARGET}`);
      return;
    }
    const simImage = join(top, 'double image');
    await layOutStage(t, stage, simImage, Promise.resolve(repo), repo);
    t.notOk(existsSync(join(simImage, 'node_modules')), 'no node_modules in the image');
    t.notOk(
      walk(simImage).some((f) => f.startsWith('dist/') || f.endsWith('.ts')),
      'neither the exporter nor sources',
    );

    const sim = compose.services['librenms-sim'];
    const [node, ...args] = serviceCommand(sim);
    t.equal(node, 'node');
    const port = await freePort();
    args[args.indexOf('--host') + 1] = '127.0.0.1';
    args[args.indexOf('--port') + 1] = String(port);
    const token = interpolateDefaults(sim?.environment?.['LIBRENMS_SIM_TOKEN'] ?? '');
    t.ok(token.length >= 16, 'the demo token');
    const child = spawn(process.execPath, args, {
      cwd: simImage,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'production',
        LIBRENMS_SIM_TOKEN: token,
        LIBRENMS_SIM_POLL_EVERY_SECONDS: sim?.environment?.['LIBRENMS_SIM_POLL_EVERY_SECONDS'] ?? '30',
      },
      stdio: 'ignore',
      detached: true,
    });
    t.teardown(() => stop(child));
    const system = await waitFor('the simulator', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v0/system`, { headers: { 'X-Auth-Token': token } });
      return response.ok ? ((await response.json()) as { status: string }) : undefined;
    });
    t.equal(system.status, 'ok', 'the double answers the API with the compose token and no npm dependency');

    // compose's healthcheck for librenms-sim, on this port.
    const [, ...check] = sim?.healthcheck?.test ?? [];
    t.equal(check[0], 'node');
    const healthy = spawnSync(
      process.execPath,
      check.slice(1).map((a) => a.replace('127.0.0.1:8000', `127.0.0.1:${port}`)),
      { timeout: 10_000 },
    );
    t.equal(healthy.status, 0, "compose's healthcheck passes against the double");

    // The exporter of the runtime image against it: the demo, end to end.
    const exporter = await serve(t, process.execPath, [BIN], image, { LIBRENMS_URL: `http://127.0.0.1:${port}`, LIBRENMS_TOKEN: token });
    const metrics = await waitFor('librenms_up 1', async () => {
      const text = await (await fetch(`${exporter.base}/metrics`)).text();
      return /^librenms_up(\{[^}]*\})? 1$/m.test(text) ? text : undefined;
    });
    t.match(metrics, /hostname="192\.168\.56\.10",ifName="ether1"/, 'the demo lab is served');
    t.equal(await stop(exporter.child), 0);
    t.equal(await stop(child), 0, 'SIGTERM stops the double with exit code 0');
  });
});
