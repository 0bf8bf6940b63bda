import type { ResourceModule } from '../../shared/operation';
import type { DurstSession } from '../transport/session';
import * as forgetToken from './auth/forgetToken.operation';
import * as login from './auth/login.operation';

export const auth: ResourceModule<DurstSession> = {
	option: { name: 'Login', value: 'auth' },
	defaultOperation: 'login',
	operations: [forgetToken, login],
};
