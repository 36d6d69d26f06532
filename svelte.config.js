// SvelteKit configuration: the app lives in web/, builds to build/ for the one Node server.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    files: {
      assets: 'web/static',
      hooks: { client: 'web/hooks.client', server: 'web/hooks.server', universal: 'web/hooks' },
      lib: 'web/lib',
      params: 'web/params',
      routes: 'web/routes',
      serviceWorker: 'web/service-worker',
      appTemplate: 'web/app.html',
      errorTemplate: 'web/error.html',
    },
    // $documents: the block model and the editor-schema renderers, shared with the server.
    alias: { $wire: 'realtime/wire', $domain: 'domain', $documents: 'realtime/documents' },
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['none'],
        'frame-ancestors': ['none'],
        'form-action': ['self'],
      },
    },
  },
};

export default config;
