// ESLint for the browser modules under frontend/ (flat config, `npm run lint`). The room modules
// run in the browser; the build script and the `*.test.js` files run under Node.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    files: ['frontend/**/*.js', 'frontend/**/*.mjs'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser },
    },
  },
  {
    files: ['frontend/build.mjs', 'frontend/**/*.test.js'],
    languageOptions: { globals: { ...globals.node } },
  },
];
