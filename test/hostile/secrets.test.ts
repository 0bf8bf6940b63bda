/**
 * Servers that echo a secret back in any encoding or in part, send error pages that are huge or built
 * to make a regex backtrack, or hand out tokens that are no header value: the error shows no secret,
 * is read in bounded time, and a bad token is neither cached nor sent.
 */
import type { Env, HostileCase } from './harness';
import { DURST_PASSWORD, DURST_USER, WATCHER_API_KEY, runCase, useServers } from './harness';
import { durstHost, LOGIN_PATH, logIn, printers, TOKEN_PATH, watcherToken } from './params';

const servers = useServers();

const RFC3986 = 'Pa%21ss%2Aw%27rd%281%29%20~Zq';
const echoHost = (env: Env) => new URL(env.echo.url).host;
const serverError = (reason: string) => `Durst Analytics said: ${reason}. Try again later.`;
const dataFails = (body: unknown, contentType?: string) => (env: Env) =>
	env.durst.failNext({ status: 500, body: body as string, contentType, path: '/api/v1/printers' });
const badToken = (body: unknown, headers?: Record<string, string>) => (env: Env) =>
	env.durst.failNext({ status: 200, body: body as string, headers, path: LOGIN_PATH });
const TOKEN_UNUSABLE = 'Durst Analytics sent a token that cannot be used';

