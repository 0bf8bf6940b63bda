import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

// eslint-plugin-n8n-nodes-base ships eslintrc-style configs; their rule sets are applied here as flat config.
const nodesBase = (config) => ({
	plugins: { 'n8n-nodes-base': n8nNodesBase },
	rules: n8nNodesBase.configs[config].rules,
});

const TOOLING = ['test/**/*.ts', 'tools/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.hosts/**', '.run/**', 'bench/results/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunityNodesPlugin.configs.recommended,
	},
	{ files: ['package.json'], languageOptions: { parser: jsoncParser }, ...nodesBase('community') },
	{ files: ['credentials/**/*.ts'], ...nodesBase('credentials') },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			// The rule expects a slug of n8n's own docs; a community credential links the vendor's page (checked by credential-documentation-url).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{ files: ['nodes/**/*.ts'], ...nodesBase('nodes') },
	// Tests, tools, the benchmark and scripts are not published, but they are read and copied as much as the
	// nodes: the type-aware recommended set keeps unsafe any, floating promises and dead code out of them.
	...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TOOLING })),
	{
		files: TOOLING,
		rules: {
			// A leading underscore marks a parameter a simulator hook must accept, or a field destructured away.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
			],
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: {
			// Jest's asymmetric matchers (expect.any, expect.objectContaining) are typed any by design.
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			// Fakes implement n8n's async interfaces (credentials helper, login) without anything to await.
			'@typescript-eslint/require-await': 'off',
			// Node output values (IDataObject) print in test names and failure texts, where [object Object] shows.
			'@typescript-eslint/no-base-to-string': 'off',
		},
	},
	{
		// What tests, the benchmark and npm start share stays small enough to read in one sitting.
		files: ['tools/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
			'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			// Both want the literal 'main'; @n8n/community-nodes/node-connection-type-literal requires NodeConnectionTypes, which wins.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
