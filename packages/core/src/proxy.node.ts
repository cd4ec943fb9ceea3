// Proxies in Node: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case, lower case first, as curl
// reads them) through undici's EnvHttpProxyAgent. undici is imported only when one of them is set,
// on the first request, so a client without a proxy never loads it.
import type { ClientOptions } from './config.js';
import { httpFetch } from './httpFetch.node.js';

/**
 * A fetch that goes through the proxies the environment names, or undefined when it names none.
 * Every request of the client takes it: the API and signed storage URLs alike.
 * @example createClient({ fetch: proxyFetch(process.env) })
 */
export function proxyFetch(env: Record<string, string | undefined>): typeof fetch | undefined {
  const read = (name: string) => env[name] || env[name.toUpperCase()] || undefined;
  const proxies = { httpProxy: read('http_proxy'), httpsProxy: read('https_proxy'), noProxy: read('no_proxy') };
  if (!proxies.httpProxy && !proxies.httpsProxy && !proxies.noProxy) return undefined;
  let loaded: Promise<typeof fetch> | undefined;
  const load = async (): Promise<typeof fetch> => {
    const undici = await import('undici');
    const dispatcher = new undici.EnvHttpProxyAgent(proxies);
    return ((input: unknown, init?: object) => undici.fetch(input as Parameters<typeof undici.fetch>[0], { ...init, dispatcher })) as unknown as typeof fetch;
  };
  return async (input, init) => (await (loaded ??= load()))(input, init);
}

/** The Node defaults of a client: log lines to stderr, proxies from the environment, else httpFetch (GETs over node:http). */
export function nodeDefaults(options: ClientOptions, env: Record<string, string | undefined>): ClientOptions {
  return { ...options, logger: options.logger ?? stderr, fetch: options.fetch ?? proxyFetch(env) ?? httpFetch };
}

const write = (message: string) => console.error(`wandb-api: ${message}`);
const stderr = { error: write, warn: write, info: write, debug: write };
