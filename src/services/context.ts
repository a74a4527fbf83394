import type { Config } from '../config.js';
import type { Store } from '../store/db.js';
import type { Role } from '../store/schema.js';

/** Who is acting, for permission checks, tenancy and the audit trail. */
export interface Actor {
  userId: string;
  clinicId: string;
  role: Role;
  /** The clinic's IANA time zone: what "today" means for its dates. */
  timeZone: string;
  /** Shown in the audit trail: the account's email at the time. */
  label: string;
  ip: string;
}

/** What every use case may depend on. Built once at start-up. */
export interface Services {
  store: Store;
  /** `dataDir` holds uploaded media (article cover images under `media/`). */
  config: Pick<Config, 'publicUrl' | 'smtpUrl' | 'secureCookies' | 'dataDir'> & Partial<Pick<Config, 'trustProxy'>>;
}
