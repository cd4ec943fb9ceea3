/** W&B API-key auth: `Authorization: Basic base64("api:<key>")`; the key is the password. */
export function apiKeyFrom(header: string | undefined): string | undefined {
  const match = header && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon >= 0 ? decoded.slice(colon + 1) : '';
  return key || undefined;
}