const cases: HostileCase[] = [
	{
		name: "a server echoing the login URL does not show the password (qs encodes !*'())",
		target: logIn({ forceNewLogin: true }),
		credential: (env) => ({ baseUrl: env.echo.url }),
		message: 'The Durst Analytics login failed with status 500',
		description: (env) =>
			`Durst Analytics said: Internal error while handling GET /api/v1/login?username=${DURST_USER}&password=[redacted] from ${echoHost(env)}`,
	},
	{
		name: 'the credential Test against a server echoing the login URL does not show the password',
		target: { credentialTest: 'durst' },
		credential: (env) => ({ baseUrl: env.echo.url }),
		message: (env) =>
			`The Durst Analytics login failed with status 500. Durst Analytics said: Internal error while handling GET /api/v1/login?username=${DURST_USER}&password=[redacted] from ${echoHost(env)}`,
	},
	...[
		['raw', DURST_PASSWORD],
		['RFC 3986', RFC3986],
		['form-encoded', RFC3986.replace('%20', '+')],
		['encodeURIComponent', encodeURIComponent(DURST_PASSWORD)],
		['base64', Buffer.from(DURST_PASSWORD).toString('base64')],
		['lower-case percent', RFC3986.toLowerCase()],
	].map(([form, echoed]): HostileCase => ({
		name: `a data error echoing the password ${form} shows it redacted`,
		target: printers(),
		arrange: dataFails({ message: `password was ${echoed}` }),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError('password was [redacted]'),
	})),
	{
		name: 'a password after 190 characters of text is not cut into a visible prefix',
		target: printers(),
		arrange: dataFails(`${'a'.repeat(190)} ${DURST_PASSWORD} trailing`),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError(`${'a'.repeat(190)} [redacted] trailing`),
	},
	{
		name: 'the first 8 characters of the password alone are redacted',
		target: printers(),
		arrange: dataFails({ error: `hint: ${DURST_PASSWORD.slice(0, 8)}...` }),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError('hint: [redacted]...'),
	},
	{
		name: '100 KB of "<" as an error page is read in linear time and bounded',
		target: printers(),
		arrange: dataFails('<'.repeat(100_000), 'text/html'),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError(`${'<'.repeat(1024)}…`),
	},
	{
		name: '150 KB of empty tags as an error page leaves only the tag cut at 16 KB',
		target: printers(),
		arrange: dataFails('<a>'.repeat(50_000), 'text/html'),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError('<'),
	},
	{
		name: 'an error page of empty tags leaves nothing to show',
		target: printers(),
		arrange: dataFails('<a><b></b></a>'.repeat(100), 'text/html'),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError('nothing'),
	},
	{
		name: 'a 1 MB error text is cut to 1 KB',
		target: printers(),
		arrange: dataFails('x'.repeat(1024 * 1024)),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError(`${'x'.repeat(1024)}…`),
	},
	{
		name: 'a 1 MB JSON error message is cut to 1 KB',
		target: printers(),
		arrange: dataFails({ message: 'y'.repeat(1024 * 1024) }),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError(`${'y'.repeat(1024)}…`),
	},
	{
		name: 'control characters of an error text are shown as spaces',
		target: printers(),
		arrange: dataFails({ message: 'bad\u0000thing\u001b[31m happened\r\nX-Injected: 1' }),
		message: 'Durst Analytics failed with a server error (status 500)',
		description: serverError('bad thing [31m happened X-Injected: 1'),
	},
	{
		name: 'a login token with CR/LF in the body is refused, not cached or sent',
		target: logIn({ forceNewLogin: true }),
		arrange: badToken({ x_auth_token: 'tok-\r\nX-Evil: 1' }),
		message: TOKEN_UNUSABLE,
		secrets: ['tok-\r\nX-Evil: 1'],
	},
	{
		name: 'a login token of 5000 characters is refused',
		target: logIn({ forceNewLogin: true }),
		arrange: badToken({ xAuthToken: 'T'.repeat(5000) }),
		message: TOKEN_UNUSABLE,
	},
	{
		name: 'a login token that is a number is refused',
		target: logIn({ forceNewLogin: true }),
		arrange: badToken({ x_auth_token: 12345678 }),
		message: TOKEN_UNUSABLE,
	},
	{
		name: 'a login token header with a control character is refused by the HTTP parser, and named',
		target: logIn({ forceNewLogin: true }),
		arrange: badToken({}, { 'x-auth-token': 'abc\u0001defghij' }),
		message: (env) =>
			`Durst Analytics at ${durstHost(env)} sent an answer that is not valid HTTP (HPE_INVALID_HEADER_TOKEN)`,
		secrets: ['abc\u0001defghij'],
	},
	{
		name: 'a login answered 200 with an HTML page has no token',
		target: logIn({ forceNewLogin: true }),
		arrange: (env) => env.durst.failNext({ mode: 'html', path: LOGIN_PATH }),
		message: 'Durst Analytics accepted the login but sent no token',
	},
	{
		name: 'a refused login names the credential, not the password',
		target: logIn({ forceNewLogin: true }),
		credential: { password: `${DURST_PASSWORD}-wrong` },
		message: 'Durst Analytics rejected the username or password',
		description: `The login of "${DURST_USER}" was refused with status 401. Check the username and password in the Durst Analytics credential.`,
		secrets: [`${DURST_PASSWORD}-wrong`],
	},
	{
		name: 'a Watcher 403 echoing the API key reads as a refused key, key redacted',
		target: watcherToken(),
		arrange: (env) =>
			env.watcher.failNext({
				status: 403,
				body: { error: 'WrongApikey', message: `key ${WATCHER_API_KEY} expired` },
				path: TOKEN_PATH,
			}),
		message: 'Flussonic Watcher refused the API key: it is wrong or has expired',
	},
	{
		name: 'a Watcher 500 echoing the API key in base64 shows it redacted',
		target: watcherToken(),
		arrange: (env) =>
			env.watcher.failNext({
				status: 500,
				body: { message: `K=${Buffer.from(WATCHER_API_KEY).toString('base64')}` },
				path: TOKEN_PATH,
			}),
		message: 'Flussonic Watcher failed with a server error (status 500)',
		description:
			'Flussonic Watcher said: K=[redacted]. Try again later, or check the logs of the Flussonic Watcher server.',
	},
	{
		name: 'a Watcher token with control characters is refused',
		target: watcherToken(),
		arrange: (env) =>
			env.watcher.failNext({
				status: 200,
				body: { autologin_token: 'demo@example.com:1:ab\u0000:cd' },
				path: TOKEN_PATH,
			}),
		message: 'Flussonic Watcher answered with an Auto-Login token that cannot be used',
	},
	{
		name: 'a Watcher token that is a number is no token',
		target: watcherToken(),
		arrange: (env) =>
			env.watcher.failNext({ status: 200, body: { autologin_token: 42 }, path: TOKEN_PATH }),
		message: 'Flussonic Watcher answered without an Auto-Login token',
	},
	{
		name: 'the Durst host is named when the login URL of a missing API answers 404',
		target: logIn({ forceNewLogin: true }),
		arrange: (env) => env.durst.failNext({ status: 404, path: LOGIN_PATH }),
		message: 'No Durst Analytics API at this URL: check the Server URL',
		description: (env) =>
			`${durstHost(env)} answered 404 for /api/v1/login. The Server URL must be the address of Durst Analytics (version 1.4 or later).`,
	},
];

test.each(cases.map((test) => [test.name, test]))('%s', async (_name, test) => {
	await runCase(servers(), test);
});
