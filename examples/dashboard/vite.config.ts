import { defineConfig } from 'vite';

// Relative asset URLs, so the built page works from any static server path.
export default defineConfig({ base: './', build: { target: 'es2022' } });
