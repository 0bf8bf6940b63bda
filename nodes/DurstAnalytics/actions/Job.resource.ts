import type { ResourceModule } from '../../shared/operation';
import type { DurstSession } from '../transport/session';
import * as get from './job/get.operation';
import * as getAll from './job/getAll.operation';
import * as getInkConsumption from './job/getInkConsumption.operation';

export const job: ResourceModule<DurstSession> = {
	option: { name: 'Job', value: 'job' },
	defaultOperation: 'getAll',
	operations: [get, getAll, getInkConsumption],
};
