/**
 * The item loop with outputs finished later (Generate Link waits for the process's one ticket-key
 * derivation): the item's place goes to the next item at once, and output order, pairedItem and
 * continueOnFail are as for any output. Only `getInputData` and `continueOnFail` of n8n's context are
 * used by the loop, so a plain object stands in for it.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Later, processItems } from '../../nodes/shared/items';

function context(items: number, continueOnFail: boolean): IExecuteFunctions {
	const input = Array.from({ length: items }, (_, i) => ({ json: { i } }));
	return {
		getInputData: () => input,
		continueOnFail: () => continueOnFail,
	} as unknown as IExecuteFunctions;
}

/** A shared step every item waits for, opened by the test. */
function gate() {
	let open: () => void = () => undefined;
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { opened, open: () => open() };
}

test('while the shared step is pending, every item is handled; outputs keep input order and pairing', async () => {
	const shared = gate();
	const handled: number[] = [];
	const running = processItems(context(50, false), 2, async (itemIndex) => {
		handled.push(itemIndex);
		return new Later(shared.opened.then((): IDataObject => ({ itemIndex })));
	});
	await new Promise((resolve) => setImmediate(resolve));
	// With 2 places and outputs that wait, all 50 were handled before the step ended.
	expect(handled).toHaveLength(50);
	shared.open();
	const output = await running;
	expect(output.map((item) => item.json.itemIndex)).toEqual(handled.sort((a, b) => a - b));
	expect(output.map((item) => item.pairedItem)).toEqual(handled.map((item) => ({ item })));
});

test('a later output that fails becomes an error item in place with continueOnFail', async () => {
	const output = await processItems(context(3, true), 3, async (itemIndex) =>
		itemIndex === 1
			? new Later(Promise.reject(new Error('the link would be too long')))
			: new Later(Promise.resolve({ itemIndex })),
	);
	expect(output.map((item) => item.json)).toEqual([
		{ itemIndex: 0 },
		{ error: 'the link would be too long' },
		{ itemIndex: 2 },
	]);
	expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

test('without continueOnFail the first failing item by order is thrown, after the others settle', async () => {
	const settled: number[] = [];
	const failing = processItems(context(4, false), 4, async (itemIndex) => {
		if (itemIndex === 3) throw new Error('item 3 failed at once');
		return new Later(
			new Promise<IDataObject>((resolve, reject) =>
				setTimeout(() => {
					settled.push(itemIndex);
					if (itemIndex === 1) reject(new Error('item 1 failed later'));
					else resolve({ itemIndex });
				}, 20),
			),
		);
	});
	await expect(failing).rejects.toThrow('item 1 failed later');
	expect(settled.sort()).toEqual([0, 1, 2]);
});
