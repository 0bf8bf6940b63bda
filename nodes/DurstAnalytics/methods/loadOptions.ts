import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { searchPrinters } from './listSearch';

/** The trigger's printer multi-select: the same list as the action node's printer picker. */
export async function getPrinters(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchPrinters.call(this);
	return results.map(({ name, value }) => ({ name, value }));
}
