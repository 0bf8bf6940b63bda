import type { DurstAccount } from '../../nodes/DurstAnalytics/tokenCache/cache';

export const USERNAME = 'operator';

let counter = 0;

/** A Durst account of its own for each test, so the process-memory layer of one cannot serve another. */
export function account(): DurstAccount {
	counter += 1;
	return {
		baseUrl: `http://durst-${counter}.test`,
		username: USERNAME,
		password: `pw-${counter}`,
	};
}
