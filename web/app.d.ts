// Types SvelteKit shares between the server hooks, load functions and pages.
import type { IncomingMessage } from 'node:http';
import type { MeResponse } from '$wire/auth.ts';
import type { ApiBridge } from '../realtime/server.ts';

declare global {
  namespace App {
    interface Locals {
      me: MeResponse | null;
      locale: 'da' | 'en';
    }
    interface PageData {
      me?: MeResponse | null;
      locale?: 'da' | 'en';
    }
    interface Platform {
      req: IncomingMessage & { samspil?: ApiBridge };
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
