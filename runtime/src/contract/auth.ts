import { z } from 'zod';

/** admin: everything; editor: deploy, inject, rollback; viewer: read only. */
export const roleSchema = z.enum(['admin', 'editor', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

/** Role rank for "at least" checks: viewer < editor < admin. */
export const roleRank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
export const hasRole = (role: Role, atLeast: Role): boolean => roleRank[role] >= roleRank[atLeast];

/** The name of the httpOnly session cookie set by login. */
export const SESSION_COOKIE = 'gridflow_session';

export const usernameSchema = z
  .string()
  .min(1, 'username must not be empty')
  .max(64, 'username must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.@-]+$/, 'username may contain letters, digits and _ . @ - only');

export const passwordSchema = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(256, 'password must be at most 256 characters');

/** POST /api/auth/login */
export const loginRequestSchema = z.object({
  username: z.string().min(1, 'username is required'),
  password: z.string().min(1, 'password is required'),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The signed-in user as GET /api/auth/me and POST /api/auth/login return it. */
export const meResponseSchema = z.object({
  username: z.string(),
  role: roleSchema,
  /** How this request was authenticated. */
  auth: z.enum(['session', 'token']),
  /** What the role allows, so the UI need not know the role rules. */
  permissions: z.object({ deploy: z.boolean(), admin: z.boolean() }),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** A user as the API shows it (never the password hash). Times are ISO 8601. */
export const userSchema = z.object({
  username: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** GET /api/users */
export const usersResponseSchema = z.object({ users: z.array(userSchema) });
export type UsersResponse = z.infer<typeof usersResponseSchema>;

/** POST /api/users → userSchema (201) */
export const createUserRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema.default('viewer'),
});
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;

/** PATCH /api/users/:username → userSchema. A disabled user's sessions and tokens stop working. */
export const updateUserRequestSchema = z
  .object({
    password: passwordSchema.optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => v.password !== undefined || v.role !== undefined || v.disabled !== undefined, {
    message: 'give at least one of password, role, disabled',
  });
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

/** An API token as listed; the secret is shown only once, when it is created. */
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  /** The token acts with this role, never more than its user's current role. */
  role: roleSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** GET /api/tokens: the caller's tokens (an admin sees everyone's). */
export const tokensResponseSchema = z.object({ tokens: z.array(apiTokenSchema) });
export type TokensResponse = z.infer<typeof tokensResponseSchema>;

/** POST /api/tokens */
export const createTokenRequestSchema = z.object({
  name: z.string().min(1, 'name is required').max(100),
  /** Defaults to the caller's role; may not exceed it. */
  role: roleSchema.optional(),
  /** No expiry when omitted. */
  expiresInDays: z.number().int().positive().max(3650).optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenRequestSchema>;

/** 201 response of POST /api/tokens: `secret` is the bearer token, shown this once. */
export const createTokenResponseSchema = z.object({ token: apiTokenSchema, secret: z.string() });
export type CreateTokenResponse = z.infer<typeof createTokenResponseSchema>;
