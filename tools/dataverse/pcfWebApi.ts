/**
 * `ComponentFramework.WebApi` over the in-memory Dataverse, going through the same Web API wire format PCF uses
 * underneath. Failures reject the way PCF's do (a numeric `errorCode` and a `message`, no HTTP status),
 * and network failures reject with the `TypeError` fetch raises.
 */
import type { InMemoryWebApi } from "./webApiHandler";

export class PcfWebApiError extends Error {
  readonly code: number;

  constructor(
    readonly errorCode: number,
    message: string,
    readonly raw: string,
  ) {
    super(message);
    this.code = errorCode;
  }
}

/** PCF accepts options with or without the leading `?`; the Web API needs exactly one. */
function normaliseEntityOptions(options: string | undefined): string {
  if (options === undefined || options === "") return "";
  return options.startsWith("?") ? options : `?${options}`;
}

export class FakePcfWebApi implements ComponentFramework.WebApi {
  constructor(private readonly api: InMemoryWebApi) {}

  async createRecord(entityType: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    const response = await this.send("POST", this.set(entityType), JSON.stringify(data));
    const id = /\(([0-9a-f-]{36})\)$/.exec(response.headers["OData-EntityId"] ?? "")?.[1] ?? "";
    return { id, entityType };
  }

  async deleteRecord(entityType: string, id: string): Promise<ComponentFramework.LookupValue> {
    await this.send("DELETE", `${this.set(entityType)}(${id})`);
    return { id, entityType };
  }

  async updateRecord(entityType: string, id: string, data: ComponentFramework.WebApi.Entity): Promise<ComponentFramework.LookupValue> {
    // PCF's updateRecord never upserts: it always targets an existing row.
    await this.send("PATCH", `${this.set(entityType)}(${id})`, JSON.stringify(data), { "If-Match": "*" });
    return { id, entityType };
  }

  async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    const prefer: Record<string, string> = maxPageSize === undefined ? {} : { Prefer: `odata.include-annotations="*",odata.maxpagesize=${maxPageSize}` };
    const response = await this.send("GET", `${this.set(entityType)}${normaliseEntityOptions(options)}`, undefined, prefer);
    const body = JSON.parse(response.body) as { value: ComponentFramework.WebApi.Entity[]; "@odata.nextLink"?: string };
    return { entities: body.value, nextLink: body["@odata.nextLink"] ?? "" };
  }

  async retrieveRecord(entityType: string, id: string, options?: string): Promise<ComponentFramework.WebApi.Entity> {
    const response = await this.send("GET", `${this.set(entityType)}(${id})${normaliseEntityOptions(options)}`);
    return JSON.parse(response.body) as ComponentFramework.WebApi.Entity;
  }

  private set(entityType: string): string {
    return this.api.store.metadata.require(entityType).entitySetName;
  }

  private async send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const response = await this.api.handle({
      method,
      url: `${this.api.baseUrl}${path}`,
      headers: { Prefer: 'odata.include-annotations="*"', ...headers },
      ...(body !== undefined && { body }),
    });
    if (response.status >= 400) {
      const parsed = JSON.parse(response.body) as { error: { code: string; message: string } };
      const errorCode = Number.parseInt(parsed.error.code, 16);
      throw new PcfWebApiError(errorCode, parsed.error.message, response.body);
    }
    return response;
  }
}
