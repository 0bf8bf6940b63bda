const { src, dest } = require('gulp');

// tsc compiles code only; icons and codex files (*.node.json) must sit beside the compiled nodes.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
