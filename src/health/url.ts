/** `http://host:port`, an IPv6 address in brackets (unless it already is). No dependencies:
 * the Docker HEALTHCHECK (healthcheck.ts) imports it and starts every 30 s. */
export function healthBaseUrl(host: string, port: number | string): string {
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}
