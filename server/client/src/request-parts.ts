/** Fills `:name` segments of a route path, encoding each value; names the route and the missing parameter. */
export function fillPath(route: string, path: string, params: Readonly<Record<string, string | number>> = {}): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`${route}: missing path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

/** A query object as a query string (with its `?`), leaving out undefined and null; dates as ISO 8601, arrays comma-joined. */
export function queryString(query: Readonly<Record<string, unknown>> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Date) search.set(key, value.toISOString());
    else if (Array.isArray(value)) search.set(key, value.map(String).join(','));
    else if (typeof value === 'object') search.set(key, JSON.stringify(value));
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The `name=value` pair of a Set-Cookie header for the cookie `name`, if the header sets it. */
export function cookieFrom(
  setCookie: readonly string[],
  name: string,
): { value: string; cleared: boolean } | undefined {
  for (const header of setCookie) {
    const pair = header.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    const expired = /;\s*max-age=0/i.test(header) || /;\s*expires=Thu, 01 Jan 1970/i.test(header);
    return { value, cleared: expired || value === '' };
  }
  return undefined;
}
