import { buildRequest, isWholeExpression, loadConnectorSwagger, RequestBuildError, unflattenParameters } from "../../../tools/connector";
import type { SwaggerDocument } from "../../../tools/connector/swagger";

const swagger = loadConnectorSwagger();

describe("request builder", () => {
  it("targets https://graph.microsoft.com/v1.0 from host and basePath", () => {
    const r = buildRequest(swagger, "GetTeam", { teamId: "abc" });
    expect(r).toMatchObject({ method: "GET", url: "https://graph.microsoft.com/v1.0/teams/abc", body: undefined });
  });

  it("encodes path parameters once for x-ms-url-encoding single", () => {
    const r = buildRequest(swagger, "ListChannels", { teamId: "a/b c" });
    expect(r.url).toBe("https://graph.microsoft.com/v1.0/teams/a%2Fb%20c/channels");
    const posted = buildRequest(swagger, "PostChatMessage", { chatId: "19:x@thread.v2", "body/body/content": "hi" });
    expect(posted.url).toContain("/chats/19%3Ax%40thread.v2/messages");
  });

  it("encodes twice for x-ms-url-encoding double", () => {
    const doc: SwaggerDocument = structuredClone(swagger);
    const param = doc.paths!["/teams/{teamId}"].get!.parameters![0];
    param["x-ms-url-encoding"] = "double";
    expect(buildRequest(doc, "GetTeam", { teamId: "a/b" }).url).toBe("https://graph.microsoft.com/v1.0/teams/a%252Fb");
  });

  it("sends internal query and header parameters with their defaults and encodes query values", () => {
    const r = buildRequest(swagger, "SearchUsers", { $search: '"displayName:王"' });
    expect(r.headers.ConsistencyLevel).toBe("eventual");
    expect(r.url).toContain("%24search=%22displayName%3A%E7%8E%8B%22");
    expect(r.url).toContain("%24select=id%2CdisplayName%2Cmail%2CuserPrincipalName%2CjobTitle");
    expect(r.url).not.toContain("%24top");
  });

  it("rejects a value for an internal parameter", () => {
    expect(() => buildRequest(swagger, "SearchUsers", { ConsistencyLevel: "strong" })).toThrow(/ConsistencyLevel.*internal/);
  });

  it("fills internal body properties, including inside array items, and required defaults", () => {
    const r = buildRequest(swagger, "CreateTeam", {
      "body/displayName": "Contoso",
      "body/members": [{ "user@odata.bind": "https://graph.microsoft.com/v1.0/users('a')", roles: ["owner"] }],
    });
    expect(r.body).toEqual({
      "template@odata.bind": "https://graph.microsoft.com/v1.0/teamsTemplates('standard')",
      displayName: "Contoso",
      members: [{ "@odata.type": "#microsoft.graph.aadUserConversationMember", "user@odata.bind": "https://graph.microsoft.com/v1.0/users('a')", roles: ["owner"] }],
    });
    expect(r.headers["Content-Type"]).toBe("application/json");
  });

  it("sends a value the flow gives as one expression as the expression produced it: no internal values inside it, no required check", () => {
    const member = { "user@odata.bind": "https://graph.microsoft.com/v1.0/users('a')", roles: ["owner"] };
    const r = buildRequest(swagger, "CreateGroupChat", { "body/topic": "Deal room", "body/members": [member] }, { authored: { "body/topic": "Deal room", "body/members": "@body('Members')" } });
    // chatType is written out (internal, top level) and still gets its value; the members are sent as produced.
    expect(r.body).toEqual({ chatType: "group", topic: "Deal room", members: [member] });
    const attachment = { id: "card", content: "{}" };
    const posted = buildRequest(swagger, "PostChatMessage", { chatId: "c", body: { body: { content: "x" }, attachments: [attachment] } }, { authored: { chatId: "c", body: { body: { content: "x" }, attachments: "@variables('cards')" } } });
    expect((posted.body as { attachments: unknown[] }).attachments).toEqual([attachment]);
  });

  it("accepts internal values a flow writes itself inside a produced value, and still refuses other values for them", () => {
    const member = { "@odata.type": "#microsoft.graph.aadUserConversationMember", "user@odata.bind": "https://graph.microsoft.com/v1.0/users('a')" };
    const authored = { "body/members": "@outputs('Members')" };
    expect((buildRequest(swagger, "CreateGroupChat", { "body/members": [member] }, { authored }).body as { members: unknown[] }).members).toEqual([member]);
    expect(() => buildRequest(swagger, "CreateGroupChat", { "body/members": [{ ...member, "@odata.type": "#microsoft.graph.member" }] }, { authored })).toThrow(/body\/members\[0\]\/@odata.type: is internal/);
  });

  it("still fills internal values in array items written out in the definition, as the designer writes them", () => {
    const authored = { chatId: "c", "body/body/content": "<attachment id=\"card\"></attachment>", "body/attachments": [{ id: "card", content: "@string(outputs('Card'))" }] };
    const r = buildRequest(swagger, "PostChatMessage", { ...authored, "body/attachments": [{ id: "card", content: "{}" }] }, { authored });
    expect((r.body as { attachments: unknown[] }).attachments).toEqual([{ id: "card", contentType: "application/vnd.microsoft.card.adaptive", content: "{}" }]);
  });

  it("tells a whole expression from an interpolation, an escaped @ and plain text", () => {
    expect([isWholeExpression("@body('x')"), isWholeExpression("@{body('x')}"), isWholeExpression("@@odata.type"), isWholeExpression("text"), isWholeExpression(["@x"])]).toEqual([true, false, false, false, false]);
  });

  it("leaves out optional values that were not given, even when they have a default", () => {
    const r = buildRequest(swagger, "CreateChannel", { teamId: "t", body: { displayName: "Sales" } });
    expect(r.body).toEqual({ displayName: "Sales" });
  });

  it("accepts nested and slash-flattened values together", () => {
    expect(unflattenParameters({ body: { a: 1 }, "body/b/c": 2 })).toEqual({ body: { a: 1, b: { c: 2 } } });
  });

  it("names the operation and parameter when a required value is missing", () => {
    expect(() => buildRequest(swagger, "GetTeam", {})).toThrow("GetTeam: parameter 'teamId' (path): is required");
    expect(() => buildRequest(swagger, "CreateTeam", {})).toThrow("CreateTeam: body/displayName: is required");
  });

  it("rejects unknown parameters and body properties", () => {
    expect(() => buildRequest(swagger, "GetTeam", { teamId: "t", groupId: "g" })).toThrow(/parameter 'groupId'.*not a parameter/);
    expect(() => buildRequest(swagger, "CreateChannel", { teamId: "t", body: { displayName: "x", colour: "red" } })).toThrow(RequestBuildError);
  });

  it("rejects values of the wrong type or outside the enum or range", () => {
    expect(() => buildRequest(swagger, "CreateChannel", { teamId: "t", body: { displayName: 5 } })).toThrow(/body\/displayName: expected string/);
    expect(() => buildRequest(swagger, "CreateChannel", { teamId: "t", body: { displayName: "x", membershipType: "shared" } })).toThrow(/not one of/);
    expect(() => buildRequest(swagger, "SearchUsers", { $top: 1000 })).toThrow(/above the maximum 999/);
  });

  it("sends no body for an operation whose optional body was not given", () => {
    const r = buildRequest(swagger, "ArchiveTeam", { teamId: "t" });
    expect(r.body).toBeUndefined();
    expect(r.headers["Content-Type"]).toBeUndefined();
  });

  it("replaces scheme and host with baseUrl and keeps basePath", () => {
    expect(buildRequest(swagger, "ListMyTeams", {}, { baseUrl: "http://127.0.0.1:1234/" }).url).toBe("http://127.0.0.1:1234/v1.0/me/joinedTeams");
  });

  it("names the known operations when asked for one that does not exist", () => {
    expect(() => buildRequest(swagger, "DeleteTeam", {})).toThrow(/'DeleteTeam' is not in the swagger \(known: CreateTeam/);
  });
});
