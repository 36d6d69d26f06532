// Every page gets the language and the signed-in user (or null) that hooks.server.ts resolved.
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({ locale: locals.locale, me: locals.me });
