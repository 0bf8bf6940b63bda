import type { ResourceModule } from '../../shared/operation';
import type { WatcherSession } from '../transport/session';
import * as generateLink from './autologin/generateLink.operation';
import * as generateToken from './autologin/generateToken.operation';
import * as renderLoginPage from './autologin/renderLoginPage.operation';

export const autologin: ResourceModule<WatcherSession> = {
	option: { name: 'Auto-Login', value: 'autologin' },
	defaultOperation: 'generateLink',
	operations: [generateLink, generateToken, renderLoginPage],
};
