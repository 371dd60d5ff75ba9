/**
 * @jest-environment jsdom
 * @jest-environment-options {"url": "https://contoso.crm.dynamics.com/main.aspx"}
 */
/**
 * The contact card through the real control over the in-memory Dataverse's sample data: the contact and its account
 * are asked for together (the account found through the contact with a lambda filter the in-memory Web API answers as
 * Dataverse does), and what the user sees when the account cannot be read or its query fails is what the card showed
 * when it read the account by id after the contact.
 */
import { screen, within } from "@testing-library/react";
import type { SampleData } from "../../../tools/dataverse";
import { type Language, mountedPanels, type Panel } from "./panelHarness";

const mount = mountedPanels();

const path = (url: string) => decodeURIComponent(new URL(url).pathname + new URL(url).search);
const resources = (panel: Panel) => panel.requestsOf("GET").map((r) => new URL(r.url).pathname.split("/").pop()?.replace(/\(.*$/, ""));

function contactOf(panel: Panel) {
  const contact = panel.data.store.get("contact", panel.recordId);
  if (!contact) throw new Error(`contact ${panel.recordId} is not in the sample data`);
  return contact;
}

function accountIdOf(panel: Panel): string {
  const parent = contactOf(panel).parentcustomerid as { id: string; table: string } | null;
  if (parent?.table !== "account") throw new Error("the picked contact has no account");
  return parent.id;
}

/** A new contact whose company is no account. */
const loneContact = (data: SampleData) => data.store.create("contact", { firstname: "Solo", lastname: "Person" }).contactid as string;

async function loaded(panel: Panel) {
  return screen.findByRole("heading", { name: contactOf(panel).fullname as string }, { timeout: 3000 });
}

describe.each([1033, 2052] as Language[])("CustomerContextPanel contact card in %i", (language) => {
  it("asks for the contact and for its account by the contact, then for the deals' rooms, and shows the account's context", async () => {
    const panel = mount({ language, table: "contact" });
    await loaded(panel);
    const [contactRequest, accountRequest] = panel.requestsOf("GET");
    expect(path(contactRequest.url)).toMatch(new RegExp(`/contacts\\(${panel.recordId}\\)\\?\\$select=`));
    expect(path(accountRequest.url)).toContain(`/accounts?$select=accountid,name,`);
    expect(path(accountRequest.url)).toContain(`$filter=contact_customer_accounts/any(c:c/contactid eq ${panel.recordId})`);
    expect(resources(panel)).toEqual(["contacts", "accounts", "tcc_teamslinks"]);
    const account = panel.data.store.get("account", accountIdOf(panel));
    const facts = screen.getByRole("region", { name: panel.text("Section_Facts") });
    expect(within(facts).getByText(account?.name as string)).toBeInTheDocument();
  });
});

describe("CustomerContextPanel contact card when the account cannot be read", () => {
  it("shows a contact without an account to a user who may not read accounts, with no error, as before", async () => {
    const panel = mount({ language: 1033, table: "contact", pick: loneContact, denied: [["account", "read"]] });
    await loaded(panel);
    expect(screen.queryByRole("button", { name: panel.text("Panel_Retry") })).toBeNull();
    expect(resources(panel)).toEqual(["contacts", "accounts"]);
  });

  it("tells a user who may not read accounts that they lack the permission on a contact in an account, as before", async () => {
    const panel = mount({ language: 2052, table: "contact", denied: [["account", "read"]] });
    expect(await screen.findByText(panel.text("Panel_LoadFailed", panel.text("DataverseError_Forbidden")))).toBeInTheDocument();
    // The refused query, then the read by id the card made before, which gives the error.
    expect(resources(panel)).toEqual(["contacts", "accounts", "accounts"]);
  });

  it("tells the user they lack the permission when the contact's account is in a business unit they cannot read, as before", async () => {
    const panel = mount({
      language: 1033,
      table: "contact",
      pick: (data) => {
        const store = data.store;
        const [mine, theirs] = ["b0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002"];
        store.defineBusinessUnit(mine);
        store.defineBusinessUnit(theirs);
        store.placeInBusinessUnit(store.callerId!, mine);
        const stranger = store.create("systemuser", { firstname: "Far", lastname: "Away" }).systemuserid as string;
        store.placeInBusinessUnit(stranger, theirs);
        const contact = data.contacts.find((id) => (store.get("contact", id)?.parentcustomerid as { table: string } | null)?.table === "account")!;
        const account = (store.get("contact", contact)?.parentcustomerid as { id: string }).id;
        store.update("account", account, { ownerid: { id: stranger, table: "systemuser" } });
        store.setReadDepth("account", "Local");
        return contact;
      },
    });
    expect(await screen.findByText(panel.text("Panel_LoadFailed", panel.text("DataverseError_Forbidden")))).toBeInTheDocument();
    // The query leaves the account out; reading it by id is refused.
    expect(resources(panel)).toEqual(["contacts", "accounts", "accounts"]);
  });

  it("shows the card when the account query fails on the server, reading the account by id instead", async () => {
    const panel = mount({ language: 1033, table: "contact", faults: [{ kind: "serverError", table: "account", operation: "retrieveMultiple", times: 1 }] });
    await loaded(panel);
    const account = panel.data.store.get("account", accountIdOf(panel));
    const facts = screen.getByRole("region", { name: panel.text("Section_Facts") });
    expect(within(facts).getByText(account?.name as string)).toBeInTheDocument();
    expect(resources(panel)).toEqual(["contacts", "accounts", "accounts", "tcc_teamslinks"]);
  });

  it("says what went wrong when the contact itself fails, and sends nothing more", async () => {
    const panel = mount({ language: 1033, table: "contact", faults: [{ kind: "serverError", table: "contact", operation: "retrieve", times: 1 }] });
    expect(await screen.findByText(panel.text("Panel_LoadFailed", panel.text("DataverseError_Server")))).toBeInTheDocument();
    expect(resources(panel)).toEqual(["contacts", "accounts"]);
  });
});
