/** One machine entry of a netrc file. */
export interface NetrcEntry {
  /** The `login` token (W&B writes `user`). */
  login?: string;
  /** The `password` token: the API key. */
  password?: string;
}

/** Parses netrc text (machine / default / login / password / account / macdef). */
export function parseNetrc(text: string): Map<string, NetrcEntry> {
  const entries = new Map<string, NetrcEntry>();
  const tokens = text.split(/\s+/).filter(Boolean);
  let current: NetrcEntry | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === 'machine' || token === 'default') {
      current = {};
      entries.set(token === 'default' ? '' : (tokens[++i] ?? ''), current);
    } else if (current && (token === 'login' || token === 'password' || token === 'account')) {
      const value = tokens[++i];
      if (token !== 'account' && value !== undefined) current[token] = value;
    } else if (token === 'macdef') {
      current = undefined; // macro bodies are not credentials
    }
  }
  return entries;
}

/** The API key for a base URL: the password of `host:port`, else `host`, else `default`. */
export function netrcKeyFor(entries: Map<string, NetrcEntry>, baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  for (const machine of [url.host, url.hostname, '']) {
    const password = entries.get(machine)?.password;
    if (password) return password;
  }
  return undefined;
}
