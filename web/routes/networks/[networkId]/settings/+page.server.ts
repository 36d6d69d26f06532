// A network's settings, changed by its host.
import { loadSettings, saveSettingsAction } from '$lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadSettings(event);

export const actions: Actions = { default: saveSettingsAction };
