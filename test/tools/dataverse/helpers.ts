import { DataverseStore, type StoredRow } from "../../../tools/dataverse/store";
import { InMemoryWebApi, type WebApiResponse } from "../../../tools/dataverse/webApiHandler";

export const FIXED_NOW = new Date("2025-03-14T09:00:00Z");
export const ALL_ANNOTATIONS = { Prefer: 'odata.include-annotations="*"' };

/** A store with USD (base) and CNY currencies and one user, behind a Web API whose latency never waits. */
export function emptyDataverse(): { store: DataverseStore; api: InMemoryWebApi; usd: string; cny: string; userId: string } {
  const store = new DataverseStore({ clock: () => FIXED_NOW, seed: 7 });
  const usd = store.create("transactioncurrency", { currencyname: "US Dollar", isocurrencycode: "USD", currencysymbol: "$", currencyprecision: 2, exchangerate: 1 }).transactioncurrencyid as string;
  const cny = store.create("transactioncurrency", { currencyname: "Yuan", isocurrencycode: "CNY", currencysymbol: "¥", currencyprecision: 2, exchangerate: 7.1 }).transactioncurrencyid as string;
  const userId = store.create("systemuser", { firstname: "Ada", lastname: "Lovelace" }).systemuserid as string;
  store.callerId = userId;
  const api = new InMemoryWebApi({ store, sleep: () => Promise.resolve() });
  return { store, api, usd, cny, userId };
}

export function createAccounts(store: DataverseStore, count: number, values: (i: number) => StoredRow = (i) => ({ name: `Account ${i}` })): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(store.create("account", values(i)).accountid as string);
  return ids;
}

export function bodyOf(response: WebApiResponse): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}

export function rowsOf(response: WebApiResponse): Record<string, unknown>[] {
  return bodyOf(response).value as Record<string, unknown>[];
}

export function errorOf(response: WebApiResponse): { code: string; message: string } {
  return (bodyOf(response) as { error: { code: string; message: string } }).error;
}

export const get = (api: InMemoryWebApi, path: string, headers: Record<string, string> = {}) =>
  api.handle({ method: "GET", url: `/api/data/v9.2/${path}`, headers });

export const send = (api: InMemoryWebApi, method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  api.handle({ method, url: `/api/data/v9.2/${path}`, headers, body: JSON.stringify(body) });
