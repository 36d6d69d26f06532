// The session cookie's name, shared by the API, the web app's hooks and the tests; no dependencies.

export const SESSION_COOKIE = 'samspil_session';
