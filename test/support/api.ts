import { randomUUID } from 'node:crypto';
import { checkedResponse } from './contract.ts';
import { platformKey, testPlugin } from './plugin.ts';
import { tenantsTouched } from './setup.ts';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the plugin's app in-process (no server), as a host's request would, checking the answer against the contract. */
export async function request<T = any>(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const { app } = await testPlugin();
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await app.request(path, { method, headers, body });
  // Every answer is checked against the OpenAPI document (status, type, body).
  const parsed = await checkedResponse(method, path, res);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/**
 * A fetch for generated clients (openapi-fetch): the request goes to the app in-process
 * and its answer is checked against the contract like any other.
 */
export async function contractFetch(input: Request): Promise<Response> {
  const { app } = await testPlugin();
  const res = await app.request(input);
  await checkedResponse(input.method, input.url, res);
  return res;
}

export interface TestTenant {
  id: string;
  admin: string;
  staff: string;
  /** Calls as this tenant's admin. */
  as: (role: 'admin' | 'staff') => Client;
}

export interface Client {
  get: <T = any>(path: string) => Promise<Answer<T>>;
  post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer<T>>;
  put: <T = any>(path: string, body?: unknown) => Promise<Answer<T>>;
  patch: <T = any>(path: string, body?: unknown) => Promise<Answer<T>>;
  delete: <T = any>(path: string) => Promise<Answer<T>>;
}

export function client(key: string): Client {
  return {
    get: (path) => request('GET', path, { key }),
    post: (path, body, headers) => request('POST', path, { key, body: body ?? {}, headers }),
    put: (path, body) => request('PUT', path, { key, body }),
    patch: (path, body) => request('PATCH', path, { key, body }),
    delete: (path) => request('DELETE', path, { key }),
  };
}

/** A fresh tenant for one test: tests never share data, only the database. */
export async function newTenant(preset = 'mytime'): Promise<TestTenant> {
  const id = `t-${randomUUID().slice(0, 12)}`;
  const res = await request('POST', '/v1/tenants', { key: platformKey, body: { id, name: id, preset } });
  if (res.status !== 201)
    throw new Error(`tenant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  tenantsTouched.add(id);
  const keys = res.body.keys as { admin: string; staff: string };
  return { id, admin: keys.admin, staff: keys.staff, as: (role) => client(keys[role]) };
}

/** Asserts an answer's status, showing the body when it differs. */
export function expectStatus(answer: Answer, status: number): void {
  if (answer.status !== status) {
    throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}
