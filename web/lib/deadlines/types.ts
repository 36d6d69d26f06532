// What the home page gets about one network's documentation deadlines.
import type { DeadlinesResponse } from '$wire/deadlines.ts';

export interface NetworkDeadlines {
  networkId: string;
  networkName: string;
  role: 'host' | 'provider';
  overdue: DeadlinesResponse['overdue'];
  dueSoon: DeadlinesResponse['dueSoon'];
}
