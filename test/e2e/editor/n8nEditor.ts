/**
 * The parts of n8n's editor the editor tests use, with the selectors that hold on n8n 1.123 and
 * 2.40 alike (mostly n8n's own `data-test-id`s). Where the versions differ, the helper says so.
 */
import type { Locator, Page } from 'playwright-core';

import type { HostVersion } from '../../../tools/n8n/n8nHost';
import { waitUntil } from './browser';

const byTestId = (id: string): string => `[data-test-id="${id}"]`;

/** Opens an empty workflow and waits until the canvas can take a first node. */
export async function openNewWorkflow(page: Page, baseUrl: string): Promise<void> {
	// 1.123 stays on /workflow/new; 2.40 saves a draft at once and moves to /workflow/<id>?new=true.
	// Generous: on the shared 2-core machine under load, loading and first render took over 20 and 30 s.
	await page.goto(`${baseUrl}/workflow/new`, { waitUntil: 'load', timeout: 60_000 });
	await page
		.locator(byTestId('node-creator-plus-button'))
		.waitFor({ state: 'visible', timeout: 60_000 });
}

/** The node panel ("What triggers this workflow?" on an empty canvas) after searching for `term`. */
export async function searchNodePanel(page: Page, term: string): Promise<Locator> {
	const creator = page.locator(byTestId('node-creator'));
	if (!(await creator.isVisible())) {
		// The "+" in the canvas corner opens the panel on both versions (the Tab shortcut needs canvas focus).
		await page.locator(byTestId('node-creator-plus-button')).click();
		await creator.waitFor({ state: 'visible', timeout: 10_000 });
	}
	const search = creator.locator(byTestId('node-creator-search-bar'));
	await search.fill(term);
	return creator;
}

/** The entry of the node panel's result list whose name is exactly `displayName`. */
export function nodePanelEntry(creator: Locator, displayName: string): Locator {
	// `item-iterator-item` wraps every entry; the inner test id differs (node-item vs action-item) with
	// whether the node has several actions, so the name is what identifies ours.
	return creator.locator(byTestId('item-iterator-item')).filter({
		has: creator.page().locator(byTestId('node-creator-item-name'), {
			hasText: new RegExp(`^${escapeRegExp(displayName)}$`),
		}),
	});
}

/** The names listed by the node panel right now. */
export async function nodePanelNames(creator: Locator): Promise<string[]> {
	return (await creator.locator(byTestId('node-creator-item-name')).allInnerTexts()).map((name) =>
		name.trim(),
	);
}

/** The description shown under an entry, or undefined when the version shows none. */
export async function nodePanelDescription(entry: Locator): Promise<string | undefined> {
	// 1.123 shows no description for nodes with several actions (n8n's own Slack neither); 2.40 does.
	const description = entry.locator(byTestId('node-creator-item-description'));
	return (await description.count()) > 0
		? (await description.first().innerText()).trim()
		: undefined;
}

export interface RenderedIcon {
	/** The `src` attribute as n8n wrote it. */
	src: string;
	/** The absolute address the browser loaded. */
	url: string;
	naturalWidth: number;
	naturalHeight: number;
}

/** The first <img> in `scope` once the browser has finished loading it (naturalWidth 0 = broken). */
export async function renderedIcon(scope: Locator): Promise<RenderedIcon> {
	const img = scope.locator('img').first();
	await img.waitFor({ state: 'visible', timeout: 10_000 });
	await waitUntil(
		() => img.evaluate((el) => (el as HTMLImageElement).complete),
		'the icon finished loading',
		10_000,
	);
	return await img.evaluate((el) => {
		const image = el as HTMLImageElement;
		return {
			src: image.getAttribute('src') ?? '',
			url: image.src,
			naturalWidth: image.naturalWidth,
			naturalHeight: image.naturalHeight,
		};
	});
}

/** How n8n addresses an installed package's icon file `dist/nodes/<folder>/<file>`. */
export function packageIconPattern(folder: string, file: string): RegExp {
	return new RegExp(
		`^/icons/n8n-nodes-watcher-durst/(?:.*/)?dist/nodes/${escapeRegExp(folder)}/${escapeRegExp(file)}$`,
	);
}

/**
 * Opens a saved credential from the Credentials list, as a person does. Not by deep link: the
 * credential's Test is a node method (`testedBy`), and the editor offers it only once it has loaded
 * the node types, which a modal opened during page load has not yet.
 */
