import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { type BrowserContext, chromium } from 'playwright-core';
import { projectPath } from '../../src/common/project-root.js';

/** Debian's package, where installed; CI machines may lack it, so the npm build below is the fallback. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

const LAUNCH_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ChromiumInstall {
  executablePath: string;
  env: Record<string, string>;
}

/**
 * The Chromium of `@sparticuz/chromium`, unpacked once into node_modules/.cache: the binary, the shared libraries
 * it expects (al2023.tar.br, found through LD_LIBRARY_PATH) and its fonts with a fontconfig file of our own —
 * without fonts, canvas text (chart axes and legends) renders as nothing.
 */
async function unpackNpmChromium(): Promise<ChromiumInstall> {
  const packageRoot = sparticuzRoot();
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const bin = join(packageRoot, 'bin');
  const target = projectPath(`node_modules/.cache/sparticuz-chromium-${version}`);
  if (!existsSync(join(target, 'chromium'))) {
    // Unpack beside the target and rename, so that two processes starting at once never see half a directory.
    mkdirSync(dirname(target), { recursive: true });
    const staging = mkdtempSync(`${target}.staging-`);
    await pipeline(
      createReadStream(join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(staging, 'chromium'), { mode: 0o755 }),
    );
    await untarBrotli(join(bin, 'al2023.tar.br'), staging);
    await untarBrotli(join(bin, 'fonts.tar.br'), staging);
    writeFileSync(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${join(target, 'fonts')}</dir>\n  <cachedir>${join(tmpdir(), `sparticuz-fonts-cache-${version}`)}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, target);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(target, 'chromium'))) throw error;
    }
  }
  return {
    executablePath: join(target, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(target, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: target,
      FONTCONFIG_FILE: join(target, 'fonts.conf'),
    },
  };
}

/** The folder of the installed @sparticuz/chromium package (its exports hide package.json from require.resolve). */
function sparticuzRoot(): string {
  let folder = dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium'));
  while (!existsSync(join(folder, 'bin', 'chromium.br'))) {
    if (dirname(folder) === folder) throw new Error('@sparticuz/chromium is installed without its bin/ folder');
    folder = dirname(folder);
  }
  return folder;
}

async function untarBrotli(archive: string, into: string): Promise<void> {
  // tar-fs comes with @sparticuz/chromium; resolve it from there rather than adding a dependency of our own.
  const sparticuzRequire = createRequire(join(sparticuzRoot(), 'package.json'));
  const { extract } = sparticuzRequire('tar-fs') as { extract(directory: string): NodeJS.WritableStream };
  await pipeline(createReadStream(archive), createBrotliDecompress(), extract(into));
}

async function findChromium(): Promise<ChromiumInstall> {
  const chosen = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  return chosen ? { executablePath: chosen, env: {} } : unpackNpmChromium();
}

export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a new, empty profile that is removed on close. */
export async function launchChromium(): Promise<HeadlessBrowser> {
  const install = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'ledger-chromium-profile-'));
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: install.executablePath,
    headless: true,
    args: LAUNCH_FLAGS,
    env: { ...env, ...install.env, HOME: profile },
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(60_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
