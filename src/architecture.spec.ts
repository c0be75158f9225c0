import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './common/project-root.js';

const root = PROJECT_ROOT;
const src = path.join(root, 'src');
const client = path.join(root, 'client', 'src');

/** Every TypeScript source file under `dir`, tests apart (a unit test may reach across folders to what it checks). */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.(d|spec)\.tsx?$/.test(name)) files.push(full);
  }
  return files;
}

/** The files a source file imports by relative path (`import`, `import type`, `export … from`, `import()`), resolved. */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name));
}

/** The top-level folder of `src/` a path lies in, or undefined outside `src/` or directly in it (the composition root). */
function folderOf(file: string): string | undefined {
  const relative = path.relative(src, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

interface FolderGraph {
  /** folder → folders it imports */
  edges: Map<string, Set<string>>;
  /** "from→to" → one file of `from` importing from `to`, to name in a failure */
  witness: Map<string, string>;
}

function folderGraph(): FolderGraph {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, string>();
  for (const file of sourceFiles(src)) {
    const from = folderOf(file);
    if (from === undefined) continue;
    for (const target of relativeImports(file)) {
      const to = folderOf(target);
      if (to === undefined || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
      const key = `${from}→${to}`;
      if (!witness.has(key)) witness.set(key, `${path.relative(root, file)} imports ${path.relative(root, target)}`);
    }
  }
  return { edges, witness };
}

/**
 * Every elementary cycle of the graph, each once: it starts at its alphabetically first folder and only visits folders
 * after that one (the graph has a couple of dozen nodes, so the plain search is quick).
 */
function elementaryCycles(edges: Map<string, Set<string>>): string[][] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets])])].sort();
  const cycles: string[][] = [];
  for (const start of nodes) {
    const walk = (node: string, trail: string[]): void => {
      for (const next of [...(edges.get(node) ?? [])].sort()) {
        if (next === start) cycles.push([...trail]);
        else if (next > start && !trail.includes(next)) walk(next, [...trail, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

describe('source layout', () => {
  it('finds every elementary cycle of a small graph once', () => {
    const edges = new Map([
      ['a', new Set(['b', 'c'])],
      ['b', new Set(['a', 'c'])],
      ['c', new Set(['a'])],
    ]);
    expect(elementaryCycles(edges)).toEqual([
      ['a', 'b'],
      ['a', 'b', 'c'],
      ['a', 'c'],
    ]);
    expect(elementaryCycles(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });

  it('has no import cycle between the top-level folders of src/', () => {
    const { edges, witness } = folderGraph();
    const cycles = elementaryCycles(edges);
    const onCycles = [...new Set(cycles.flatMap((cycle) => cycle.map((from, i) => `${from}→${cycle[(i + 1) % cycle.length]}`)))];
    const report = [
      `${cycles.length} cycles:`,
      ...cycles.map((cycle) => `  ${[...cycle, cycle[0]].join(' → ')}`),
      'through these imports:',
      ...onCycles.sort().map((edge) => `  ${edge}: ${witness.get(edge)}`),
    ];
    expect(cycles, report.join('\n')).toEqual([]);
  });

  /**
   * Response and request types the client still reads from a feature folder (type-only, in `api-types.ts`): each is
   * to move to `src/contracts`, and the test fails when one is moved but still listed, so the list only shrinks.
   */
  const NOT_YET_IN_CONTRACTS = [
    'src/accelerators/accelerator.view.ts',
    'src/accelerators/dto/accelerator.dto.ts',
    'src/auth/dto/api-token.dto.ts',
    'src/commitments/commitment.view.ts',
    'src/commitments/dto/commitment.dto.ts',
    'src/companies/company.entity.ts',
    'src/companies/dto/company.dto.ts',
    'src/inbox/dto/inbox.dto.ts',
  ].map((file) => `client/src/api-types.ts imports ${file.replace(/\.ts$/, '.js')}`);

  it('lets the client import from src/ only the contracts and the domain', () => {
    const allowed = new Set(['contracts', 'domain']);
    const offending: string[] = [];
    for (const file of sourceFiles(client)) {
      for (const target of relativeImports(file)) {
        const relative = path.relative(src, target);
        if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
        if (!allowed.has(relative.split(path.sep)[0]!))
          offending.push(`${path.relative(root, file)} imports ${path.relative(root, target)}`);
      }
    }
    const unexpected = [...new Set(offending)].filter((line) => !NOT_YET_IN_CONTRACTS.includes(line));
    expect(unexpected, `client imports outside src/contracts and src/domain:\n${unexpected.join('\n')}`).toEqual([]);
    const moved = NOT_YET_IN_CONTRACTS.filter((line) => !offending.includes(line));
    expect(moved, 'no longer imported: take these off NOT_YET_IN_CONTRACTS').toEqual([]);
  });
});
