// Whether this browser's session has ended. Asked by live connections that were refused in a way
// that does not say why: a refused WebSocket upgrade reaches the page as close code 1006, exactly
// like a network failure, so only the API can tell the two apart.

/** True when the API no longer knows this browser's session; false when it does or cannot be asked. */
export async function sessionEnded(): Promise<boolean> {
  try {
    const res = await fetch('/api/me', { credentials: 'same-origin', cache: 'no-store' });
    return res.status === 401;
  } catch {
    // Offline, or the server is down: not known to have ended.
    return false;
  }
}
