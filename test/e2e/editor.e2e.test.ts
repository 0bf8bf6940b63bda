/**
 * Our package in n8n's editor, in headless Chromium, on both supported n8n lines: the node panel
 * finds both nodes with their icons, both credentials' tests pass against the simulators (and a
 * wrong key is reported as a failure), the Watcher node's "Login" list loads users, and the Durst
 * node's "Printer" list loads the simulator's printers.
 *
 * Screenshots for the README go to docs/screenshots/<version>-*.png. A failing step leaves a
 * screenshot and the page's HTML in EVIDENCE_DIR (see editor/browser.ts) and names them in the error.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { DurstAnalytics } from '../../nodes/DurstAnalytics/DurstAnalytics.node';
import { DURST_ENDPOINTS, DurstSimulator } from '../../tools/simulators/durst';
import { WATCHER_DEFAULT_USERS, WatcherSimulator } from '../../tools/simulators/watcher';
import { launchChromium, loggedInContext, ProblemLog, step, waitUntil } from './editor/browser';
import {
	addNodeWithAction,
	credentialBanners,
	credentialTestOutcome,
	packageIconPattern,
	isV1,
	nodePanelDescription,
	nodePanelEntry,
	nodePanelNames,
	openCredential,
	openNewWorkflow,
	openResourceList,
	renderedIcon,
	resourceListSearch,
	resourceLocatorText,
	retryButton,
	searchNodePanel,
	selectNodeCredential,
} from './editor/n8nEditor';
import {
	actionOf,
	answerNpmAsLatest,
	getRetryingReset,
	NODES,
	ours,
	unexpected,
} from './editor/ourPackage';
import type { ExampleCredential } from '../../tools/n8n/examples';
import { CREDENTIAL_IDS, EXAMPLES_DIR, loadCredentials } from '../../tools/n8n/examples';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS, N8nHost } from '../../tools/n8n/n8nHost';

jest.setTimeout(300_000);

const ROOT = path.dirname(EXAMPLES_DIR);
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
const OWNER = {
	email: 'owner@example.com',
	password: 'Editor-Test-1',
	firstName: 'Erika',
	lastName: 'Editor',
};
const WRONG_KEY_CREDENTIAL_ID = 'WatcherBadKey001';
const PACKAGE_VERSION = (
	JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

const WATCHER_CAMERAS = 'GET /vsaas/api/v2/cameras';
const WATCHER_USERS = 'GET /vsaas/api/v2/users';
const WATCHER_SETTINGS = 'GET /vsaas/api/v2/settings';

describe.each(HOST_VERSIONS)(
	'n8n %s: our nodes and credentials in the editor',
	(version: HostVersion) => {
		let host: N8nHost;
		let watcher: WatcherSimulator;
		let durst: DurstSimulator;
		let browser: Browser;
		let context: BrowserContext;
		let problems: ProblemLog;
		let page: Page;

		beforeAll(async () => {
			watcher = await WatcherSimulator.start();
			durst = await DurstSimulator.start();
			host = await N8nHost.create({ version, packageDir: ROOT });
			const targets = { n8nUrl: host.baseUrl, watcherUrl: watcher.url, durstUrl: durst.url };
			const wrongKey: ExampleCredential = {
				id: WRONG_KEY_CREDENTIAL_ID,
				name: 'Flussonic Watcher (wrong key)',
				type: 'flussonicWatcherApi',
				data: {
					baseUrl: watcher.url,
					apiKey: `not-${watcher.apiKey}`,
					ignoreSslIssues: false,
				},
			};
			await host.importCredentials([...loadCredentials(targets), wrongKey]);
			await host.start();
			const cookie = await host.setupOwner(
				OWNER.email,
				OWNER.password,
				OWNER.firstName,
				OWNER.lastName,
			);
			browser = await launchChromium();
			context = await loggedInContext(browser, host.baseUrl, cookie);
			await answerNpmAsLatest(context, PACKAGE_VERSION);
			problems = new ProblemLog(context);
			mkdirSync(SCREENSHOTS, { recursive: true });
		});

		afterAll(async () => {
			problems?.save(`${version}-page-problems`);
			await context?.close();
			await browser?.close();
			await host?.dispose();
			await watcher?.stop();
			await durst?.stop();
		});

		// A fresh tab per test: one stuck modal or panel does not take the following tests with it.
		beforeEach(async () => {
			page = await context.newPage();
			page.setDefaultTimeout(20_000);
		});

		afterEach(async () => {
			await page?.close();
		});

		const screenshot = async (name: string): Promise<void> => {
			// Off every control, so that no button is caught hovered or focused (1.123 pales a focused Retry).
			await page.mouse.move(1, 1);
			await page.evaluate(() =>
				document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined,
			);
			await page.screenshot({ path: path.join(SCREENSHOTS, `${version}-${name}.png`) });
		};
		const n8nLog = (): string => `n8n ${version}, last log lines:\n${host.recentLog(20)}`;
		// Every failure, an expect() included, leaves a screenshot and the page's HTML behind.
		const ui = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
			step(page, `${version} ${name}`, fn, n8nLog);

		test.each(NODES)('the node panel finds "$displayName" by "$search", with our icon', (node) =>
			ui(`node panel: ${node.search}`, async () => {
				await ui(`open a new workflow`, () => openNewWorkflow(page, host.baseUrl));
				const creator = await ui(`search "${node.search}"`, () =>
					searchNodePanel(page, node.search),
				);
				const entry = nodePanelEntry(creator, node.displayName);
				await ui(`"${node.displayName}" listed for "${node.search}"`, async () => {
					await entry.waitFor({ state: 'visible', timeout: 15_000 });
				});
				expect(await nodePanelNames(creator)).toContain(node.displayName);

				const icon = await ui(`icon of "${node.displayName}"`, () => renderedIcon(entry));
				expect(icon.src).toMatch(packageIconPattern(node.iconFolder, node.iconFile));
				expect(icon.naturalWidth).toBeGreaterThan(0);
				expect(icon.naturalHeight).toBeGreaterThan(0);
				// The very file of our package: n8n serves what the build put into dist/.
				const served = await getRetryingReset(page, icon.url);
				expect(served.status()).toBe(200);
				expect(served.headers()['content-type']).toMatch(/^image\/svg\+xml/);
				expect(await served.text()).toBe(
					readFileSync(path.join(ROOT, 'dist', 'nodes', node.iconFolder, node.iconFile), 'utf8'),
				);

				const description = await nodePanelDescription(entry);
				if (isV1(version)) {
					// 1.123 lists nodes with several actions by name alone.
					expect(description === undefined || description === node.description).toBe(true);
				} else {
					expect(description).toBe(node.panelDescription);
				}
				await screenshot(`node-search-${node.key}`);
			}),
		);

		test('the Watcher credential: tested on opening, and again with Retry, against the simulator', () =>
			ui('Watcher credential', async () => {
				const before = watcher.callCount(WATCHER_CAMERAS);
				const rejectedBefore = watcher.wrongApiKeyRejections;
				const dialog = await ui(`open the Watcher credential`, () =>
					openCredential(page, host.baseUrl, 'Flussonic Watcher (simulator)'),
				);
				const { success } = credentialBanners(dialog);
				expect(await ui(`Watcher credential test`, () => credentialTestOutcome(dialog))).toBe(
					'success',
				);
				expect(await success.innerText()).toContain('Connection tested successfully');
				expect(watcher.callCount(WATCHER_CAMERAS)).toBeGreaterThan(before);

				const afterOpen = watcher.callCount(WATCHER_CAMERAS);
				await ui(`Watcher credential Retry`, async () => {
					await retryButton(success).click();
					await waitUntil(
						() => watcher.callCount(WATCHER_CAMERAS) > afterOpen,
						'the simulator saw the retried test',
					);
					await success.getByRole('button', { name: /^Retry$/ }).waitFor({ state: 'visible' });
				});
				expect(await success.isVisible()).toBe(true);
				expect(watcher.wrongApiKeyRejections).toBe(rejectedBefore);
				// The test request must not be the one that answers with the API key itself.
				expect(watcher.callCount(WATCHER_SETTINGS)).toBe(0);
				await screenshot('credential-watcher');
			}));

		test('the Durst credential: tested on opening, and again with Retry, against the simulator', () =>
			ui('Durst credential', async () => {
				const before = durst.logins;
				const failuresBefore = durst.loginFailures;
				const dialog = await ui(`open the Durst credential`, () =>
					openCredential(page, host.baseUrl, 'Durst Analytics (simulator)'),
				);
				const { success } = credentialBanners(dialog);
				expect(await ui(`Durst credential test`, () => credentialTestOutcome(dialog))).toBe(
					'success',
				);
				expect(await success.innerText()).toContain('Connection tested successfully');
				expect(durst.logins).toBeGreaterThan(before);

				const afterOpen = durst.logins;
				await ui(`Durst credential Retry`, async () => {
					await retryButton(success).click();
					await waitUntil(() => durst.logins > afterOpen, 'the simulator saw the retried login');
					await success.getByRole('button', { name: /^Retry$/ }).waitFor({ state: 'visible' });
				});
				expect(await success.isVisible()).toBe(true);
				expect(durst.loginFailures).toBe(failuresBefore);
				await screenshot('credential-durst');
			}));

		test('a Watcher credential with a wrong API key is reported as a failed test', () =>
			ui('wrong-key credential', async () => {
				const rejectedBefore = watcher.wrongApiKeyRejections;
				const dialog = await ui(`open the wrong-key credential`, () =>
					openCredential(page, host.baseUrl, 'Flussonic Watcher (wrong key)'),
				);
				const { success, failure } = credentialBanners(dialog);
				expect(await ui(`wrong-key credential test`, () => credentialTestOutcome(dialog))).toBe(
					'failure',
				);
				expect(await success.isVisible()).toBe(false);
				expect(watcher.wrongApiKeyRejections).toBeGreaterThan(rejectedBefore);
				// The simulator answers 403 WrongApikey; the node's credential test words it.
				await failure.getByText('More details').click();
				await ui(`failure details`, () =>
					failure
						.getByText(/Flussonic Watcher refused the API key: it is wrong or has expired/)
						.waitFor({ state: 'visible', timeout: 5_000 }),
				);
			}));

		test('the Flussonic Watcher node panel: opens without errors, its "Login" list loads users from the simulator', () =>
			ui('Flussonic Watcher node panel', async () => {
				const mark = problems.mark();
				await ui(`open a new workflow`, () => openNewWorkflow(page, host.baseUrl));
				const creator = await searchNodePanel(page, 'Watcher');
				const ndv = await ui(`add Flussonic Watcher`, () =>
					addNodeWithAction(creator, 'Flussonic Watcher', 'Generate a link that logs a user in'),
				);

				const headerIcon = await ui(`parameter panel icon`, () => renderedIcon(ndv));
				expect(headerIcon.src).toMatch(
					packageIconPattern('FlussonicWatcher', 'flussonicWatcher.svg'),
				);
				expect(headerIcon.naturalWidth).toBeGreaterThan(0);

				const credentialName = await ui(`select the Watcher credential`, () =>
					selectNodeCredential(page, ndv, CREDENTIAL_IDS.watcher),
				);
				expect(credentialName).toBe('Flussonic Watcher (simulator)');

				const usersBefore = watcher.callCount(WATCHER_USERS);
				const items = await ui(`open the Login list`, async () => {
					const list = await openResourceList(page, ndv, 'login');
					await list.first().waitFor({ state: 'visible', timeout: 15_000 });
					return list;
				});
				const listed = (await items.allInnerTexts()).map((text) => text.trim());
				// The node shows "Name (login)"; a user without a distinct name is shown by login alone.
				const expected = WATCHER_DEFAULT_USERS.map((user) =>
					user.name !== undefined && user.name !== user.login
						? `${user.name} (${user.login})`
						: user.login,
				);
				expect(listed).toEqual(expected);
				expect(watcher.callCount(WATCHER_USERS)).toBeGreaterThan(usersBefore);
				await screenshot('watcher-node');

				// Searching asks Watcher again with the filter rather than filtering the first page only.
				const usersBeforeSearch = watcher.callCount(WATCHER_USERS);
				await ui(`search the Login list`, async () => {
					await resourceListSearch(page).fill('viewer');
					await waitUntil(async () => {
						const texts = (await items.allInnerTexts()).map((text) => text.trim());
						return texts.length === 1 && texts[0] === 'Viewer One (viewer@example.com)';
					}, 'only "Viewer One" is listed');
				});
				expect(watcher.callCount(WATCHER_USERS)).toBeGreaterThan(usersBeforeSearch);

				const during = problems.since(mark);
				expect(during.filter((problem) => problem.kind === 'pageerror')).toEqual([]);
				expect(unexpected(during)).toEqual([]);
			}));

		test('the Durst Analytics node panel: the ink report opens without errors, its "Printer" list loads printers from the simulator', () =>
			ui('Durst Analytics node panel', async () => {
				const mark = problems.mark();
				await ui(`open a new workflow`, () => openNewWorkflow(page, host.baseUrl));
				const creator = await searchNodePanel(page, 'Durst');
				const action = actionOf(new DurstAnalytics().description, 'printer', 'getInkConsumption');
				const ndv = await ui(`add Durst Analytics: "${action}"`, () =>
					addNodeWithAction(creator, 'Durst Analytics', action),
				);
				const credentialName = await ui(`select the Durst credential`, () =>
					selectNodeCredential(page, ndv, CREDENTIAL_IDS.durst),
				);
				expect(credentialName).toBe('Durst Analytics (simulator)');

				const listsBefore = durst.callCount(DURST_ENDPOINTS.printers);
				const items = await ui(`open the Printer list`, async () => {
					const list = await openResourceList(page, ndv, 'printerId');
					await list.first().waitFor({ state: 'visible', timeout: 15_000 });
					return list;
				});
				const listed = (await items.allInnerTexts()).map((text) => text.trim());
				// The node shows "Name · SN serial · status (id)".
				const expected = durst.printers.map(
					(printer) =>
						`${printer.name} · SN ${printer.serialNumber} · ${printer.status} (${printer.id})`,
				);
				expect(listed).toEqual(expected);
				expect(durst.callCount(DURST_ENDPOINTS.printers)).toBeGreaterThan(listsBefore);

				// A picked printer, with the period fields in view, is what a person sees when done.
				const [first] = durst.printers;
				await ui(`pick "${first.name}"`, async () => {
					await items.first().click();
					await waitUntil(
						async () => (await resourceLocatorText(ndv, 'printerId')).includes(first.name),
						`the Printer field shows "${first.name}"`,
					);
				});
				await screenshot('durst-node');

				const during = problems.since(mark);
				expect(during.filter((problem) => problem.kind === 'pageerror')).toEqual([]);
				expect(unexpected(during)).toEqual([]);
			}));

		test('nothing the editor logged as an error concerns our package', () => {
			expect(ours(problems.entries)).toEqual([]);
			expect(problems.entries.filter((problem) => problem.kind === 'pageerror')).toEqual([]);
		});
	},
);
