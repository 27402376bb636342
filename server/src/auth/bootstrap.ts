import type { UserStore } from '../store/types.js';
import { generatePassword, hashPassword } from './password.js';

export interface FirstAdmin {
  username: string;
  /** The password, to print once; only when it was generated. */
  password?: string;
  generated: boolean;
}

/** Creates the `admin` user when there is no user at all; returns what to tell the operator, or undefined. */
export async function ensureFirstAdmin(users: UserStore, configured: string | undefined): Promise<FirstAdmin | undefined> {
  if ((await users.count()) > 0) return undefined;
  const generated = configured === undefined;
  const password = configured ?? generatePassword();
  await users.create({ username: 'admin', role: 'admin', passwordHash: await hashPassword(password) });
  return generated ? { username: 'admin', password, generated } : { username: 'admin', generated };
}
