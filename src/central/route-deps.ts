import type { Clock } from '../core/ids';
import type { AdminAuth } from './auth';
import type { CentralDatabase } from './db/open';

/** What every group of routes is given: the database, the clock, and the admin's sign-in. */
export interface RouteDeps {
  database: CentralDatabase;
  clock: Clock;
  auth: AdminAuth;
}
