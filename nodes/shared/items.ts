import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

type Output = IDataObject | IDataObject[];

/**
 * An item's output that a slow step shared by all items finishes (the one scrypt run of a process):
 * the item's place in the loop is free at once, so the requests of the next items go on meanwhile.
 */
export class Later {
	readonly output: Promise<Output>;

	constructor(output: Promise<Output>) {
		// Handled from the start: it may fail before the item loop gets to it.
		output.catch(() => undefined);
		this.output = output;
	}
}

/**
 * Runs `handle` for every input item with at most `concurrency` in flight, and returns the outputs
 * in input order with `pairedItem` set. With continueOnFail a failing item yields an error item
 * (built by `onFailure`, or `{ error }`) and the rest go on; otherwise the first failure by item
 * order is thrown once the items already in flight have settled.
 */
export async function processItems(
	ctx: IExecuteFunctions,
	concurrency: number,
	handle: (itemIndex: number) => Promise<Output | Later>,
	onFailure?: (error: Error, itemIndex: number) => IDataObject,
): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const results: Array<IDataObject[] | undefined> = new Array(count);
	const failures = new Map<number, Error>();
	const continueOnFail = ctx.continueOnFail();
	let next = 0;
	let stop = false;

	const finishing: Array<Promise<void>> = [];

	const fail = (caught: unknown, itemIndex: number) => {
		const error = caught instanceof Error ? caught : new Error(String(caught));
		if (!continueOnFail) {
			failures.set(itemIndex, error);
			stop = true;
			return;
		}
		results[itemIndex] = [onFailure ? onFailure(error, itemIndex) : { error: error.message }];
	};
	const keep = (produced: Output, itemIndex: number) => {
		results[itemIndex] = Array.isArray(produced) ? produced : [produced];
	};

	const worker = async () => {
		while (!stop && next < count) {
			const itemIndex = next++;
			try {
				const produced = await handle(itemIndex);
				if (produced instanceof Later) {
					finishing.push(
						produced.output.then(
							(output) => keep(output, itemIndex),
							(caught: unknown) => fail(caught, itemIndex),
						),
					);
				} else {
					keep(produced, itemIndex);
				}
			} catch (caught) {
				fail(caught, itemIndex);
			}
		}
	};

	const width = Math.max(1, Math.min(Math.floor(concurrency) || 1, count || 1));
	await Promise.all(Array.from({ length: width }, worker));
	await Promise.all(finishing);

	if (failures.size > 0) {
		throw failures.get(Math.min(...failures.keys()));
	}

	const output: INodeExecutionData[] = [];
	results.forEach((jsons, itemIndex) => {
		for (const json of jsons ?? []) output.push({ json, pairedItem: { item: itemIndex } });
	});
	return output;
}
