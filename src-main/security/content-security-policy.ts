/**
 * One policy for both hosts: scripts and styles only from the app itself
 * (no inline style sheets or style attributes either: React and Recharts set
 * styles through the CSSOM, which the policy allows),
 * no eval, no inline script, no plugins, no framing. The renderer talks only
 * to its own origin (the web-host bridge); the desktop backend, not the page,
 * talks to the routing server and the model endpoint.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
