import type { ResourceModule } from '../../shared/operation';
import type { DurstSession } from '../transport/session';
import * as send from './request/send.operation';

export const request: ResourceModule<DurstSession> = {
	option: { name: 'API Request', value: 'request' },
	defaultOperation: 'send',
	operations: [send],
};