export async function openCredential(page: Page, baseUrl: string, name: string): Promise<Locator> {
	await page.goto(`${baseUrl}/home/credentials`, { waitUntil: 'networkidle' });
	await page.getByText(name, { exact: true }).first().click();
	const dialog = page.locator(byTestId('credential-edit-dialog'));
	await dialog.waitFor({ state: 'visible', timeout: 30_000 });
	return dialog;
}

export interface CredentialBanners {
	/** "Connection tested successfully" with a Retry button. Always in the DOM, shown with v-show. */
	success: Locator;
	/** "Couldn’t connect with these settings" with "More details" and Retry. */
	failure: Locator;
}

export function credentialBanners(dialog: Locator): CredentialBanners {
	return {
		success: dialog.locator(byTestId('credentials-config-container-test-success')),
		// Neither version gives this banner a test id; it is Element Plus's danger tag with n8n's text
		// (the apostrophe is typographic in both).
		failure: dialog
			.locator('.el-tag--danger')
			.filter({ hasText: /Couldn.t connect with these settings/ }),
	};
}

/**
 * Waits for the outcome of the credential test n8n runs when an existing credential is opened
 * (both versions test on open, and again on "Retry" or on saving a change).
 */
export async function credentialTestOutcome(
	dialog: Locator,
	timeoutMs = 30_000,
): Promise<'success' | 'failure'> {
	const { success, failure } = credentialBanners(dialog);
	await success.or(failure).first().waitFor({ state: 'visible', timeout: timeoutMs });
	return (await success.isVisible()) ? 'success' : 'failure';
}

/** The visible "Retry" button of a banner (the hidden banner's button has no accessible role). */
export function retryButton(banner: Locator): Locator {
	return banner.getByRole('button', { name: /^Retry$/ });
}

/** The node details view (the node's parameter panel). */
export function nodeDetailsView(page: Page): Locator {
	return page.locator(byTestId('ndv'));
}

/** Adds a node by picking one of its actions in the node panel; n8n then opens its parameter panel. */
export async function addNodeWithAction(
	creator: Locator,
	displayName: string,
	action: string,
): Promise<Locator> {
	await nodePanelEntry(creator, displayName).click();
	const item = creator.getByText(action, { exact: true });
	// On an empty canvas the panel offers triggers first: an app that has some lists its actions folded.
	const foldedActions = creator
		.locator(`[data-category-collapsed="true"] ${byTestId('node-creator-category-item')}`)
		.filter({ hasText: /^Actions \(\d+\)/ });
	await item.or(foldedActions).first().waitFor({ state: 'visible' });
	if (!(await item.isVisible())) await foldedActions.first().click();
	await item.click();
	const ndv = nodeDetailsView(creator.page());
	await ndv.waitFor({ state: 'visible', timeout: 15_000 });
	return ndv;
}

/** Picks a credential by id in the open parameter panel; returns the name the select then shows. */
export async function selectNodeCredential(
	page: Page,
	ndv: Locator,
	credentialId: string,
): Promise<string> {
	// With several credentials of the type, the versions preselect different ones: choose explicitly.
	const select = ndv.locator(byTestId('node-credentials-select'));
	await select.click();
	await page.locator(byTestId(`node-credentials-select-item-${credentialId}`)).click();
	return await select.locator('input').first().inputValue();
}

/** Opens the "From list" dropdown of a resource locator parameter and returns its entries' locator. */
export async function openResourceList(
	page: Page,
	ndv: Locator,
	parameterName: string,
): Promise<Locator> {
	await ndv
		.locator(`${byTestId(`resource-locator-${parameterName}`)} ${byTestId('rlc-input')}`)
		.click();
	// The list is a popper attached to <body>, not inside the parameter.
	return page.locator(`${byTestId('rlc-item')}:visible`);
}

/** What a resource locator parameter's input shows now (the picked item's name in "From list"). */
export async function resourceLocatorText(ndv: Locator, parameterName: string): Promise<string> {
	const input = ndv.locator(
		`${byTestId(`resource-locator-${parameterName}`)} ${byTestId('rlc-input')}`,
	);
	// The test id sits on the input itself or on its wrapper, depending on the version.
	return await input.first().evaluate((el) => {
		const field = el instanceof HTMLInputElement ? el : el.querySelector('input');
		return field?.value ?? '';
	});
}

/** The search field of an open resource-locator list. */
export function resourceListSearch(page: Page): Locator {
	return page
		.locator(`${byTestId('rlc-search')}:visible`)
		.locator('input')
		.or(page.locator(`input${byTestId('rlc-search')}:visible`))
		.first();
}

export function isV1(version: HostVersion): boolean {
	return version.startsWith('1.');
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
