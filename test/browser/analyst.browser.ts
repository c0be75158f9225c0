import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../support/chromium.js';
import { chartTable, openWatchedPage, saveScreenshot, signInBrowser, tableCells } from '../support/browser-page.js';
import { http, startTestApp, type TestApp } from '../support/test-app.js';

/** Chromium logs every 4xx response; the ones a test provokes on purpose are left out of its problems. */
const expected = (problems: string[], ...statuses: string[]) =>
  problems.filter(
    (problem) =>
      !statuses.some((status) => problem === `console: Failed to load resource: the server responded with a status of ${status}`),
  );

// Our own sentences in the style of the seed article (Indonesian news, February 2024).
const ARTICLE = [
  'JAKARTA - Meta Platforms memperkuat rencana infrastruktur kecerdasan buatan tahun ini, kata seorang juru bicara pada Rabu.',
  'Perusahaan ini berencana memasang versi terbaru chip kustom buatannya di pusat data mereka tahun ini.',
  'Meta juga berencana mengamankan sekitar 120.000 unit GPU H200 dari Nvidia pada akhir tahun ini.',
  'Sementara itu, Nusantara Compute akan memasang 2.000 GPU Nvidia B300A tahun depan.',
].join('\n');

describe('analysts’ pages in a browser, signed in as an analyst', () => {
  let testApp: TestApp;
  let browser: HeadlessBrowser;
  let analyst: Record<string, string>;

  beforeAll(async () => {
    testApp = await startTestApp({ demoData: true, publicRead: true });
    browser = await launchChromium();
    const session = await testApp.session('analyst');
    analyst = session.headers;
    // Every tab starts signed in, as the sign-in page leaves the browser.
    await signInBrowser(browser.context, session);
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const api = (method: string, path: string, json?: unknown) => http(testApp.baseUrl, method, path, { json, headers: analyst });

  /** The list's rows for a search, largest quantity first (the default order leaves records of one day unordered). */
  async function listRows(page: Page, q: string): Promise<string[][]> {
    await page.goto(`${testApp.baseUrl}/commitments?q=${encodeURIComponent(q)}&sort=-quantity`);
    await page.getByTestId('commitments-list').waitFor();
    const [, ...rows] = await tableCells(page.getByTestId('commitments-list'));
    return rows.map((row) => row.slice(0, 6));
  }

  it('turns a pasted article into cited records: review, add the missing company and chip, correct, save in one go', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/entry`);
    await page.getByLabel('Article text').fill(ARTICLE);
    await page.getByLabel('Published on').fill('2024-02-28');
    await page.getByLabel('URL').fill('https://news.example.id/meta-gpu');
    await page.getByLabel('Title').fill('Meta perkuat infrastruktur AI');
    await page.getByLabel('Publisher').fill('Kabar Contoh');
    await page.getByRole('button', { name: 'Suggest records' }).click();

    await expect.poll(() => page.getByRole('heading', { name: '3 suggested records' }).count()).toBe(1);
    // Each suggestion's sentence is marked in the text, numbered like the suggestion.
    expect(
      await page
        .getByTestId('evidence-text')
        .locator('mark')
        .evaluateAll((marks) => marks.map((mark) => [mark.getAttribute('data-suggestions'), mark.textContent])),
    ).toEqual([
      ['1', 'Perusahaan ini berencana memasang versi terbaru chip kustom buatannya di pusat data mereka tahun ini.'],
      ['2', 'Meta juga berencana mengamankan sekitar 120.000 unit GPU H200 dari Nvidia pada akhir tahun ini.'],
      ['3', 'Sementara itu, Nusantara Compute akan memasang 2.000 GPU Nvidia B300A tahun depan.'],
    ]);
    const custom = page.getByTestId('suggestion-1');
    const gpus = page.getByTestId('suggestion-2');
    const newcomer = page.getByTestId('suggestion-3');
    expect(await custom.getByLabel('Chip or kind').inputValue()).toBe('kind:custom');
    expect(await custom.getByLabel('Quantity').inputValue()).toBe('');
    expect(await custom.getByLabel('Delivery by').inputValue()).toBe('2024-Q4');
    expect(await gpus.getByLabel('Quantity').inputValue()).toBe('120000');
    expect(await gpus.getByLabel('Qualifier').inputValue()).toBe('approximate');
    expect(await newcomer.getByLabel('Delivery from').inputValue()).toBe('2025-Q1');

    // The newcomer's chip is not in the catalog: saving now is refused at that row, before anything is sent.
    await page.getByRole('button', { name: 'Save 3 accepted records' }).click();
    await expect.poll(() => newcomer.getByTestId('error-companyId').textContent()).toBe('Choose the company');
    expect(await newcomer.getByTestId('error-acceleratorId').textContent()).toBe('Choose a chip, or an unknown GPU or custom chip');

    await newcomer.getByRole('button', { name: 'Add company “Nusantara Compute”' }).click();
    await expect.poll(() => newcomer.getByLabel('Company').locator('option:checked').textContent()).toBe('Nusantara Compute');
    await newcomer.getByLabel('Vendor of “B300A”').fill('Nvidia');
    await newcomer.getByRole('button', { name: 'Add chip “B300A”' }).click();
    await expect.poll(() => newcomer.getByLabel('Chip or kind').locator('option:checked').textContent()).toBe('B300A (Nvidia)');

    // Correct a figure, then save all three at once.
    await gpus.getByLabel('Quantity').fill('125000');
    await page.getByRole('button', { name: 'Save 3 accepted records' }).click();
    await expect
      .poll(() => page.getByTestId('saved').locator('li').allTextContents())
      .toEqual(['Meta: undisclosed Unknown custom chip', 'Meta: about 125,000 H200', 'Nusantara Compute: 2,000 B300A']);

    const saved = (await api('GET', '/api/commitments?q=perkuat&sort=quantity')).body;
    expect(saved.total).toBe(3);
    for (const record of saved.items) {
      expect(record.sources).toHaveLength(1);
      expect(record.sources[0]).toMatchObject({
        url: 'https://news.example.id/meta-gpu',
        title: 'Meta perkuat infrastruktur AI',
        publisher: 'Kabar Contoh',
        publishedOn: '2024-02-28',
        language: 'id',
      });
      expect(record.announcedOn).toBe('2024-02-28');
    }
    // Sorted by quantity, ascending: the undisclosed one first.
    expect(saved.items.map((record: { sources: { quote: string }[] }) => record.sources[0].quote)).toEqual([
      'Perusahaan ini berencana memasang versi terbaru chip kustom buatannya di pusat data mereka tahun ini.',
      'Sementara itu, Nusantara Compute akan memasang 2.000 GPU Nvidia B300A tahun depan.',
      'Meta juga berencana mengamankan sekitar 120.000 unit GPU H200 dari Nvidia pada akhir tahun ini.',
    ]);

    // On the dashboard: H200 has the H100's BF16 rate (factor 1), 125,000 over 2024-Q1..Q4 is 31,250 a quarter,
    // on top of the demo's 87,500 for Meta: 118,750.
    await page.getByRole('link', { name: 'See them on the dashboard' }).click();
    await page.locator('[data-testid="chart-capacity-by-company"][data-drawn="true"]').waitFor();
    await expect.poll(async () => (await chartTable(page, 'capacity-by-company'))['2024-Q1']?.Meta).toBe('118,750');
    // The dashboard exports the records it counts: the 15 demo records but Tesla's superseded 35k, and our 3.
    const exported = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export these records (CSV)' }).click();
    const lines = (await streamText(await (await exported).createReadStream())).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^key,company,/);
    expect(lines).toHaveLength(1 + 14 + 3);

    expect(await listRows(page, 'perkuat')).toEqual([
      ['2024-02-28', 'Meta', 'H200', 'about 125,000', '2024-Q1 – 2024-Q4', 'Announced'],
      ['2024-02-28', 'Nusantara Compute', 'B300A', '2,000', '2025-Q1 – 2025-Q4', 'Announced'],
      ['2024-02-28', 'Meta', 'Unknown custom chip', 'undisclosed', '2024-Q1 – 2024-Q4', 'Announced'],
    ]);
    await saveScreenshot(page, 'analyst-entry-saved');
    expect(problems).toEqual([]);
  });

  it('creates a record with the form, shows the server’s refusal at its field, then edits it', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments/new`);
    const form = page.locator('form.record-form');
    await form.getByLabel('Company').selectOption({ label: 'xAI' });
    await form.getByLabel('Chip').selectOption({ label: 'H100 SXM (Nvidia)' });
    await form.getByLabel('Quantity (units)').fill('12.5');
    await form.getByLabel('Delivery from (YYYY-Qn)').fill('2025-Q3');
    await form.getByLabel('Delivery by (YYYY-Qn)').fill('2025-Q2');
    await page.getByRole('button', { name: 'Save commitment' }).click();

    // Checked in the page, as the server would: nothing is sent yet.
    expect(await page.getByTestId('error-quantity').textContent()).toBe('Quantity must be a whole number');
    expect(await page.getByTestId('error-announcedOn').textContent()).toBe('Enter the date of the announcement');
    expect(await page.getByTestId('error-deliveryFrom').textContent()).toBe(
      'The delivery window cannot start after it ends: delivery from must not be after delivery by',
    );
    expect(await page.getByTestId('error-sources-0-url').textContent()).toBe('Give the source a URL or a title');

    await form.getByLabel('Quantity (units)').fill('12000');
    await form.getByLabel('Announced on').fill('2025-05-20');
    await form.getByLabel('Delivery from (YYYY-Qn)').fill('');
    // A title over the server's 500 characters: only the server checks lengths, and its answer lands at the field.
    await form.getByLabel('Title').fill(`Colossus tambah GPU ${'sangat '.repeat(80)}`);
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await expect.poll(() => page.getByTestId('error-sources-0-title').textContent()).toBe('Title must be at most 500 characters');
    expect(await page.getByRole('alert').last().textContent()).toContain('The request was not accepted');

    await form.getByLabel('Title').fill('xAI tambah GPU untuk Colossus');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('xAI: 12,000 H100 SXM');
    const id = page.url().split('/').pop() as string;
    expect(await page.getByTestId('commitment-facts').textContent()).toContain('2025-Q2');

    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Quantity (units)').fill('15000');
    await page.getByLabel('Qualifier').selectOption('at_least');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('xAI: at least 15,000 H100 SXM');
    expect(page.url()).toBe(`${testApp.baseUrl}/commitments/${id}`);
    const stored = (await api('GET', `/api/commitments/${id}`)).body;
    expect([stored.version, stored.quantity, stored.quantityQualifier, stored.deliveryFrom, stored.deliveryBy]).toEqual([
      2,
      15000,
      'at_least',
      null,
      '2025-Q2',
    ]);

    // Revise: the create form, prefilled, superseding this record.
    await page.getByRole('link', { name: /^Revise/ }).click();
    await expect.poll(() => page.getByLabel('Quantity (units)').inputValue()).toBe('15000');
    await page.getByLabel('Quantity (units)').fill('20000');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('xAI: at least 20,000 H100 SXM');
    const revision = (await api('GET', `/api/commitments/${page.url().split('/').pop()}`)).body;
    expect(revision.supersedesId).toBe(id);
    expect((await api('GET', `/api/commitments/${id}`)).body.supersededById).toBe(revision.id);
    expect(expected(problems, '400 (Bad Request)')).toEqual([]);
  });

  it('shows the other person’s values next to ours when the record changed meanwhile, and keeps our edits', async () => {
    const companies = (await api('GET', '/api/companies')).body as { id: string; name: string }[];
    const created = await api('POST', '/api/commitments', {
      companyId: companies.find((company) => company.name === 'Oracle')!.id,
      acceleratorKind: 'gpu',
      quantity: 4000,
      announcedOn: '2025-02-03',
      status: 'announced',
      sources: [{ title: 'Catatan uji konflik' }],
    });
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/commitments/${created.body.id}/edit`);
    await expect.poll(() => page.getByLabel('Quantity (units)').inputValue()).toBe('4000');

    // Someone else saves first.
    const other = await api('PATCH', `/api/commitments/${created.body.id}`, { version: 1, quantity: 4500, status: 'confirmed' });
    expect(other.status).toBe(200);

    await page.getByLabel('Quantity (units)').fill('6000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('conflict').waitFor();
    const [, ...rows] = await tableCells(page.getByTestId('conflict-table'));
    expect(rows).toEqual([
      ['Quantity', '6000', '4500'],
      ['Status', 'Announced', 'Confirmed'],
    ]);
    // Our edit is still in the form.
    expect(await page.getByLabel('Quantity (units)').inputValue()).toBe('6000');
    expect((await api('GET', `/api/commitments/${created.body.id}`)).body.quantity).toBe(4500);

    await page.getByRole('button', { name: 'Keep my edits and save over theirs' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Oracle: 6,000 Unknown GPU');
    const stored = (await api('GET', `/api/commitments/${created.body.id}`)).body;
    // Our form held every field: the status goes back to ours too, knowingly, after seeing theirs.
    expect([stored.version, stored.quantity, stored.status]).toEqual([3, 6000, 'announced']);
    expect(expected(problems, '409 (Conflict)')).toEqual([]);
  });

  it('adds and edits companies and chips in the catalog', async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/catalog/companies`);
    const add = page.getByRole('form', { name: 'Add a company' });
    await add.getByLabel('Name').fill('Borneo AI Lab');
    await add.getByLabel('Aliases (comma-separated)').fill('BAL, Borneo Lab');
    await add.getByLabel('Country (ISO code)').fill('1d');
    await add.getByRole('button', { name: 'Add company' }).click();
    expect(await add.getByTestId('error-country').textContent()).toBe('Enter the two-letter country code (ISO 3166), such as US');
    await add.getByLabel('Country (ISO code)').fill('id');
    await add.getByLabel('Kind').selectOption('ai_lab');
    await add.getByRole('button', { name: 'Add company' }).click();
    const row = page.getByTestId('companies-table').getByRole('row', { name: /Borneo AI Lab/ });
    await expect.poll(async () => (await row.locator('td').allTextContents()).slice(0, 3)).toEqual(['BAL, Borneo Lab', 'ID', 'Ai lab']);

    // A duplicate name is the server's to refuse; its message lands at the name.
    await add.getByLabel('Name').fill('borneo ai lab');
    await add.getByRole('button', { name: 'Add company' }).click();
    await expect.poll(() => add.getByTestId('error-name').textContent()).toBe('Name must be unique');

    await page.getByRole('button', { name: 'Edit Borneo AI Lab' }).click();
    const edit = page.getByRole('form', { name: 'Edit Borneo AI Lab' });
    await edit.getByLabel('Aliases (comma-separated)').fill('BAL');
    await edit.getByLabel('Kind').selectOption('sovereign');
    await edit.getByRole('button', { name: 'Save company' }).click();
    await expect.poll(async () => (await row.locator('td').allTextContents()).slice(0, 3)).toEqual(['BAL', 'ID', 'Sovereign']);
    const company = ((await api('GET', '/api/companies')).body as { name: string; version: number; aliases: string[] }[]).find(
      (entry) => entry.name === 'Borneo AI Lab',
    );
    expect([company?.version, company?.aliases]).toEqual([2, ['BAL']]);

    await page.goto(`${testApp.baseUrl}/catalog/chips`);
    const h100 = page.getByTestId('chips-table').getByRole('row', { name: /^H100 SXM/ });
    // Vendor, kind, FP32, BF16, FP8, INT8, memory, TDP, release year, price, factor (BF16), factor (max).
    await expect
      .poll(async () => (await h100.locator('td').allTextContents()).slice(0, 12))
      .toEqual(['Nvidia', 'GPU', '—', '989', '1,979', '—', '80', '700', '2022', '—', '1', '1']);
    const addChip = page.getByRole('form', { name: 'Add a chip' });
    await addChip.getByLabel('Name').fill('Kalimantan K1');
    await addChip.getByLabel('Vendor').fill('Borneo Silicon');
    await addChip.getByLabel('Kind').selectOption('custom');
    await addChip.getByLabel('Dense BF16 TFLOP/s').fill('1978');
    await addChip.getByLabel('TDP (W)').fill('-5');
    await addChip.getByRole('button', { name: 'Add chip' }).click();
    expect(await addChip.getByTestId('error-tdpWatts').textContent()).toBe('Enter a positive number');
    await addChip.getByLabel('TDP (W)').fill('900');
    await addChip.getByRole('button', { name: 'Add chip' }).click();
    const k1 = page.getByTestId('chips-table').getByRole('row', { name: /^Kalimantan K1/ });
    // 1,978 ÷ 989 = 2 H100-equivalents; at precision max 1,978 ÷ 1,979 = 0.999.
    await expect
      .poll(async () => await k1.locator('td').allTextContents())
      .toEqual(['Borneo Silicon', 'Custom', '—', '1,978', '—', '—', '—', '900', '—', '—', '2', '0.999', '', 'Edit']);

    await page.getByRole('button', { name: 'Edit Kalimantan K1' }).click();
    const editChip = page.getByRole('form', { name: 'Edit Kalimantan K1' });
    await editChip.getByLabel('Aliases (comma-separated)').fill('K1, Kalimantan 1');
    await editChip.getByLabel('Dense FP8 TFLOP/s').fill('3958');
    await editChip.getByRole('button', { name: 'Save chip' }).click();
    await expect
      .poll(async () => await k1.locator('td').allTextContents())
      .toEqual(['Borneo Silicon', 'Custom', '—', '1,978', '3,958', '—', '—', '900', '—', '—', '2', '2', 'K1, Kalimantan 1', 'Edit']);
    // 3,958 ÷ 1,979 = 2 at FP8 too.
    const chip = ((await api('GET', '/api/accelerators')).body as { name: string; version: number; h100eFactorFp8: number }[]).find(
      (entry) => entry.name === 'Kalimantan K1',
    );
    expect([chip?.version, chip?.h100eFactorFp8]).toEqual([2, 2]);
    expect(expected(problems, '409 (Conflict)')).toEqual([]);
  });

  it('imports a CSV: a dry run reports the bad row, a clean file then imports and its rows are listed', async () => {
    const header =
      'key,company,company_kind,country,accelerator,accelerator_kind,quantity,quantity_qualifier,stated_h100e,stated_power_mw,announced_on,delivery_from,delivery_by,status,certainty,supersedes,source_url,source_title,source_publisher,source_published_on,source_language,notes';
    const good = [
      'sumatra-1,Sumatra Cloud,neocloud,ID,H100 SXM,gpu,3000,exact,,,2025-04-10,,2025-Q4,confirmed,likely,,,Sumatra Cloud memesan 3.000 GPU,Catatan impor,2025-04-10,id,',
      'sumatra-2,Sumatra Cloud,neocloud,ID,MI300X,gpu,1000,up_to,,,2025-04-10,,2026-Q2,announced,likely,,,Sumatra Cloud menambah hingga 1.000 GPU,Catatan impor,2025-04-10,id,',
    ];
    const bad =
      'sumatra-3,Sumatra Cloud,neocloud,ID,H100 SXM,gpu,lots,exact,,,2025-04-10,,2025-Q4,confirmed,likely,,,Baris rusak,Catatan impor,,,';
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/import`);

    await page.setInputFiles('#import-file', {
      name: 'sumatra.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, ...good, bad].join('\n') + '\n'),
    });
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: /problem found/ }).textContent())
      .toBe('1 problem found: nothing was written');
    expect(await tableCells(page.getByTestId('import-counts'))).toEqual([
      ['Rows', 'Valid', 'Would create', 'Would update', 'Unchanged', 'Errors'],
      ['3', '2', '0', '0', '0', '1'],
    ]);
    const [errorHeader, ...errors] = await tableCells(page.getByTestId('import-errors'));
    expect(errorHeader).toEqual(['Line', 'Field', 'Message', 'Value']);
    expect(errors.map((row) => [row[0], row[1], row[3]])).toEqual([['4', 'quantity', 'lots']]);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the errors (CSV)' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('sumatra-errors.csv');
    const csv = (await streamText(await download.createReadStream())).split('\r\n');
    expect(csv[0]).toBe('line,field,message,value');
    expect(csv[1]).toMatch(/^4,quantity,.+,lots$/);

    await page.setInputFiles('#import-file', {
      name: 'sumatra.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, ...good].join('\n') + '\n'),
    });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'The file is valid: nothing written yet' }).count()).toBe(1);
    expect((await tableCells(page.getByTestId('import-counts')))[1]).toEqual(['2', '2', '2', '0', '0', '0']);
    expect((await api('GET', '/api/commitments?q=Sumatra')).body.total).toBe(0);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Imported' }).count()).toBe(1);
    expect((await tableCells(page.getByTestId('import-counts')))[1]).toEqual(['2', '2', '2', '0', '0', '0']);

    expect(await listRows(page, 'Sumatra')).toEqual([
      ['2025-04-10', 'Sumatra Cloud', 'H100 SXM', '3,000', '2025-Q2 – 2025-Q4', 'Confirmed'],
      ['2025-04-10', 'Sumatra Cloud', 'MI300X', 'up to 1,000', '2025-Q2 – 2026-Q2', 'Announced'],
    ]);

    // The list exports what it shows, in the import's columns.
    const exported = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export these records (CSV)' }).click();
    const lines = (await streamText(await (await exported).createReadStream())).trim().split(/\r?\n/);
    expect(lines).toHaveLength(3);
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(['sumatra-1', 'sumatra-2']);
    expect(expected(problems, '422 (Unprocessable Entity)')).toEqual([]);
  });

  it('shows a company named like markup as text on every page, and runs none of it', async () => {
    const name = '<img src=x onerror="window.__xss=1">';
    const company = await api('POST', '/api/companies', { name, kind: 'other' });
    expect(company.status).toBe(201);
    const chips = (await api('GET', '/api/accelerators')).body as { id: string; name: string }[];
    const record = await api('POST', '/api/commitments', {
      companyId: company.body.id,
      acceleratorId: chips.find((chip) => chip.name === 'H100 SXM')!.id,
      quantity: 900000,
      announcedOn: '2025-01-10',
      status: 'confirmed',
      sources: [{ title: `${name} membeli GPU`, url: 'https://news.example.id/xss' }],
      notes: name,
    });
    expect(record.status).toBe(201);

    const { page, problems } = await openWatchedPage(browser.context);
    const untouched = async () => {
      expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
      expect(await page.locator('img').count()).toBe(0);
    };

    await page.goto(testApp.baseUrl);
    await page.locator('[data-testid="chart-capacity-by-company"][data-drawn="true"]').waitFor();
    // The largest company of 2025-Q1: 900,000 H100e in one quarter.
    expect((await chartTable(page, 'capacity-by-company'))['2025-Q1'][name]).toBe('900,000');
    expect(await page.getByTestId('chart-capacity-by-company').getAttribute('aria-label')).toContain(name);
    await expect.poll(() => page.getByText(name, { exact: true }).count()).toBeGreaterThan(0);
    await untouched();

    expect((await listRows(page, 'membeli GPU'))[0][1]).toBe(name);
    await untouched();

    // The company's name leads to its page, the announcement's date to the record.
    await page.getByRole('link', { name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    await untouched();
    await page.goBack();
    await page
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name, exact: true }) })
      .getByRole('link', { name: '2025-01-10', exact: true })
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`${name}: 900,000 H100 SXM`);
    expect(await page.getByTestId('sources').textContent()).toContain(`${name} membeli GPU`);
    await untouched();

    await page.goto(`${testApp.baseUrl}/catalog/companies`);
    await expect.poll(() => page.getByTestId('companies-table').getByRole('rowheader', { name, exact: true }).count()).toBe(1);
    await untouched();

    await page.goto(`${testApp.baseUrl}/entry`);
    await page.getByLabel('Article text').fill(`${name} berencana membeli 5.000 GPU H100 tahun ini.`);
    await page.getByLabel('Published on').fill('2025-01-10');
    await page.getByRole('button', { name: 'Suggest records' }).click();
    await page.getByTestId('evidence-text').waitFor();
    expect(await page.getByTestId('evidence-text').textContent()).toBe(`${name} berencana membeli 5.000 GPU H100 tahun ini.`);
    await untouched();
    expect(problems).toEqual([]);
  });

  // Last: the import changes the demo chips' figures that the tests above read.
  it("previews and then imports Epoch AI's hardware list from the chips page, with Epoch's credit shown", async () => {
    const { page, problems } = await openWatchedPage(browser.context);
    await page.goto(`${testApp.baseUrl}/catalog/chips`);
    expect(await page.getByTestId('epoch-credit').textContent()).toBe(
      'Chip figures from Epoch AI: Epoch AI, "Data on Machine Learning Hardware", epoch.ai/data/machine-learning-hardware (CC BY 4.0).',
    );
    const importChips = page.getByRole('button', { name: 'Import chips' });
    await page.setInputFiles('#epoch-file', {
      name: 'ml_hardware.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(new URL('../fixtures/epoch/ml_hardware.csv', import.meta.url)),
    });
    expect(await importChips.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    // 170 chips: 18 of the demo catalog's (all but MI450) refreshed, 152 new.
    await expect
      .poll(() => page.getByTestId('epoch-import-report').textContent())
      .toBe('Would create 152, would update 18, 0 unchanged (170 rows).');
    expect(
      await page
        .getByTestId('chips-table')
        .getByRole('row', { name: /^H100 PCIe/ })
        .count(),
    ).toBe(0);
    await importChips.click();
    await expect.poll(() => page.getByTestId('epoch-import-report').textContent()).toBe('Created 152, updated 18, 0 unchanged (170 rows).');
    const pcie = page.getByTestId('chips-table').getByRole('row', { name: /^H100 PCIe/ });
    // 51.22 FP32, 756 BF16, 80 GB, 350 W, 2022; 756 ÷ 989 = 0.764 and 756 ÷ 1,979 = 0.382.
    await expect
      .poll(async () => await pcie.locator('td').allTextContents())
      .toEqual(['Nvidia', 'GPU', '51.2', '756', '—', '—', '80', '350', '2022', '—', '0.764', '0.382', 'NVIDIA H100 PCIe', 'Edit']);
    const h100 = page.getByTestId('chips-table').getByRole('row', { name: /^H100 SXM/ });
    await expect
      .poll(async () => (await h100.locator('td').allTextContents()).slice(0, 12))
      .toEqual(['Nvidia', 'GPU', '66.9', '989.4', '1,979', '1,979', '80', '700', '2022', '33,600', '1', '1']);
    expect(problems).toEqual([]);
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
