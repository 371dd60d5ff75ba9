/** The customer card's container with a fake Dataverse client, as the card tests drive it. */
import type { DataverseClient, DataverseRow } from "../../../components/common/src";
import type { CardContainerProps } from "../../../components/CustomerContextPanel/CustomerContextPanel/CardContainer";
import { ACCOUNT_ID, accountResponse } from "./fixtures";
import { translator } from "./strings";

export function fakeClient(row: () => Promise<DataverseRow> = () => Promise.resolve(accountResponse())) {
  const retrieve = jest.fn((_table: string, _id: string) => row());
  const create = jest.fn((_table: string, _data: Readonly<Record<string, unknown>>) => Promise.resolve("new-task-id"));
  // The fixtures' deals have no GUID ids, so the card never asks for deal rooms; an empty page if it did.
  const retrieveMultiple = jest.fn((_table: string) => Promise.resolve({ rows: [] }));
  const client: Pick<DataverseClient, "retrieve" | "retrieveMultiple" | "create"> = { retrieve, retrieveMultiple, create };
  return { client, retrieve, create };
}

export function cardProps(overrides: Partial<CardContainerProps> = {}): CardContainerProps {
  return {
    client: fakeClient().client,
    table: "account",
    id: `{${ACCOUNT_ID.toUpperCase()}}`,
    recentActivityCount: 10,
    sections: null,
    colleagues: "pm@contoso.cn; not a upn",
    layout: "full",
    allocatedWidth: 600,
    readable: ["activitypointer", "opportunity", "incident", "contact", "tcc_teamslink", "systemuser"],
    canCreateTask: true,
    formDisabled: false,
    currentUserId: "ffffffff-0000-4000-8000-000000000009",
    language: 1033,
    locale: "en-US",
    origin: "https://contoso.crm.dynamics.com",
    t: translator(1033),
    open: jest.fn(),
    copy: jest.fn(() => Promise.resolve(true)),
    clock: () => new Date("2025-03-14T09:00:00Z"),
    retry: { maxRetries: 0, defaultDelayMs: 0, maxDelayMs: 0, sleep: () => Promise.resolve() },
    ...overrides,
  };
}
